/**
 * A tiny HTTP client for the simulator tests. Deliberately independent of src/ovirt, so the tests
 * check the simulator against the engine's documented wire behaviour, not against our client.
 */
import { Agent, fetch } from 'undici';
import { XMLParser } from 'fast-xml-parser';
import type { EngineSim } from '../../src/engine-sim';

/** An answer: status, headers, raw text and (for XML) the parsed document. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  doc: Record<string, any>;
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });

/** A logged-in client of one simulator. */
export class SimClient {
  readonly agent: Agent;
  token = '';

  constructor(readonly sim: EngineSim) {
    this.agent = new Agent({ connect: { ca: sim.caPem || undefined }, connections: 16 });
  }

  /** Raw SSO token request with the given form fields and Accept header. */
  async sso(form: Record<string, string>, accept = 'application/json'): Promise<{ status: number; body: any }> {
    const response = await fetch(this.sim.url.replace(/\/api$/, '/sso/oauth/token'), {
      method: 'POST',
      dispatcher: this.agent,
      body: new URLSearchParams(form).toString(),
      headers: { accept, 'content-type': 'application/x-www-form-urlencoded' },
    });
    return { status: response.status, body: await response.json() };
  }

  /** Logs in with the simulator's credentials. */
  async login(): Promise<this> {
    const answer = await this.sso({
      grant_type: 'password',
      scope: 'ovirt-app-api',
      username: this.sim.username,
      password: this.sim.password,
    });
    if (answer.status !== 200) throw new Error(`login failed: ${JSON.stringify(answer.body)}`);
    this.token = answer.body.access_token;
    return this;
  }

  /** An API request; `path` is relative to `/ovirt-engine/api`. XML unless `json`. */
  async req(
    method: string,
    path: string,
    body?: string | object,
    opts: { json?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const json = opts.json ?? typeof body === 'object';
    const response = await fetch(this.sim.url + path, {
      method,
      dispatcher: this.agent,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: json ? 'application/json' : 'application/xml',
        'content-type': json ? 'application/json' : 'application/xml',
        version: '4',
        ...opts.headers,
      },
    });
    const text = await response.text();
    let doc: Record<string, any> = {};
    if (text && (response.headers.get('content-type') ?? '').includes('xml')) doc = parser.parse(text);
    else if (text && (response.headers.get('content-type') ?? '').includes('json')) doc = JSON.parse(text);
    return { status: response.status, headers: response.headers, text, doc };
  }

  get = (path: string, opts?: { json?: boolean }) => this.req('GET', path, undefined, opts);
  post = (path: string, body: string | object = '<action/>') => this.req('POST', path, body);
  put = (path: string, body: string | object) => this.req('PUT', path, body);
  del = (path: string) => this.req('DELETE', path);

  /** Creates a VM (XML body fragments inside `<vm>`) and returns its id. */
  async createVm(name: string, extra = '', template = 'rhcos-template', query = ''): Promise<string> {
    const created = await this.post(
      `/vms${query}`,
      `<vm><name>${name}</name><cluster><name>Default</name></cluster><template><name>${template}</name></template>${extra}</vm>`,
    );
    if (created.status !== 201) throw new Error(`create VM ${name}: ${created.status} ${created.text}`);
    return created.doc.vm['@id'];
  }

  /** Polls GET `path` until `pick(doc)` equals `want` (at most `tries` polls). */
  async until(path: string, pick: (doc: any) => unknown, want: unknown, tries = 50): Promise<void> {
    let last: unknown;
    for (let i = 0; i < tries; i++) {
      last = pick((await this.get(path)).doc);
      if (last === want) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`${path}: wanted ${String(want)}, still ${String(last)}`);
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
