// Every workflow the worker registers. The lifecycle of one seasonal agent: ./agent-lifecycle.ts.
export { agentLifecycle } from './agent-lifecycle';
export { seasonCatchUp } from './catch-up';
