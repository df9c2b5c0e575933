// Every workflow the worker registers. The lifecycle of one seasonal agent: ./agent-lifecycle.ts.
export { smokeWorkflow } from './smoke';
