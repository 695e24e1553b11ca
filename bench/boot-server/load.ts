/**
 * A bounded HTTP load generator on undici: `connections` concurrent keep-alive connections to a
 * loopback server, for `seconds` (plus a short warm-up), each request's path from `pathFor(i)`.
 * Reports requests per second, p50/p99 latency, bytes and errors.
 */
import { Pool } from 'undici';

/** One load run's figures. */
export interface LoadResult {
  rps: number;
  p50ms: number;
  p99ms: number;
  requests: number;
  errors: number;
  mbPerSec: number;
}

/** Runs a load against `origin` (must be loopback), or spread over several (replicas behind a balancer). */
export async function runLoad(opts: {
  origin: string | string[];
  pathFor: (i: number) => string;
  connections: number;
  seconds: number;
  warmupSeconds?: number;
  headers?: Record<string, string>;
  maxRequests?: number;
}): Promise<LoadResult> {
  const origins = Array.isArray(opts.origin) ? opts.origin : [opts.origin];
  for (const o of origins) {
    const host = new URL(o).hostname;
    if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]')
      throw new Error(`load generator is loopback-only, got ${host}`);
  }
  // Connections are dealt round-robin over the origins, as a balancer would.
  const pools = origins.map(
    (o, k) => new Pool(o, { connections: Math.ceil((opts.connections - k) / origins.length), pipelining: 1 }),
  );
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  let counter = 0;
  let measuring = false;
  const maxRequests = opts.maxRequests ?? 5_000_000;
  const warmupEnd = Date.now() + (opts.warmupSeconds ?? 1) * 1000;
  const end = warmupEnd + opts.seconds * 1000;
  const worker = async (_: unknown, workerIndex: number) => {
    const pool = pools[workerIndex % pools.length]!;
    while (Date.now() < end && counter < maxRequests) {
      const index = counter++;
      const t0 = process.hrtime.bigint();
      try {
        const res = await pool.request({ path: opts.pathFor(index), method: 'GET', headers: opts.headers });
        let bodyBytes = 0;
        for await (const chunk of res.body) bodyBytes += (chunk as Buffer).length;
        if (res.statusCode !== 200) errors++;
        if (measuring) {
          bytes += bodyBytes;
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
      } catch {
        errors++;
      }
    }
  };
  const timer = setTimeout(() => {
    measuring = true;
  }, warmupEnd - Date.now());
  const started = Date.now();
  await Promise.all(Array.from({ length: opts.connections }, worker));
  clearTimeout(timer);
  const seconds = (Date.now() - Math.max(started, warmupEnd)) / 1000;
  await Promise.all(pools.map((p) => p.close()));
  latencies.sort((a, b) => a - b);
  const quantile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return {
    rps: latencies.length / seconds,
    p50ms: quantile(0.5),
    p99ms: quantile(0.99),
    requests: latencies.length,
    errors,
    mbPerSec: bytes / seconds / 1e6,
  };
}
