// What the platform engineer sees: the Temporal Web UI (of the shared dev server) lists one season's agents,
// filtered by the SeasonIds search attribute (every season a person's workflow is enrolled in), with their phase
// in an AgentPhase column added through the UI's own table configuration. Real workers take the agents to Active
// against the Genesys emulator first.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { enrolAgent } from '../../operations/seasonal-agent';
import { agentInput, eventually } from '../support/agents';
import { launchChromium } from '../support/browser';
import { LifecycleEnv, startLifecycleEnv } from '../support/lifecycle-env';

const SCREENSHOT = path.resolve(__dirname, '../../test-results/web-ui-season.png');
const season = `webui-${Date.now().toString(36)}`;
const otherSeason = `${season}-other`;

let env: LifecycleEnv | undefined;
let browser: Browser | undefined;
const agentIds: string[] = [];
let otherId = '';

function uiUrl(): string {
  const url = process.env.TEMPORAL_UI_URL;
  if (!url)
    throw new Error('TEMPORAL_UI_URL is not set: the integration global setup starts the dev server with its Web UI');
  return url;
}

async function openList(page: Page, query: string): Promise<void> {
  await page.goto(`${uiUrl()}/namespaces/${env!.namespace}/workflows?query=${encodeURIComponent(query)}`);
}

/** The workflow table as a person reads it: each row as { column header: cell text }. */
async function tableRows(page: Page): Promise<Array<Record<string, string>>> {
  const clean = (texts: string[]) => texts.map((t) => t.replace(/\s+/g, ' ').trim());
  const table = page.locator('table').first();
  const headers = clean(await table.locator('thead tr').first().locator('th, td').allTextContents());
  const rows: Array<Record<string, string>> = [];
  for (const row of await table.locator('tbody tr').all()) {
    const cells = clean(await row.locator('th, td').allTextContents());
    rows.push(Object.fromEntries(cells.map((cell, i) => [headers[i] ?? `#${i}`, cell])));
  }
  return rows;
}

beforeAll(async () => {
  browser = await launchChromium(); // first: a missing Chromium fails here, before anything starts
  env = await startLifecycleEnv({ namespacePrefix: 'webui' });
  for (const seasonId of [season, season, season, otherSeason]) {
    const { workflowId } = await enrolAgent(env.client, agentInput({ seasonId }));
    if (seasonId === season) agentIds.push(workflowId);
    else otherId = workflowId;
  }
  // Visibility is what the UI reads: wait until it has every agent as Active.
  await eventually(async () => {
    const { count } = await env!.client.workflow.count(`AgentPhase = "Active"`);
    return count === 4 ? count : undefined;
  }, 'all four agents Active in visibility');
});

afterAll(async () => {
  await browser?.close();
  if (env) {
    for (const id of [...agentIds, otherId])
      await env.client.workflow
        .getHandle(id)
        .terminate('web UI test done')
        .catch(() => undefined);
    await env.close();
  }
});

describe('Temporal Web UI', () => {
  it("lists the agents of one season with their phase, and no other season's", async () => {
    const page = await browser!.newPage({ viewport: { width: 1400, height: 700 } });
    await openList(page, `SeasonIds = "${season}"`);
    for (const id of agentIds) await page.getByText(id, { exact: true }).waitFor();
    await page.getByText('3 Workflows').waitFor();

    // Add the AgentPhase column the way a person does: the table's configuration drawer.
    await page.getByTestId('workflows-summary-table-configuration-button').click();
    await page.getByRole('button', { name: 'Add AgentPhase column' }).click();
    // Room for it on screen (the screenshot): ids, phase and start time matter here, run ids and end do not.
    await page.getByRole('button', { name: 'Remove Run ID column' }).click();
    await page.getByRole('button', { name: 'Remove End column' }).click();
    await page.getByRole('button', { name: 'Close Workflows Table configuration' }).click();
    await page.getByRole('button', { name: 'Collapse saved views' }).click();
    await page.getByRole('columnheader', { name: 'AgentPhase' }).waitFor();

    const phases = Object.fromEntries((await tableRows(page)).map((row) => [row['Workflow ID'], row.AgentPhase]));
    expect(phases).toEqual(Object.fromEntries(agentIds.map((id) => [id, 'Active'])));
    expect(Object.keys(phases)).not.toContain(otherId);

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
  });

  it('filters by phase through the search-attribute query', async () => {
    const page = await browser!.newPage({ viewport: { width: 1400, height: 700 } });
    await openList(page, `SeasonIds = "${season}" AND SeasonPhases = "${season}:Active"`);
    for (const id of agentIds) await page.getByText(id, { exact: true }).waitFor();
    expect((await tableRows(page)).map((row) => row['Workflow ID']).sort()).toEqual([...agentIds].sort());

    await openList(page, `SeasonIds = "${season}" AND SeasonPhases = "${season}:Provisioning"`);
    await page.getByRole('heading', { name: 'No Results' }).waitFor();
    expect(await page.getByText(agentIds[0]!, { exact: true }).count()).toBe(0);
  });
});
