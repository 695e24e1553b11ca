/**
 * The imageio data endpoint of the simulator: `/images/{ticket}` on its own TLS ports, one standing
 * for the host's daemon (`transfer_url`) and one for the engine's proxy (`proxy_url`). OPTIONS says
 * what the server can do; PUT writes a range (`Content-Range`); PATCH flushes or zeroes; GET reads
 * back (with `Range`). Bytes are streamed to a sparse file, never held whole. Range faults (503s,
 * resets half-way through a PUT, a slow drip) come from the simulator's fault spec.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { diskCapacity, transferOfTicket } from '../entities/imagetransfers';
import { str } from '../store/repr';
import { Sim } from '../engine/sim';
import type { Entity } from '../store/store';

const CHUNK = 64 * 1024;
const MAX_WRITERS = 8;
const MAX_PATCH_BODY = 4096;

/** A running pair of imageio listeners. */
export interface ImageioServers {
  hostOrigin: string;
  proxyOrigin: string;
  stop(): Promise<void>;
}

function reply(res: http.ServerResponse, status: number, body: string, type = 'text/plain; charset=UTF-8'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Parses `bytes START-END/TOTAL|*`; undefined when malformed. */
function contentRange(hex: string | undefined): { start: number; end: number } | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(hex ?? '');
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = Number(match[2]);
  return end >= start ? { start, end } : undefined;
}

async function put(
  sim: Sim,
  transfer: Entity,
  disk: Entity,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  if (str(transfer.data, 'direction') !== 'upload')
    return reply(res, 403, 'You are not allowed to access this resource: the ticket does not allow writing');
  const length = Number(req.headers['content-length']);
  if (!Number.isSafeInteger(length) || length < 0) return reply(res, 411, 'Content-Length is required');
  let offset = 0;
  if (req.headers['content-range'] !== undefined) {
    const range = contentRange(req.headers['content-range']);
    if (!range || range.end - range.start + 1 !== length)
      return reply(res, 400, `Invalid Content-Range "${req.headers['content-range']}" for Content-Length ${length}`);
    offset = range.start;
  }
  const capacity = diskCapacity(disk);
  if (offset + length > capacity) {
    return reply(
      res,
      416,
      `Requested range not satisfiable: ${offset}-${offset + length - 1} ends past the image capacity of ${capacity} bytes`,
    );
  }
  const spec = sim.faults;
  const cutAt = spec.pRangeReset && sim.rng.next() < spec.pRangeReset ? Math.floor(length / 2) : -1;
  if (cutAt >= 0) sim.countFault('reset');
  const file = sim.images.open(disk.id);
  let at = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if (cutAt >= 0 && at + chunk.length > cutAt) {
      // Keep what arrived before the cut, as a real daemon would have written it.
      await file.write(chunk.subarray(0, cutAt - at), offset + at);
      req.socket.destroy();
      return;
    }
    await file.write(chunk, offset + at);
    at += chunk.length;
    if (spec.rangeDripMs) await pause(spec.rangeDripMs * Math.ceil(chunk.length / CHUNK));
  }
  if (at !== length) return reply(res, 400, `Expected ${length} bytes, received ${at}`);
  sim.onChange();
  reply(res, 200, '');
}

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown> | undefined> {
  let text = '';
  for await (const c of req as AsyncIterable<Buffer>) {
    text += c.toString('utf8');
    if (text.length > MAX_PATCH_BODY) return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

async function patch(
  sim: Sim,
  transfer: Entity,
  disk: Entity,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const body = await readJson(req);
  if (!body)
    return reply(res, 400, 'Invalid JSON body: expected {"op": "flush"} or {"op": "zero", "offset": N, "size": N}');
  if (str(transfer.data, 'direction') !== 'upload')
    return reply(res, 403, 'You are not allowed to access this resource: the ticket does not allow writing');
  if (body.op === 'flush') return reply(res, 200, '');
  if (body.op !== 'zero') return reply(res, 400, `Invalid op "${String(body.op)}": supported ops are flush and zero`);
  const { offset, size } = body;
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(size) || (offset as number) < 0 || (size as number) < 0) {
    return reply(res, 400, 'zero needs integer "offset" and "size" >= 0');
  }
  if ((offset as number) + (size as number) > diskCapacity(disk))
    return reply(res, 416, 'Requested range not satisfiable: zero ends past the image capacity');
  await sim.images.open(disk.id).zero(offset as number, size as number);
  reply(res, 200, '');
}

async function get(sim: Sim, disk: Entity, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const file = sim.images.get(disk.id);
  const total = file?.end ?? 0;
  let start = 0;
  let end = total - 1;
  const match = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
  if (req.headers.range !== undefined) {
    if (!match || Number(match[1]) >= total) {
      res.writeHead(416, { 'content-range': `bytes */${total}`, 'content-length': '0' });
      return void res.end();
    }
    start = Number(match[1]);
    end = match[2] ? Math.min(Number(match[2]), total - 1) : total - 1;
  }
  const headers: Record<string, string> = {
    'content-type': 'application/octet-stream',
    'content-length': String(Math.max(0, end - start + 1)),
  };
  if (match) headers['content-range'] = `bytes ${start}-${end}/${total}`;
  res.writeHead(match ? 206 : 200, headers);
  for (let at = start; file && at <= end; at += CHUNK) {
    if (!res.write(file.read(at, Math.min(CHUNK, end - at + 1)))) await new Promise((r) => res.once('drain', r));
  }
  res.end();
}

function handler(sim: Sim): http.RequestListener {
  return (req, res) => {
    void (async () => {
      const match = /^\/images\/([0-9a-f-]{36})$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
      if (!match) return reply(res, 404, 'Not found: the imageio endpoint serves /images/{ticket}');
      sim.scheduler.runDue();
      const transfer = transferOfTicket(sim, match[1]!);
      const disk = transfer && sim.store.get('disks', transfer.meta.disk as string);
      if (!transfer || !disk)
        return reply(res, 403, `You are not allowed to access this resource: No such ticket ${match[1]}`);
      if (req.method === 'OPTIONS') {
        res.setHeader('allow', 'OPTIONS,GET,PUT,PATCH');
        return reply(
          res,
          200,
          JSON.stringify({
            unix_socket: null,
            features: ['extents', 'zero', 'flush'],
            max_readers: MAX_WRITERS,
            max_writers: MAX_WRITERS,
          }),
          'application/json',
        );
      }
      if (sim.faults.pRange503 && sim.rng.next() < sim.faults.pRange503) {
        sim.countFault('503');
        res.setHeader('connection', 'close');
        return reply(res, 503, 'Service unavailable (injected by engine-sim)');
      }
      if (req.method === 'PUT') return put(sim, transfer, disk, req, res);
      if (req.method === 'PATCH') return patch(sim, transfer, disk, req, res);
      if (req.method === 'GET') return get(sim, disk, req, res);
      res.setHeader('allow', 'OPTIONS,GET,PUT,PATCH');
      return reply(res, 405, `Method ${req.method} is not allowed`);
    })().catch((err: unknown) => {
      if (!res.headersSent) reply(res, 500, `Internal simulator error: ${(err as Error).message}`);
      else res.destroy();
    });
  };
}

function listen(server: http.Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * Starts the host and proxy listeners on free ports (TLS when `tls` is given) and points new
 * transfers at them. With the `hostDown` fault the host listener drops every connection.
 */
export async function startImageio(
  sim: Sim,
  host: string,
  tls?: { key: string; cert: string },
): Promise<ImageioServers> {
  const listener = handler(sim);
  const make = () =>
    tls ? https.createServer({ ...tls, noDelay: true }, listener) : http.createServer({ noDelay: true }, listener);
  const daemon = make();
  const proxy = make();
  daemon.on('connection', (s: Socket) => {
    if (sim.faults.hostDown) s.destroy();
  });
  const [dPort, pPort] = [await listen(daemon, host), await listen(proxy, host)];
  const scheme = tls ? 'https' : 'http';
  const hostPart = host.includes(':') ? `[${host}]` : host;
  sim.imageio = { hostOrigin: `${scheme}://${hostPart}:${dPort}`, proxyOrigin: `${scheme}://${hostPart}:${pPort}` };
  const close = (server: http.Server) =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    ...sim.imageio,
    stop: async () => {
      await Promise.all([close(daemon), close(proxy)]);
      sim.images.clear();
    },
  };
}
