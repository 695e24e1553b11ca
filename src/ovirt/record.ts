/**
 * Recording mode (`OVIRT_RECORD=folder`): every HTTP exchange of a client, scrubbed of secrets
 * (see scrub.ts), written so that a user can contribute what their engine answers to the
 * conformance tests. Layout, one subfolder per client (a provider process, a test run):
 *
 *   <folder>/<run>/index.jsonl                one line per exchange: seq, method, path, status,
 *                                             the headers that matter, request body, response file
 *   <folder>/<run>/0007-GET-vms_<id>_nics.xml  a response body, named like the conformance fixtures
 *                                             (the path after /ovirt-engine/api/, `/` written as `_`),
 *                                             after a sequence number and the method
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HttpPool, type PoolSettings, type RawRequest, type RawResponse } from './http';
import { Scrubber } from './scrub';

/** Where and what to record. */
export interface RecordSettings {
  /** The folder given by `OVIRT_RECORD`. */
  dir: string;
  /** The API's path, e.g. `/ovirt-engine/api` (file names are relative to it). */
  apiPath: string;
  /** Values to replace wherever they appear: the password. */
  secrets: string[];
  /** Host names to replace: the engine's. */
  hosts: string[];
}

const REQUEST_HEADERS = ['accept', 'content-type', 'version', 'correlation-id', 'prefer', 'authorization'] as const;
const RESPONSE_HEADERS = ['content-type', 'location', 'www-authenticate', 'correlation-id', 'retry-after'] as const;

/** One line of `index.jsonl`. */
export interface RecordedExchange {
  seq: number;
  method: string;
  /** Absolute path with query, scrubbed. */
  path: string;
  /** HTTP status, or absent when the exchange failed below HTTP (then `error` says why). */
  status?: number;
  request: { headers: Record<string, string>; body?: string };
  response?: { headers: Record<string, string>; file?: string };
  error?: string;
}

/** An {@link HttpPool} that also writes each exchange to the recording folder. */
export class RecordingPool extends HttpPool {
  private readonly scrub: Scrubber;
  private readonly dir: string;
  private seq = 0;

  constructor(
    pool: PoolSettings,
    private readonly rec: RecordSettings,
  ) {
    super(pool);
    this.scrub = new Scrubber(rec.secrets, rec.hosts);
    const run = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
    this.dir = path.join(rec.dir, run);
    fs.mkdirSync(this.dir, { recursive: true });
  }

  override async send(req: RawRequest): Promise<RawResponse> {
    const seq = ++this.seq;
    this.scrub.learnAuthorization(req.headers.authorization);
    try {
      const res = await super.send(req);
      this.write(seq, req, res);
      return res;
    } catch (err) {
      this.write(seq, req, undefined, err);
      throw err;
    }
  }

  private write(seq: number, req: RawRequest, res?: RawResponse, err?: unknown): void {
    const scrub = this.scrub;
    const reqType = req.headers['content-type'] ?? '';
    const entry: RecordedExchange = {
      seq,
      method: req.method,
      path: scrub.text(req.path),
      request: {
        headers: scrub.headers(req.headers, REQUEST_HEADERS),
        ...(req.body ? { body: scrub.text(req.body, reqType) } : {}),
      },
    };
    if (res) {
      const type = String(res.headers['content-type'] ?? '');
      if (type.includes('json')) scrub.learnSsoAnswer(res.text);
      entry.status = res.status;
      entry.response = { headers: scrub.headers(res.headers, RESPONSE_HEADERS) };
      if (res.text !== '') {
        const file = `${String(seq).padStart(4, '0')}-${req.method}-${this.fileName(req.path)}.${extension(type)}`;
        fs.writeFileSync(path.join(this.dir, file), scrub.text(res.text, type));
        entry.response.file = file;
      }
    } else {
      entry.error = scrub.text(err instanceof Error ? err.message : String(err));
    }
    fs.appendFileSync(path.join(this.dir, 'index.jsonl'), JSON.stringify(entry) + '\n');
  }

  /** The fixture naming: the path below the API (or the whole path outside it), `/` as `_`, no query. */
  private fileName(requestPath: string): string {
    const [withoutQuery = ''] = requestPath.split('?');
    const bare = this.scrub.text(withoutQuery);
    const below = bare.startsWith(this.rec.apiPath + '/')
      ? bare.slice(this.rec.apiPath.length + 1)
      : bare === this.rec.apiPath
        ? 'api'
        : bare.replace(/^\/+/, '');
    return below.replace(/[^0-9A-Za-z._-]+/g, '_').slice(0, 150) || 'api';
  }
}

function extension(contentType: string): string {
  if (contentType.includes('json')) return 'json';
  if (contentType.includes('xml')) return 'xml';
  return 'txt';
}
