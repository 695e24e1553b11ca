/** Issue 5's end-to-end flow with the real terraform against the simulator, no faults. */
import { runFlow, useStack } from './stack-flow';

describe('ovirt provider end to end (real terraform, simulator)', () => {
  const start = useStack();

  it('creates, plans empty, updates in place, replaces, detects drift, imports and destroys', async () => {
    await runFlow(await start());
  }, 600_000);
});
