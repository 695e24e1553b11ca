/**
 * `ovirt_boot_entry`: one entry of the boot-artifact server (`ovirt-cdktf boot-server`), written
 * through its admin API: which machines it is for, what iPXE answers them, which Ignition they
 * fetch. Read back in full, so edits made on the server show as drift.
 */
import type { BootEntry, BootEntrySpec } from '../../boot/entry';
import { ENTRY_NAME_PATTERN, normalizeMac } from '../../boot/names';
import { BootError } from '../../boot/errors';
import {
  attr,
  useStateForUnknown,
  schema,
  t,
  matches,
  oneOf,
  path,
  type StateOf,
  type ApplyPlanOf,
  type PlanModifier,
} from '../../tfplugin';
import { defineResource } from '../define';
import { idAttribute, orNull, settle, str, strList, bool } from '../common';
import { attempt, readObject, removeObject } from '../ops';
import { badImportId, ProviderError } from '../errors';

const canonical = (macs: readonly string[]) =>
  macs
    .map((m) => normalizeMac(m) ?? m)
    .sort()
    .join(',');

/** The server stores MACs lower case with colons: a configured spelling of the same MACs is no change. */
const sameMacs: PlanModifier<string[]> = {
  description: 'MACs that differ only in case or separator from the stored ones are no change.',
  modify: (req) =>
    Array.isArray(req.config) && Array.isArray(req.state) && canonical(req.config) === canonical(req.state)
      ? req.state
      : undefined,
};

const bootEntrySchema = schema({
  attributes: {
    id: idAttribute('Same as `name`.'),
    name: attr.string({
      required: true,
      forceNew: true,
      description:
        "Entry name, `[a-z0-9][a-z0-9._-]*` (at most 63 characters); the entry's key on the server. Changing it replaces the entry.",
      validators: [
        matches(ENTRY_NAME_PATTERN, 'lower-case letters, digits, ".", "_" and "-", starting with a letter or digit'),
      ],
    }),
    macs: attr.set(t.string, {
      optional: true,
      description:
        "MAC addresses of the machine's NICs (e.g. from `ovirt_nic.mac`), any case and separator. The most specific matching entry wins; an entry without selectors is the default.",
      planModifiers: [sameMacs],
    }),
    uuid: attr.string({
      optional: true,
      description: 'SMBIOS UUID of the machine (the VM id for oVirt VMs).',
    }),
    labels: attr.map(t.string, {
      optional: true,
      description: 'Extra query parameters a request must carry with exactly these values.',
    }),
    role: attr.string({
      optional: true,
      description: 'Free-form role (bootstrap, master, worker), shown in listings and metrics.',
    }),
    ipxe_kernel: attr.string({
      optional: true,
      description:
        'Kernel URL for the iPXE answer (with `ipxe_initrd` and `ipxe_args`). Exactly one of `ipxe_kernel` and `ipxe_script`.',
    }),
    ipxe_initrd: attr.list(t.string, {
      optional: true,
      description: 'Initrd URLs.',
    }),
    ipxe_args: attr.list(t.string, {
      optional: true,
      description:
        'Kernel arguments; `{{ignition_url}}` and `{{base_url}}` are filled in by the server, iPXE variables such as `${mac:hexhyp}` by iPXE.',
    }),
    ipxe_script: attr.string({
      optional: true,
      description: 'A raw iPXE script (starting with `#!ipxe`) instead of kernel/initrd/args.',
    }),
    ignition: attr.string({
      optional: true,
      sensitive: true,
      description:
        'The Ignition config (JSON text) the machine fetches. Sensitive: it often carries secrets. The server validates it.',
    }),
    one_shot: attr.bool({
      optional: true,
      computed: true,
      default: false,
      description:
        'After a machine fetched its Ignition, answer its iPXE requests with a local-disk boot (no install loops).',
    }),
    local_boot: attr.string({
      optional: true,
      computed: true,
      default: 'exit',
      description:
        'How a one-shot machine boots locally: `exit` (back to the firmware boot order) or `sanboot` (the first disk).',
      validators: [oneOf('exit', 'sanboot')],
    }),
    require_token: attr.bool({
      optional: true,
      computed: true,
      default: false,
      description:
        "Serve the Ignition only at a secret URL (`ignition_path`), never by MAC. What protects the Ignition then is the token alone: anyone who has the URL gets the config. The server hands the URL out itself only in the iPXE answer (`{{ignition_url}}`), so that needs `allowed_sources` (the machines' network), else the entry is refused: give the machine `ignition_path` another way (e.g. a pointer Ignition). Without `require_token`, anyone who can reach the server and knows (or guesses) a selected MAC gets the Ignition, unless `allowed_sources` refuses their address.",
    }),
    allowed_sources: attr.set(t.string, {
      optional: true,
      description: "Client addresses or CIDRs allowed to fetch this entry's iPXE and Ignition.",
    }),
    token: attr.string({
      computed: true,
      planModifiers: [useStateForUnknown({ unless: ['require_token'] })],
      sensitive: true,
      description: 'The Ignition token the server generated when `require_token` is set.',
    }),
    ignition_path: attr.string({
      computed: true,
      planModifiers: [useStateForUnknown({ unless: ['require_token'] })],
      sensitive: true,
      description:
        'Path of the token URL (`/ignition/<token>`) when `require_token` is set, else empty. Sensitive: it contains the token.',
    }),
  },
});

type EntryState = StateOf<typeof bootEntrySchema>;
type EntryPlan = ApplyPlanOf<typeof bootEntrySchema>;

function specOf(plan: EntryPlan): BootEntrySpec {
  const macs = strList(plan.macs);
  const labels = plan.labels;
  const selectors =
    macs?.length || str(plan.uuid) || labels
      ? { macs: macs?.length ? macs : undefined, uuid: str(plan.uuid), labels: labels ?? undefined }
      : undefined;
  const kernel = str(plan.ipxe_kernel);
  const script = str(plan.ipxe_script);
  const ipxe = kernel
    ? { kernel, initrd: strList(plan.ipxe_initrd), args: strList(plan.ipxe_args) }
    : script
      ? { script }
      : undefined;
  return {
    name: plan.name,
    selectors,
    role: str(plan.role),
    ipxe,
    ignition: str(plan.ignition),
    one_shot: bool(plan.one_shot),
    local_boot: str(plan.local_boot) as BootEntrySpec['local_boot'],
    require_token: bool(plan.require_token),
    allowed_sources: strList(plan.allowed_sources),
  };
}

/** Keeps the configured spelling of MACs the server normalised (lower case, colons). */
function macSpelling(server: string[], prior: string[] | null): string[] {
  return prior && canonical(prior) === canonical(server) ? prior : server;
}

function fromServer(entry: BootEntry, prior: Partial<EntryState> | null): EntryState {
  const macs = entry.selectors?.macs;
  return {
    id: entry.name,
    name: entry.name,
    macs: macs?.length ? macSpelling(macs, prior?.macs ?? null) : null,
    uuid: orNull(entry.selectors?.uuid),
    labels: entry.selectors?.labels && Object.keys(entry.selectors.labels).length ? entry.selectors.labels : null,
    role: orNull(entry.role),
    ipxe_kernel: orNull(entry.ipxe?.kernel),
    ipxe_initrd: entry.ipxe?.initrd?.length ? entry.ipxe.initrd : null,
    ipxe_args: entry.ipxe?.args?.length ? entry.ipxe.args : null,
    ipxe_script: orNull(entry.ipxe?.script),
    ignition: orNull(entry.ignition),
    one_shot: entry.one_shot ?? false,
    local_boot: entry.local_boot ?? 'exit',
    require_token: entry.require_token ?? false,
    allowed_sources: entry.allowed_sources?.length ? entry.allowed_sources : null,
    token: entry.token ?? '',
    ignition_path: entry.ignition_path ?? '',
  };
}

/** The `ovirt_boot_entry` resource. */
export const bootEntryResource = defineResource({
  typeName: 'ovirt_boot_entry',
  description:
    "A boot entry on the boot-artifact server (configured by the provider's `boot_server` block): per-machine iPXE and Ignition.",
  schema: bootEntrySchema,
  timeouts: { create: '2m', read: '1m', update: '2m', delete: '2m' },

  validate({ config, diags }) {
    const hasKernel = config.ipxe_kernel !== null;
    const hasScript = config.ipxe_script !== null;
    if (hasKernel && hasScript)
      diags.error(
        'Conflicting iPXE Settings',
        'Set either ipxe_kernel (with ipxe_initrd/ipxe_args) or ipxe_script, not both.',
        path('ipxe_script'),
      );
    if (hasScript && (config.ipxe_initrd !== null || config.ipxe_args !== null))
      diags.error(
        'Conflicting iPXE Settings',
        'ipxe_initrd and ipxe_args go with ipxe_kernel, not ipxe_script.',
        path('ipxe_script'),
      );
    const ipxeText = [config.ipxe_script, ...(Array.isArray(config.ipxe_args) ? config.ipxe_args : [])];
    if (
      config.require_token === true &&
      config.allowed_sources === null &&
      ipxeText.some((v) => typeof v === 'string' && v.includes('{{ignition_url}}'))
    ) {
      diags.error(
        'Token URL Would Be Public',
        "With require_token, {{ignition_url}} in the iPXE answer would hand the secret token URL to anyone who knows a MAC. Set allowed_sources to the machines' network, or give the machine ignition_path another way.",
        path('allowed_sources'),
      );
    }
  },

  async create({ plan, client, diags, signal }) {
    const spec = specOf(plan);
    const ctx = { action: `creating boot entry "${spec.name}"`, signal, op: 'create' as const, path: path('name') };
    const entry = await attempt(diags, ctx, async () => {
      // Create only: checked by the server in the same step as the write, so of two applies
      // creating one name exactly one gets it (a look-up first would let both through).
      try {
        return await client.boot.put(spec, { signal, createOnly: true });
      } catch (err) {
        if (!(BootError.is(err) && err.status === 412)) throw err;
        throw new ProviderError(
          'already_exists',
          `A boot entry named "${spec.name}" already exists on the server; import it (terraform import ... ${spec.name}) or choose another name.`,
        );
      }
    });
    return entry ? settle(plan, fromServer(entry, plan as Partial<EntryState>)) : null;
  },

  async read({ state, client, diags, signal }) {
    const entry = await readObject(
      diags,
      { action: `reading boot entry "${state.name}"`, signal, op: 'read' },
      async () => {
        const found = await client.boot.get(state.name, { signal });
        return found ?? null;
      },
    );
    return entry === undefined ? state : entry && fromServer(entry, state);
  },

  async update({ plan, client, diags, signal, state }) {
    const entry = await attempt(diags, { action: `updating boot entry "${state.name}"`, signal, op: 'update' }, () =>
      client.boot.put(specOf(plan), { signal }),
    );
    return entry ? settle(plan, fromServer(entry, state)) : state;
  },

  async delete({ state, client, diags, signal }) {
    await removeObject(diags, { action: `deleting boot entry "${state.name}"`, signal, op: 'delete' }, () =>
      client.boot.delete(state.name, { signal }),
    );
  },

  async importState({ id, diags }) {
    return ENTRY_NAME_PATTERN.test(id) ? { id, name: id } : badImportId(diags, id, 'a boot entry name');
  },
});
