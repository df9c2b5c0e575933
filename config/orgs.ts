// What a worker needs to reach one org. Produced by the config loader (config/load.ts) from orgs.yaml, where
// secrets are named by environment variable and read here at run time: secrets never sit in files.
export interface GenesysConnection {
  /** Full API base, e.g. https://api.mypurecloud.com or the emulator's http://127.0.0.1:PORT. */
  apiBaseUrl: string;
  /** OAuth base, e.g. https://login.mypurecloud.com or the emulator's URL. */
  loginBaseUrl: string;
  clientId: string;
  clientSecret: string;
  /** The org's request budget for this OAuth client, per minute (Genesys default 300). */
  requestsPerMinute: number;
}

export interface OktaConnection {
  /** e.g. https://example.okta.com or the emulator's URL. */
  orgUrl: string;
  apiToken: string;
}

export interface OrgConnection {
  orgId: string;
  genesys: GenesysConnection;
  okta?: OktaConnection;
}
