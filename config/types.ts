// Validated configuration, as the rest of the code sees it (the YAML loader in config/load.ts produces these).
import type { BillingConfig } from '../domain/billing';
import type { SeasonShape } from '../domain/season';

export interface OrgConfig {
  id: string;
  genesys: {
    /** Region domain such as mypurecloud.com / mypurecloud.ie / usw2.pure.cloud, or omitted with apiBaseUrl. */
    region?: string;
    /** Custom base URL (the emulator); overrides region. */
    apiBaseUrl?: string;
    clientId: string;
    /** Name of the environment variable that holds the OAuth client secret (never the secret itself). */
    clientSecretEnv: string;
    requestsPerMinute: number;
  };
  okta?: {
    orgUrl: string;
    /** Name of the environment variable that holds the Okta API token (or `oauth`). */
    apiTokenEnv?: string;
    /** An OAuth 2.0 service app (client credentials with private_key_jwt), instead of an API token. */
    oauth?: {
      clientId: string;
      /** Name of the environment variable holding the PEM private key, or … */
      privateKeyEnv?: string;
      /** … a path to the PEM file. */
      privateKeyFile?: string;
      keyId?: string;
    };
    /** The Genesys Cloud app in Okta (0oa…): its SSO events (System Log) tell when agents log in. */
    genesysAppId?: string;
  };
  /** How Genesys bills the org; absent: the report shows no billing periods and nothing warns about them. */
  billing?: BillingConfig;
}

export interface SeasonConfig extends SeasonShape {
  /** ISO-8601 instants (the YAML gives local times with a time zone; the loader converts). */
  startsAt: string;
  endsAt: string;
  timeZone: string;
  /** Active, and no login this many days after the season started: a dormant agent (report, `offboard --dormant`). */
  dormantAfterDays: number;
}
