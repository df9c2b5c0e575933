// Every workflow the worker registers. The lifecycle of one seasonal agent: ./seasonal-agent.ts.
export { seasonalAgent } from './seasonal-agent';
// The per-season lifecycle of earlier versions, kept so that runs started before the upgrade finish (README).
export { agentLifecycle } from './legacy/agent-lifecycle';
export { seasonCatchUp } from './catch-up';
// One person's Okta hook events, read from Okta and applied to their agent (the receiver only hands them over).
export { oktaUserEvents } from './okta-user-events';
