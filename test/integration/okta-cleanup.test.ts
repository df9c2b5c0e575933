// Acceptance, issue "Just-in-time from Okta" item 4: at the season's end the staged teardown takes every agent out
// of the season's Okta groups. Agents come in the real ways — `season start --from-okta` (the CLI process) and an
// Okta event hook (the receiver) — for a mapping that names two groups by name and one by id, and one agent joined
// a second season group while its hook was dropped. The season ends seconds later; afterwards the season groups
// in the Okta emulator are empty, Everyone-Retail is untouched, and the Genesys users are deleted.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../config/load';
import { AgentPhaseKey } from '../../domain/search-attributes';
import { activeSeasons } from '../../receiver/main';
import { buildHookReceiver } from '../../receiver/server';
import { seasonalAgentWorkflowId, type SeasonalAgentState } from '../../workflows/agent/contract';
import { CliEnv, eventually, ORG, seasonYaml, startCliEnv } from './cli-harness';

const SEASON = 'okta-cleanup';
const SECRET = 'cleanup-hook-secret';
const AGENTS = '00gholidayagents01a7';
const CHAT = '00gholidaychat001a7x';
const SUPERVISORS = '00gholidaysupv001a7x';
const EVERYONE = '00geveryoneretail1a7';
const AVA = '00uretailagent0001a7';
const BEN = '00uretailagent0002a7';
const ELENA = '00uretailagent0005a7';
const FARAH = '00uretailsuper0001a7';

// Two groups by name, the supervisors' by id: the teardown must remove by Okta's ids either way.
const MAPPING = `  - group: Retail-Holiday-Agents
    homeDivision: Holiday Overflow
    priority: 10
    roles:
      - role: Seasonal Agents
        divisions: [Holiday Overflow, Retail Stores]
  - group: Retail-Holiday-Chat
    homeDivision: E-Commerce
    priority: 20
    roles:
      - role: Chat Agent
        divisions: [E-Commerce]
  - group: ${SUPERVISORS}
    homeDivision: Holiday Overflow
    priority: 30
    roles:
      - role: Supervisor
        divisions: [Holiday Overflow]
`;

let env: CliEnv;
let receiver: FastifyInstance;

beforeAll(async () => {
  env = await startCliEnv('okta-cleanup');
});
afterAll(async () => {
  await receiver?.close();
  await env?.close();
});

async function phaseOf(oktaUserId: string): Promise<string | undefined> {
  const d = await env.client.workflow.getHandle(seasonalAgentWorkflowId(ORG, oktaUserId)).describe();
  return d.typedSearchAttributes.get(AgentPhaseKey);
}

describe('Okta cleanup at the season end (acceptance)', () => {
  it("empties the season's Okta groups, keeps the other groups, deletes the Genesys users", async () => {
    const okta = env.okta;
    // Last season's leftover: a deprovisioned user still in the group (deactivation keeps memberships). She is
    // no agent of this season, so nothing of this season would remove her; the admin cleans up before it starts.
    okta.admin.removeUserFromGroup(ELENA, 'Retail-Holiday-Agents');
    okta.admin.clearOutbox();

    // The season ends seconds from now (the CLI and the hook need a few seconds to provision first).
    env.writeSeason(SEASON, seasonYaml(SEASON, { endsInMs: 15_000, removeFromOktaGroups: true, mappingYaml: MAPPING }));
    const season = loadConfig(env.configDir).seasons.get(SEASON)!;
    receiver = buildHookReceiver({
      temporalClient: env.client,
      seasons: () => activeSeasons([season]),
      authHeader: { name: 'Authorization', value: SECRET },
      logger: false,
    });
    await receiver.listen({ port: 0, host: '127.0.0.1' });
    okta.admin.setHook({
      url: `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/okta/events`,
      authHeaderName: 'Authorization',
      authHeaderValue: SECRET,
    });

    // The members at the start: Ava (Agents), Ben (Agents + Chat), Farah (Supervisors, mapped by id).
    const started = await env.cli(['start', SEASON, '--from-okta']);
    expect(started.stdout).toContain('3 started');
    expect(started.code).toBe(0);

    // A hire during the season, through a real hook delivery.
    const nina = okta.admin.createUser({
      profile: { login: 'nina.hook@retail.example.com', firstName: 'Nina', lastName: 'Hook' },
      groupIds: [CHAT],
    }).id;
    okta.admin.addUserToGroup(nina, 'Everyone-Retail');
    await okta.deliverPending();
    // Ava joins Chat too, but Okta drops that event: her workflow never hears of it.
    okta.admin.addUserToGroup(AVA, 'Retail-Holiday-Chat');
    okta.admin.clearOutbox();

    const agents = [AVA, BEN, FARAH, nina];
    const everyoneBefore = [...okta.inspect().memberships[EVERYONE]!].sort();
    for (const id of agents)
      await eventually(async () => ((await phaseOf(id)) === 'Active' ? true : undefined), `${id} active`, 15_000);

    // The season ends; each agent's staged teardown runs: deactivate → remove grants → delete → Okta groups.
    for (const id of agents) {
      const final = (await env.client.workflow
        .getHandle(seasonalAgentWorkflowId(ORG, id))
        .result()) as SeasonalAgentState;
      expect({ id, phase: final.phase, reason: final.offboardReason }).toEqual({
        id,
        phase: 'Deprovisioned',
        reason: 'season ended',
      });
    }

    const { memberships, apiRequests } = okta.inspect();
    expect({ agents: memberships[AGENTS], chat: memberships[CHAT], supervisors: memberships[SUPERVISORS] }).toEqual({
      agents: [],
      chat: [],
      supervisors: [],
    });
    expect([...memberships[EVERYONE]!].sort()).toEqual(everyoneBefore);
    expect(everyoneBefore).toEqual(expect.arrayContaining([...agents, ELENA]));

    // Removed by Okta's group ids (never a name, which Okta would answer with a 404), each exactly where needed.
    const removals = apiRequests
      .filter((r) => r.method === 'DELETE')
      .map((r) => `${r.path} ${r.status}`)
      .sort();
    expect(removals).toEqual(
      [
        [AGENTS, AVA],
        [CHAT, AVA],
        [AGENTS, BEN],
        [CHAT, BEN],
        [SUPERVISORS, FARAH],
        [CHAT, nina],
      ]
        .map(([g, u]) => `/api/v1/groups/${g}/users/${u} 204`)
        .sort(),
    );

    const genesysUsers = env.genesys
      .inspect(ORG)
      .users.filter((u) => u.externalId !== undefined && agents.includes(u.externalId));
    const byId = (a: { id?: string }, b: { id?: string }) => a.id!.localeCompare(b.id!);
    expect(genesysUsers.map((u) => ({ id: u.externalId, deleted: u.deleted, active: u.active })).sort(byId)).toEqual(
      agents.map((id) => ({ id, deleted: true, active: false })).sort(byId),
    );
  });
  it("a person in two seasons: each season's end takes them out of that season's groups only; the user goes with the last", async () => {
    const okta = env.okta;
    // Each season has a group of its own, and both map a shared group (one by id, the other by name).
    const voice = okta.admin.createGroup({ name: 'Retail-Winter-Voice' }).id;
    const chat = okta.admin.createGroup({ name: 'Retail-Winter-Chat' }).id;
    const shared = okta.admin.createGroup({ name: 'Retail-Winter-Shared' }).id;
    const pia = okta.admin.createUser({
      profile: { login: 'pia.twoseasons@retail.example.com', firstName: 'Pia', lastName: 'Twoseasons' },
      groupIds: [voice, chat, shared, EVERYONE],
    }).id;
    okta.admin.clearOutbox();

    const A = 'okta-cleanup-winter-a';
    const B = 'okta-cleanup-winter-b';
    env.writeSeason(
      A,
      seasonYaml(A, {
        endsInMs: 15_000,
        removeFromOktaGroups: true,
        mappingYaml: `  - group: Retail-Winter-Voice
    homeDivision: Holiday Overflow
    priority: 10
    roles:
      - role: Seasonal Agents
        divisions: [Holiday Overflow]
  - group: ${shared}
    homeDivision: Holiday Overflow
    roles: []
`,
      }),
    );
    env.writeSeason(
      B,
      seasonYaml(B, {
        endsInMs: 30_000,
        removeFromOktaGroups: true,
        mappingYaml: `  - group: Retail-Winter-Chat
    homeDivision: E-Commerce
    priority: 20
    roles:
      - role: Chat Agent
        divisions: [E-Commerce]
  - group: Retail-Winter-Shared
    homeDivision: E-Commerce
    roles: []
`,
      }),
    );
    expect((await env.cli(['start', A, '--from-okta'])).stdout).toContain('1 started');
    expect((await env.cli(['start', B, '--from-okta'])).stdout).toContain('0 started, 1 joined from another season');

    const handle = env.client.workflow.getHandle(seasonalAgentWorkflowId(ORG, pia));
    const seasonsOf = async () =>
      (await handle.query<SeasonalAgentState>('getState')).enrolments.map((e) => `${e.seasonId}:${e.phase}`).sort();
    const user = () => env.genesys.inspect(ORG).users.find((u) => u.externalId === pia)!;
    const grants = () =>
      user()
        .grants.filter((g) => g.roleName !== 'employee')
        .map((g) => `${g.roleName} @ ${g.divisionName}`)
        .sort();
    const removals = () =>
      okta
        .inspect()
        .apiRequests.filter((r) => r.method === 'DELETE' && r.path.endsWith(`/users/${pia}`))
        .map((r) => `${r.path} ${r.status}`)
        .sort();
    const membersOf = (groupId: string) => okta.inspect().memberships[groupId] ?? [];
    await eventually(
      async () => (grants().join() === 'Chat Agent @ E-Commerce,Seasonal Agents @ Holiday Overflow' ? true : undefined),
      'both seasons granted',
      15_000,
    );
    expect(await seasonsOf()).toEqual([`${A}:Active`, `${B}:Active`]);

    // Season A ends: out of A's own group only; B's group and the group B also maps stay; the user stays active.
    await eventually(
      async () => ((await seasonsOf()).includes(`${A}:Deprovisioned`) ? true : undefined),
      'season A over for pia',
      30_000,
    );
    expect(await seasonsOf()).toEqual([`${A}:Deprovisioned`, `${B}:Active`]);
    expect(removals()).toEqual([`/api/v1/groups/${voice}/users/${pia} 204`]);
    expect({
      voice: membersOf(voice).includes(pia),
      chat: membersOf(chat).includes(pia),
      shared: membersOf(shared).includes(pia),
    }).toEqual({
      voice: false,
      chat: true,
      shared: true,
    });
    expect({
      active: user().active,
      deleted: user().deleted,
      home: user().homeDivision.name,
      grants: grants(),
    }).toEqual({
      active: true,
      deleted: false,
      home: 'E-Commerce',
      grants: ['Chat Agent @ E-Commerce'],
    });
    expect((await handle.describe()).status.name).toBe('RUNNING');

    // Season B ends: out of B's groups, and the Genesys user goes.
    const final = (await handle.result()) as SeasonalAgentState;
    expect({
      phase: final.phase,
      reason: final.offboardReason,
      seasons: final.enrolments.map((e) => `${e.seasonId}:${e.phase}:${e.endReason}`),
    }).toEqual({
      phase: 'Deprovisioned',
      reason: 'season ended',
      seasons: [`${A}:Deprovisioned:season ended`, `${B}:Deprovisioned:season ended`],
    });
    expect(removals()).toEqual([voice, chat, shared].map((g) => `/api/v1/groups/${g}/users/${pia} 204`).sort());
    expect([voice, chat, shared].filter((g) => membersOf(g).includes(pia))).toEqual([]);
    expect(membersOf(EVERYONE)).toContain(pia);
    expect({ active: user().active, deleted: user().deleted }).toEqual({ active: false, deleted: true });
  });
});
