/** Issue 5's end-to-end flow with the real terraform against the simulator, no faults. */
import { runFlow, startStack, type StackEnv } from './stack-flow';

describe('ovirt provider end to end (real terraform, simulator)', () => {
  let env: StackEnv | undefined;
  afterAll(async () => {
    await env?.ws.cleanup();
    await env?.sim.stop();
  });

  it('creates, plans empty, updates in place, replaces, detects drift, imports and destroys', async () => {
    env = await startStack();
    await runFlow(env);
  }, 600_000);
});
