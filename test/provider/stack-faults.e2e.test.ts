/**
 * The same flow while the simulator answers 10% of requests with 503 and randomly refuses
 * changes with 409 "Related operation is currently in progress" (a lock).
 */
import { runFlow, useStack } from './stack-flow';

describe('ovirt provider end to end with injected faults', () => {
  const start = useStack();

  it('passes the whole flow with 10% 503s and random locked conflicts', async () => {
    const env = await start('503=0.1,locked=0.1');
    await runFlow(env);
    // The faults really happened (and were survived, not avoided).
    const injected = env.sim.control.faultCounts();
    expect(injected['503']).toBeGreaterThan(0);
    expect(injected.locked).toBeGreaterThan(0);
  }, 600_000);
});
