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
  /** An SSWS API token; or `oauth` (exactly one of the two). */
  apiToken?: string;
  /** An OAuth 2.0 service app (client credentials with private_key_jwt), as Okta recommends for services. */
  oauth?: OktaServiceAppConnection;
  /** Which credentials these are, for errors and logs (a variable's name, a file path, a client id; never a secret). */
  credentialSource?: string;
}

export interface OktaServiceAppConnection {
  clientId: string;
  /** PEM; read from the environment or a file named in orgs.yaml, never from the file itself. */
  privateKey: string;
  keyId?: string;
}

export interface OrgConnection {
  orgId: string;
  genesys: GenesysConnection;
  okta?: OktaConnection;
}
