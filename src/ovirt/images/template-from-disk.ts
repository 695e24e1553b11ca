/**
 * A template made from a disk (typically an uploaded image), the way the OpenShift installer did
 * it: a temporary VM from the Blank template with the disk attached (bootable, virtio-scsi), a
 * template from that VM, then the temporary VM removed with its disk only detached. The temporary
 * VM is removed whatever happens, so it is never left behind.
 */
import { sleep } from '../backoff';
import { OvirtError } from '../errors';
import { BLANK_TEMPLATE_ID, asId, type TemplateId, type VmId } from '../ids';
import type { Template } from '../models/template';
import type { WaitOptions } from '../request-options';
import type { DiskAttachmentsService } from '../services/vm-devices';
import type { TemplatesService } from '../services/templates';
import type { VmsService } from '../services/vms';

/** What template to make from which disk. */
export interface TemplateFromDiskSpec {
  name: string;
  description?: string;
  diskId: string;
  clusterId: string;
  /** Name of the temporary VM; default `tmpvm-for-<name>`. */
  vmName?: string;
  /** Guest OS type of the temporary VM (copied into the template), e.g. `rhcos_x64`. @default 'other' */
  osType?: string;
}

/** What it needs from the client. */
export interface TemplateFromDiskDeps {
  vms: VmsService;
  diskAttachments: DiskAttachmentsService;
  templates: TemplatesService;
}

async function removeTempVm(deps: TemplateFromDiskDeps, id: VmId, wait: WaitOptions): Promise<void> {
  // Its own time budget: the caller's signal may be the reason we are cleaning up.
  const signal = AbortSignal.timeout(120_000);
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.vms.remove(id, { signal, detachOnly: true });
    } catch (err) {
      if (OvirtError.is(err, 'not_found')) return;
      if (!OvirtError.is(err, 'locked', 'in_progress', 'conflict') || signal.aborted) throw err;
      await sleep(Math.min(wait.maxIntervalMs ?? 2000, 100 * 2 ** attempt), signal, `removing temporary VM ${id}`);
    }
  }
}

/** Makes the template and waits until it is `ok`; the temporary VM is gone when this returns or throws. */
export async function templateFromDisk(
  deps: TemplateFromDiskDeps,
  spec: TemplateFromDiskSpec,
  wait: WaitOptions,
): Promise<Template> {
  const opts = { signal: wait.signal };
  const vm = await deps.vms.create(
    {
      name: spec.vmName ?? `tmpvm-for-${spec.name}`,
      cluster: { id: spec.clusterId },
      template: { id: BLANK_TEMPLATE_ID },
      os: { type: spec.osType ?? 'other' },
    },
    opts,
  );
  const vmId = asId<VmId>(vm.id);
  try {
    await deps.vms.waitForStatus(vmId, 'down', wait);
    await deps.diskAttachments.create(
      vmId,
      { disk: { id: spec.diskId }, interface: 'virtio_scsi', bootable: true, active: true },
      opts,
    );
    const created = await deps.templates.create(
      { name: spec.name, description: spec.description, vm: { id: vm.id } },
      opts,
    );
    return created.status === 'ok' ? created : await deps.templates.waitForOk(asId<TemplateId>(created.id), wait);
  } finally {
    await deps.vms
      .waitForStatus(vmId, 'down', { ...wait, signal: AbortSignal.timeout(120_000) })
      .catch(() => undefined);
    await removeTempVm(deps, vmId, wait);
  }
}
