// The demo's config directory, written the way an admin would: orgs.yaml (secrets named by environment variable)
// and one season with a deliberate mapping mistake (a role and a queue the org does not have) for the demo to fix.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const DEMO_ORG = 'retail-us';
export const MISSING_ROLE = 'Holiday Supervisor';
/**
 * Genesys calls to provision one demo agent: create (skills and languages ride on it) and bulkadd (call plan 2,
 * workflows/agent/contract.ts), then one members POST per queue — 2 for a voice agent, 3 when also in chat (every third), 1 for a supervisor.
 */
export const DEMO_CALLS_PER_AGENT = 2 + 2.4;
/** The supervisors' escalation queue, mapped before anyone created it in the org. */
export const MISSING_QUEUE = 'Holiday Escalations';
export const SEASON_GROUPS = ['Retail-Holiday-Agents', 'Retail-Holiday-Chat', 'Retail-Holiday-Supervisors'] as const;

export const DEMO_ENV = {
  GENESYS_RETAIL_US_CLIENT_SECRET: 'emulator-retail-us-secret',
  OKTA_API_TOKEN: 'emulator-okta-token',
};

export function writeDemoConfig(
  dir: string,
  o: {
    seasonId: string;
    genesysUrl: string;
    oktaUrl: string;
    /** The Genesys Cloud app's id in the Okta org: the login sweep reads its SSO events. */
    genesysAppId: string;
    rpm: number;
    startsAt: string;
    endsAt: string;
  },
): void {
  // The contract day: the season's day (a demo season lasts minutes, so it lies inside one billing period).
  const periodStartDay = Math.min(new Date(o.startsAt).getUTCDate(), 28);
  mkdirSync(path.join(dir, 'seasons'), { recursive: true });
  writeFileSync(
    path.join(dir, 'orgs.yaml'),
    `# Written by npm start: the embedded default (the Genesys and Okta emulators on this machine).
orgs:
  - id: ${DEMO_ORG}
    genesys:
      apiBaseUrl: ${o.genesysUrl}
      clientId: retail-us-provisioner
      clientSecretEnv: GENESYS_RETAIL_US_CLIENT_SECRET
      requestsPerMinute: ${o.rpm}
    okta:
      orgUrl: ${o.oktaUrl}
      apiTokenEnv: OKTA_API_TOKEN
      genesysAppId: ${o.genesysAppId}
    billing:
      model: named
      periodStartDay: ${periodStartDay}
`,
  );
  writeFileSync(
    path.join(dir, 'seasons', `${o.seasonId}.yaml`),
    `# Written by npm start. A short holiday season; the supervisors' mapping names a role the org lacks.
id: ${o.seasonId}
org: ${DEMO_ORG}
start: ${o.startsAt}
end: ${o.endsAt}
timeZone: America/New_York
deprovision:
  deactivate: true
  removeGrants: true
  deleteAfterDays: 0
  removeFromOktaGroups: true
  deactivateOktaUser: false
mapping:
  - group: Retail-Holiday-Agents
    homeDivision: Holiday Overflow
    priority: 10
    roles:
      - role: Seasonal Agents
        divisions: [Holiday Overflow, Retail Stores]
      - role: Voice Agent
        divisions: [Holiday Overflow]
    skills:
      - { name: Store Orders, proficiency: 2 }
      - { name: Returns, proficiency: 3 }
    languages:
      - { name: English, proficiency: 5 }
    queues: [Holiday Voice, Returns & Exchanges]
  - group: Retail-Holiday-Chat
    homeDivision: E-Commerce
    priority: 20
    roles:
      - role: Chat Agent
        divisions: [E-Commerce, Holiday Overflow]
    skills:
      - { name: Online Orders, proficiency: 3 }
    languages:
      - { name: English, proficiency: 4 }
      - { name: Spanish, proficiency: 3 }
    queues: [Holiday Chat]
  - group: Retail-Holiday-Supervisors
    homeDivision: Holiday Overflow
    priority: 30
    roles:
      - role: ${MISSING_ROLE}
        divisions: [Holiday Overflow, Retail Stores]
      - role: Reporting Viewer
        divisions: "*"
    languages:
      - { name: English, proficiency: 5 }
    queues: [${MISSING_QUEUE}]
`,
  );
}
