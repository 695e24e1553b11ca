/**
 * The boot server's API as an OpenAPI 3.1 document, served at `/api/v1/openapi.json` and written
 * to `docs/boot-server-openapi.json` by `npm run generate:docs`. The entry format comes from the
 * same zod schema the server validates PUT bodies with, so the document cannot drift from it.
 */
import { z } from 'zod';
import { bootEntrySpecSchema } from '../entry';
import { CHAIN_FACTS } from '../ipxe/builder';

type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json, description: string) => ({ description, content: { 'application/json': { schema } } });
const text = (type: string, description: string) => ({
  description,
  content: { [type]: { schema: { type: 'string' } } },
});
const error = (description: string) => json(ref('Error'), description);
const query = (name: string, description: string) => ({
  name,
  in: 'query',
  required: false,
  schema: { type: 'string' },
  description,
});
const nameParam = {
  name: 'name',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,62}$' },
};
const header = (name: string, description: string) => ({
  name,
  in: 'header',
  required: false,
  schema: { type: 'string' },
  description,
});

const FACTS = CHAIN_FACTS.map(([fact]) =>
  query(
    fact,
    fact === 'mac'
      ? 'MAC of the booting NIC (any separator)'
      : fact === 'uuid'
        ? 'SMBIOS UUID'
        : `iPXE's ${fact}; usable as a label selector`,
  ),
);
const UNAUTHORIZED = { ...error('Missing or wrong bearer token (the answer carries `WWW-Authenticate: Bearer`).') };

function entrySchemas(): Json {
  const spec = z.toJSONSchema(bootEntrySpecSchema, { unrepresentable: 'any' }) as Json;
  delete spec['$schema'];
  const machine = {
    type: 'object',
    required: ['key', 'source', 'ipxe_fetches', 'ignition_fetches', 'last_seen_at'],
    properties: {
      key: {
        type: 'string',
        description: '`mac:<mac>`, else `uuid:<uuid>`, else `token` (a bare token URL fetch), else `ip:<address>`.',
      },
      mac: { type: 'string' },
      uuid: { type: 'string' },
      source: { type: 'string', description: 'Source address of the latest request.' },
      first_ipxe_at: { type: 'string', format: 'date-time' },
      ipxe_fetches: { type: 'integer' },
      first_ignition_at: {
        type: 'string',
        format: 'date-time',
        description: 'When a GET first delivered the Ignition (one-shot depends on it).',
      },
      ignition_fetches: { type: 'integer' },
      last_local_boot_at: {
        type: 'string',
        format: 'date-time',
        description: 'When the machine was last answered with a local-disk boot.',
      },
      local_boots: { type: 'integer' },
      last_seen_at: { type: 'string', format: 'date-time' },
    },
  };
  const entry = {
    allOf: [
      ref('BootEntrySpec'),
      {
        type: 'object',
        required: ['created_at', 'updated_at', 'machines'],
        properties: {
          token: {
            type: 'string',
            description: 'The Ignition token when require_token is set (generated once, stable across updates).',
          },
          ignition_path: { type: 'string', description: '`/ignition/<token>` when require_token is set.' },
          created_at: { type: 'string', format: 'date-time' },
          updated_at: { type: 'string', format: 'date-time' },
          machines: { type: 'array', items: ref('MachineState') },
        },
      },
    ],
  };
  const err = {
    type: 'object',
    required: ['error', 'code'],
    properties: {
      error: { type: 'string', description: 'The reason, naming the field or machine.' },
      code: { type: 'string', description: 'A BootErrorCode (docs/errors.md).' },
    },
  };
  return { BootEntrySpec: spec, BootEntry: entry, MachineState: machine, Error: err };
}

/** The OpenAPI document. */
export function openApiDocument(): Json {
  const entryAnswer = (description: string) => ({
    ...json(ref('BootEntry'), description),
    headers: {
      ETag: { schema: { type: 'string' }, description: 'Send it back in If-Match to update only this version.' },
    },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'ovirt-cdktf boot server',
      version: '1',
      description:
        'Boot routes (unauthenticated, what machines fetch: iPXE scripts, Ignition configs, assets) and the admin API ' +
        '(`/api/v1/entries`, bearer token) that stores boot entries. Errors are JSON `{error, code}` with a 4xx/5xx status.',
    },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'The admin token (`--token-file`, OVIRT_BOOT_TOKEN or the generated `<data-dir>/admin-token`).',
        },
        viewer: {
          type: 'http',
          scheme: 'bearer',
          description:
            "The live view's token (`--viewer-token-file` or OVIRT_BOOT_VIEWER_TOKEN); the admin token is accepted too.",
        },
        uiSession: {
          type: 'apiKey',
          in: 'cookie',
          name: 'boot_ui',
          description: 'Set by POST /ui/session: an HMAC of the token (never the token), for the page and its events.',
        },
      },
      schemas: entrySchemas(),
    },
    paths: {
      '/boot.ipxe': {
        get: {
          summary: "The chain script: chains to /ipxe with the machine's facts; on failure asks /ipxe/failed why.",
          responses: { 200: text('text/plain', 'iPXE script') },
        },
      },
      '/ipxe': {
        get: {
          summary:
            'The per-machine iPXE script of the most specific matching entry, or a local-disk boot for an installed one-shot machine.',
          parameters: [...FACTS, query('<label>', 'Any other query parameter is a label')],
          responses: {
            200: text('text/plain', 'iPXE script'),
            400: error('Malformed MAC or UUID'),
            403: error('allowed_sources refuses the client'),
            404: error('No entry matches'),
          },
        },
      },
      '/ipxe/failed': {
        get: {
          summary:
            "Why the chain failed, as an iPXE script that echoes the reason (no entry, a refusal, or the entry's kernel/initrd failing with errno).",
          parameters: [...FACTS, query('errno', "iPXE's ${errno} after the failed chain")],
          responses: { 200: text('text/plain', 'iPXE script') },
        },
      },
      '/grub.cfg': {
        get: {
          summary:
            "The GRUB chain config (UEFI HTTP boot, GRUB network boot): sources /grub with GRUB's MAC and SMBIOS UUID.",
          responses: { 200: text('text/plain', 'GRUB config') },
        },
      },
      '/grub': {
        get: {
          summary:
            "The matching entry's kernel boot as a GRUB config rendered for this machine (plain HTTP only), or `exit` for an installed one-shot machine.",
          parameters: [
            query('mac', 'MAC as GRUB gives it'),
            query('uuid', 'SMBIOS UUID'),
            query('<label>', 'Any other query parameter is a label'),
          ],
          responses: {
            200: text('text/plain', 'GRUB config'),
            400: error('HTTPS URL, or a value GRUB cannot quote'),
            403: error('allowed_sources refuses the client'),
            404: error('No entry matches, or the entry has a raw iPXE script'),
          },
        },
      },
      '/metadata': {
        get: {
          summary:
            "The selected entry's metadata, labels and the machine's facts as KEY=value lines (keys upper-cased, . and - as _).",
          parameters: [
            query('mac', 'MAC'),
            query('uuid', 'UUID'),
            query('<label>', 'Any other query parameter is a label'),
          ],
          responses: {
            200: text('text/plain', 'KEY=value lines'),
            403: error('allowed_sources refuses the client'),
            404: error('No entry matches'),
          },
        },
      },
      '/ignition': {
        get: {
          summary:
            'The Ignition config of an entry without require_token. Only a GET that delivers it (not HEAD, not 304) counts for one-shot.',
          parameters: [
            query('entry', 'The entry the script came from ({{ignition_url}} sets it); it must select this machine'),
            query('mac', 'MAC'),
            query('uuid', 'UUID'),
            query('<label>', 'The labels of the entry'),
          ],
          responses: {
            200: json({ type: 'object' }, 'Ignition config (gzip when accepted; ETag)'),
            304: { description: 'Not modified (If-None-Match)' },
            403: error('Token entry, or source refused'),
            404: error('No such entry for this machine'),
            503: error('Machine state could not be saved before answering'),
            507: error('Disk full: machine state could not be saved'),
          },
        },
      },
      '/ignition/{token}': {
        get: {
          summary:
            'The Ignition config of a require_token entry. mac/uuid (set by {{ignition_url}}) record the fetch under the machine.',
          parameters: [
            { name: 'token', in: 'path', required: true, schema: { type: 'string' } },
            query('mac', 'MAC'),
            query('uuid', 'UUID'),
          ],
          responses: {
            200: json({ type: 'object' }, 'Ignition config'),
            403: error('Not a machine of this entry, or source refused'),
            404: error('Unknown token'),
          },
        },
      },
      '/assets/{path}': {
        get: {
          summary: 'Files of the asset folder (kernels, initrds, root filesystems), with single Range requests.',
          parameters: [{ name: 'path', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            200: text('application/octet-stream', 'File'),
            206: text('application/octet-stream', 'Range'),
            403: error('Path escapes the folder'),
            404: error('No such asset'),
            416: error('Range not satisfiable'),
          },
        },
      },
      '/healthz': {
        get: {
          summary: 'ok, or 503 with the reason while machine state cannot be saved.',
          responses: { 200: text('text/plain', 'ok'), 503: text('text/plain', 'machine state: <reason>') },
        },
      },
      '/metrics': {
        get: {
          summary:
            'Prometheus metrics: requests, fetches per entry, refusals by reason, machine-state size, evictions, save failures.',
          responses: { 200: text('text/plain', 'Prometheus text format') },
        },
      },
      '/ui': {
        get: {
          summary:
            "The live view: entries by role, each machine's first iPXE fetch, Ignition fetch, last contact, source, one-shot state, user agent and refusals. Read-only; no asset from elsewhere.",
          security: [{ viewer: [] }, { uiSession: [] }],
          responses: {
            200: text('text/html', 'The page (its data comes from /ui/events)'),
            401: text('text/html', 'The reason and a sign-in form (`WWW-Authenticate: Bearer`)'),
            403: error('No viewer or admin token configured: the view is disabled'),
          },
        },
      },
      '/ui/events': {
        get: {
          summary:
            'Server-sent events: a `snapshot` event with the whole view (JSON) at once, within 100 ms of each change on this server, and every 5 s when the shared state changed elsewhere. No Ignition, token or script is in it.',
          security: [{ viewer: [] }, { uiSession: [] }],
          responses: { 200: text('text/event-stream', 'Event stream'), 401: UNAUTHORIZED },
        },
      },
      '/ui/session': {
        post: {
          summary: "Signs in with a token (the page's form): sets the `boot_ui` cookie and redirects to /ui.",
          requestBody: {
            required: true,
            content: {
              'application/x-www-form-urlencoded': {
                schema: { type: 'object', required: ['token'], properties: { token: { type: 'string' } } },
              },
            },
          },
          responses: {
            303: { description: 'Signed in: `Set-Cookie: boot_ui=...; HttpOnly; SameSite=Strict`, `Location: /ui`' },
            400: error('Not a form'),
            401: text('text/html', 'Wrong or no token: the reason and the form again'),
          },
        },
      },
      '/ui/app.js': {
        get: { summary: "The page's script (no data in it).", responses: { 200: text('text/javascript', 'Script') } },
      },
      '/ui/app.css': {
        get: { summary: "The page's style sheet.", responses: { 200: text('text/css', 'Style sheet') } },
      },
      '/api/v1/openapi.json': {
        get: {
          summary: 'This document (no token needed).',
          responses: { 200: json({ type: 'object' }, 'OpenAPI document') },
        },
      },
      '/api/v1/entries': {
        get: {
          summary: 'Every entry with its machine state.',
          security: [{ bearer: [] }],
          responses: {
            200: json(
              { type: 'object', properties: { entries: { type: 'array', items: ref('BootEntry') } } },
              'Entries',
            ),
            401: UNAUTHORIZED,
            403: error('Admin API disabled (no token configured)'),
          },
        },
      },
      '/api/v1/entries/{name}': {
        parameters: [nameParam],
        get: {
          summary: 'One entry.',
          security: [{ bearer: [] }],
          responses: { 200: entryAnswer('The entry'), 401: UNAUTHORIZED, 404: error('No such entry') },
        },
        put: {
          summary:
            'Creates (201) or replaces (200) an entry. Writes of one entry are serialised: of concurrent creators exactly one gets 201, and the token is generated once.',
          security: [{ bearer: [] }],
          parameters: [
            header('If-Match', 'Only if the entry is at this ETag (or exists, for *)'),
            header('If-None-Match', '* : only if the entry does not exist'),
          ],
          requestBody: { required: true, content: { 'application/json': { schema: ref('BootEntrySpec') } } },
          responses: {
            200: entryAnswer('Replaced'),
            201: entryAnswer('Created'),
            400: error('Invalid entry or Ignition (the field is named)'),
            401: UNAUTHORIZED,
            412: error('If-Match / If-None-Match failed'),
            413: error('Body too large'),
            507: error('Disk full; nothing changed'),
          },
        },
        delete: {
          summary: 'Deletes an entry and its machine state.',
          security: [{ bearer: [] }],
          parameters: [header('If-Match', 'Only if the entry is at this ETag')],
          responses: {
            200: json({ type: 'object', properties: { deleted: { type: 'string' } } }, 'Deleted'),
            401: UNAUTHORIZED,
            404: error('No such entry'),
            412: error('If-Match failed'),
          },
        },
      },
      '/api/v1/entries/{name}/state': {
        parameters: [nameParam],
        delete: {
          summary: "Forgets the entry's machine state (one-shot machines install again).",
          security: [{ bearer: [] }],
          responses: { 200: entryAnswer('The entry'), 401: UNAUTHORIZED, 404: error('No such entry') },
        },
      },
    },
  };
}
