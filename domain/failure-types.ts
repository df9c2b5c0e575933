// Failure types the workflow treats as "will not heal by retrying": the agent goes to NeedsAttention with the
// failure's message and waits for an operator's `retry` or `offboard`. Everything else is retried with backoff.
export const NON_HEALING_FAILURES = [
  'GenesysBadRequest',
  'GenesysForbidden',
  'GenesysNotFound',
  'GenesysConflict',
  'OktaBadRequest',
  'OktaNotFound',
  'ConfigError',
] as const;
