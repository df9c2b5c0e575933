// One line of `season doctor`: which org (empty for checks of the shared Temporal side), which check, and what it
// found. `permission` and `neededFor` name a missing Genesys permission and the config key that needs it.
export interface Check {
  org: string;
  check: string;
  ok: boolean;
  detail: string;
  permission?: string;
  neededFor?: string;
}

export const passed = (org: string, check: string, detail: string): Check => ({ org, check, ok: true, detail });
export const failed = (org: string, check: string, detail: string): Check => ({ org, check, ok: false, detail });
