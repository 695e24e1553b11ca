/**
 * `ovirt_disk_from_image`: a disk made by uploading an image (qcow2, raw or ISO; a local file or an
 * http(s) URL) through the engine's image transfer API. The plan reads the source: its format and
 * size come from its header, bad input is reported on the attribute at plan time, and the source's
 * sha256 is kept so that changed content plans a replace. Progress is logged at INFO.
 */
import type { Disk, DiskId, OvirtClient, UploadProgress } from '../../ovirt';
import { asId } from '../../ovirt/ids';
import { checkImage } from '../../ovirt/images/probe';
import {
  attr,
  schema,
  oneOf,
  between,
  lengthBetween,
  path,
  isUnknown,
  useStateForUnknown,
  type Diagnostics,
  type Logger,
  type StateOf,
} from '../../tfplugin';
import { defineResource } from '../define';
import { idAttribute, isUuid, num, orNull, settle, str, bool } from '../common';
import { attempt, readObject, reqOpts, untilUnlocked } from '../ops';
import { deleteDisk, importDiskId } from './disk';
import { inspectSource, isUrl, resolveSource } from '../image-source';

const MIB = 1024 * 1024;

/** Values read from the image: kept from state while its content is unchanged (the plan then checks the content). */
const fromImage = [useStateForUnknown()];

const imageDiskSchema = schema({
  attributes: {
    id: idAttribute('The disk id.'),
    source: attr.string({
      required: true,
      description:
        'The image to upload: a local file path or an `http(s)://` URL of a qcow2, raw or ISO image. Its content is hashed at plan time; changed content replaces the disk (a moved file with the same content is only recorded).',
      validators: [lengthBetween(1, 4096)],
    }),
    storage_domain_id: attr.string({
      required: true,
      forceNew: true,
      description: 'Storage domain that holds the disk. Changing it replaces the disk.',
      validators: [isUuid],
    }),
    alias: attr.string({
      required: true,
      description: 'Disk name shown in the engine. Updated in place.',
      validators: [lengthBetween(1, 255)],
    }),
    format: attr.string({
      optional: true,
      computed: true,
      forceNew: true,
      description:
        'Disk format, from the image header: `cow` for qcow2, `raw` for raw and ISO images. Setting it makes the plan fail when the image is something else.',
      validators: [oneOf('cow', 'raw')],
      planModifiers: fromImage,
    }),
    size: attr.number({
      optional: true,
      computed: true,
      forceNew: true,
      description:
        'Virtual size in bytes: the qcow2 virtual size, or the raw size rounded up to 512-byte sectors (at least 1 MiB). A larger value makes a larger disk; a smaller one is a plan-time error.',
      validators: [between(MIB, 2 ** 53)],
      planModifiers: fromImage,
    }),
    sparse: attr.bool({
      optional: true,
      computed: true,
      forceNew: true,
      description: 'Thin provisioning (default true for qcow2 images). Changing it replaces the disk.',
      planModifiers: fromImage,
    }),
    source_sha256: attr.string({
      computed: true,
      description:
        'sha256 of the uploaded image (null after an import until the next apply records the configured source).',
    }),
    status: attr.string({
      computed: true,
      description: 'Engine status: `ok`, `locked` or `illegal`.',
    }),
    actual_size: attr.number({
      computed: true,
      description: 'Space the disk takes on storage, in bytes.',
    }),
  },
});

type ImageDiskState = StateOf<typeof imageDiskSchema>;

/** A disk format the validator accepted, or undefined when unset. */
const diskFormat = (value: unknown) => (value === 'cow' || value === 'raw' ? value : undefined);

function fromEngine(disk: Disk, prior: Partial<ImageDiskState>): ImageDiskState {
  return {
    id: disk.id,
    source: prior.source ?? '',
    storage_domain_id: disk.storage_domains?.[0]?.id ?? prior.storage_domain_id ?? '',
    alias: disk.alias ?? disk.name ?? prior.alias ?? '',
    format: disk.format ?? prior.format ?? null,
    size: disk.provisioned_size ?? prior.size ?? null,
    sparse: disk.sparse ?? prior.sparse ?? null,
    source_sha256: prior.source_sha256 ?? null,
    status: disk.status ?? 'unknown',
    actual_size: disk.actual_size ?? disk.total_size ?? 0,
  };
}

/** The attribute a problem with the image is about, from the message of the check that failed. */
function attributeOf(message: string): string {
  return /not (cow|raw)$/.test(message) ? 'format' : /larger than the size/.test(message) ? 'size' : 'source';
}

/** Reports a bad source on the attribute concerned, with what to do. */
function badSource(diags: Diagnostics, source: string, err: unknown): void {
  const msg = err instanceof Error ? err.message : String(err);
  const what = isUrl(source)
    ? 'Check the URL (reachable from the machine running Terraform, answering 200).'
    : 'Give the path of a qcow2, raw or ISO image file, relative to the working directory or absolute.';
  diags.error('Invalid Image Source', `${msg}. ${what}`, path(attributeOf(msg)));
}

function progressLine(log: Logger, alias: string): (p: UploadProgress) => void {
  return (progress) =>
    log.info(
      `uploading image into disk "${alias}": ${(progress.sent / MIB).toFixed(1)} of ${(progress.total / MIB).toFixed(1)} MiB, ${(progress.bytesPerSecond / MIB).toFixed(1)} MiB/s, ETA ${progress.etaSeconds ?? '?'} s`,
      {
        sent_bytes: progress.sent,
        total_bytes: progress.total,
        bytes_per_second: progress.bytesPerSecond,
        eta_seconds: progress.etaSeconds,
      },
    );
}

async function upload(
  api: OvirtClient,
  plan: ImageDiskState,
  log: Logger,
  signal: AbortSignal,
  diags: Diagnostics,
): Promise<Disk | undefined> {
  let src;
  try {
    src = await resolveSource(plan.source, signal);
    checkImage(src.info, {
      file: plan.source,
      format: diskFormat(plan.format),
      size: num(plan.size),
    });
  } catch (err) {
    await src?.release();
    badSource(diags, plan.source, err);
    return undefined;
  }
  try {
    const want = str(plan.source_sha256);
    if (want && want !== src.sha256) {
      diags.error(
        'Image Source Changed',
        `The content of ${plan.source} changed between plan and apply (sha256 ${want} planned, ${src.sha256} now). Run terraform plan again.`,
        path('source'),
      );
      return undefined;
    }
    plan.source_sha256 = src.sha256;
    return await attempt(
      diags,
      {
        action: `uploading ${plan.source} into a new disk "${plan.alias}"`,
        path: path('source'),
        signal,
        op: 'create',
      },
      () =>
        api.uploadImage(
          {
            file: src.file,
            storageDomainId: plan.storage_domain_id,
            alias: plan.alias,
            sparse: bool(plan.sparse),
            format: src.info.format,
            size: num(plan.size),
          },
          {
            signal,
            progress: progressLine(log, plan.alias),
            log: (msg, fields) => log.info(msg, fields),
          },
        ),
    );
  } finally {
    await src.release();
  }
}

/** The `ovirt_disk_from_image` resource. */
export const diskFromImageResource = defineResource({
  typeName: 'ovirt_disk_from_image',
  description:
    "A disk made by uploading an image (qcow2, raw or ISO; a local file or an http(s) URL) through the engine's image transfer API, in parallel ranges that are resent alone after a failure. A failed, cancelled (Ctrl-C) or timed-out upload leaves no disk and no transfer behind. Upload progress is logged at INFO (`TF_LOG=info`).",
  schema: imageDiskSchema,
  timeouts: { create: '60m', read: '5m', update: '10m', delete: '20m' },

  async modifyPlan({ config, plan, state, diags, signal, requireReplace }) {
    const source = str(plan.source);
    if (source === undefined || isUnknown(plan.source)) return;
    const format = diskFormat(config.format);
    const size = num(config.size);
    let seen;
    try {
      seen = await inspectSource(source, signal);
      checkImage(seen.info, { file: source, format, size });
    } catch (err) {
      if (!signal.aborted) badSource(diags, source, err);
      return;
    }
    // An imported disk (no recorded sha256) adopts the configured source without a new upload.
    const changed = state !== null && state.source_sha256 !== null && state.source_sha256 !== seen.sha256;
    if (state === null || changed) {
      if (format === undefined) plan.format = seen.info.format;
      if (size === undefined) plan.size = seen.info.virtualSize;
    }
    if (changed) requireReplace('source_sha256');
    plan.source_sha256 = seen.sha256;
  },

  async create({ plan, client, diags, signal, log }) {
    const imagePlan = plan as ImageDiskState;
    const disk = await upload(client.engine, imagePlan, log, signal, diags);
    return disk ? settle(plan, fromEngine(disk, imagePlan)) : null;
  },

  async read({ state, client, diags, signal }) {
    const disk = await readObject(diags, { action: `reading disk ${state.id}`, signal, op: 'read' }, () =>
      client.engine.disks.get(asId<DiskId>(state.id), reqOpts(signal)),
    );
    return disk === undefined ? state : disk && fromEngine(disk, state);
  },

  async update({ plan, state, client, diags, signal }) {
    const id = asId<DiskId>(state.id);
    // A new source with the same content (or an imported disk adopting its source) is only recorded.
    const recorded = {
      ...state,
      source: str(plan.source) ?? state.source,
      source_sha256: orNull(str(plan.source_sha256)),
    };
    const alias = str(plan.alias);
    if (alias === undefined || alias === state.alias) return settle(plan, recorded);
    const disk = await attempt(
      diags,
      { action: `renaming disk ${id}`, path: path('alias'), signal, op: 'update' },
      () => untilUnlocked(signal, () => client.engine.disks.update(id, { alias }, reqOpts(signal))),
    );
    return disk ? settle(plan, fromEngine(disk, recorded)) : state;
  },

  delete: ({ state, client, diags, signal }) => deleteDisk(state.id, client.engine, diags, signal),
  importState: async ({ id, diags }) => importDiskId(id, diags),
});
