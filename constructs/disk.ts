/** `OvirtDisk`: a disk on a storage domain, with its size written with units. */
import { Construct } from 'constructs';
import { TerraformProvider } from 'cdktf';
import * as l1 from './generated';
import { inScope, ValidationError } from './errors';
import { Ref, storageDomainId } from './refs';
import { parseSize, Size } from './units';

/** Props of OvirtDisk. */
export interface OvirtDiskProps {
  /** The storage domain the disk lives on. */
  readonly storageDomain: Ref;
  /** Provisioned size, e.g. `'120GiB'`; at least 1 MiB (the engine's minimum). */
  readonly size: Size;
  /** Image format. @default 'cow' */
  readonly format?: 'cow' | 'raw';
  /** Thin provisioning. @default true */
  readonly sparse?: boolean;
  /** Disk alias shown in the engine. @default - the engine's choice */
  readonly alias?: string;
  /** The provider to use. @default - the stack's default ovirt provider */
  readonly provider?: TerraformProvider;
}

const MIN_DISK = 1024 * 1024;

/** A disk. Attach it to a VM with OvirtVm's `disks` prop. */
export class OvirtDisk extends Construct {
  /** The L1 resource, for overrides. */
  readonly resource: l1.disk.Disk;
  /** The size in bytes. */
  readonly sizeBytes: number;

  constructor(scope: Construct, id: string, props: OvirtDiskProps) {
    super(scope, id);
    this.sizeBytes = inScope(this.node.path, () => checkDisk(props));
    this.resource = new l1.disk.Disk(this, 'disk', {
      storageDomainId: inScope(this.node.path, () =>
        storageDomainId(this, props.storageDomain, 'storageDomain', props.provider),
      ),
      size: this.sizeBytes,
      format: props.format ?? 'cow',
      sparse: props.sparse ?? true,
      alias: props.alias,
      provider: props.provider,
    });
  }

  /** The disk's id. */
  get id(): string {
    return this.resource.id;
  }
}

/** Validates a disk's props and returns its size in bytes. */
function checkDisk(props: OvirtDiskProps): number {
  const bytes = parseSize(props.size, 'size');
  if (bytes < MIN_DISK) {
    throw new ValidationError(
      'invalid_prop',
      'size',
      `must be at least 1MiB (the engine's minimum); got ${bytes} bytes`,
    );
  }
  if (props.format === 'raw' && props.sparse !== false) {
    // The engine cannot thin-provision raw images on block storage; be explicit rather than guess.
    throw new ValidationError(
      'conflicting_props',
      'sparse',
      "set sparse: false with format 'raw' (or use format 'cow')",
    );
  }
  return bytes;
}
