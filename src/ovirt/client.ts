/** The engine client: one connection pool, one login, and a service per engine collection. */
import { SnapshotsService } from './services/snapshots';
import { VmGraphicsConsolesService } from './services/graphics-consoles';
import { z } from 'zod';
import { Authenticator } from './auth';
import { PARSE, decodeEntity } from './codec';
import { OvirtError } from './errors';
import { HttpPool } from './http';
import { RecordingPool } from './record';
import { apiSchema, type ApiRoot } from './models/misc';
import type { Vm, VmStatus } from './models/vm';
import type { Disk } from './models/disk';
import type { Template } from './models/template';
import type { DiskId, TemplateId, VmId } from './ids';
import type { RequestOptions, WaitOptions } from './request-options';
import { Transport, type Logger } from './transport';
import type { TokenStore } from './token-cache';
import { Api, Collection, decoded } from './services/base';
import { VmsService } from './services/vms';
import { DiskAttachmentsService, ReportedDevicesService, VmNicsService, VmTagsService } from './services/vm-devices';
import { DisksService } from './services/disks';
import { TemplatesService } from './services/templates';
import { AffinityGroupsService } from './services/affinity-groups';
import { TagsService } from './services/tags';
import { ImageTransfersService } from './services/image-transfers';
import type { UploadOptions, UploadSpec } from './images/upload';
import { templateFromDisk, type TemplateFromDiskSpec } from './images/template-from-disk';
import {
  JobsService,
  LOOKUP_SHAPES,
  StorageDomainsService,
  type ClustersService,
  type DataCentersService,
  type HostsService,
  type NetworksService,
  type OperatingSystemsService,
  type VnicProfilesService,
} from './services/lookups';

const optionsSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  username: z.string().min(1),
  password: z.string(),
  auth: z.enum(['sso', 'basic']).default('sso'),
  caFile: z.string().min(1).optional(),
  caPem: z.string().min(1).optional(),
  insecure: z.boolean().default(false),
  timeoutMs: z.number().int().positive().default(60_000),
  maxConnections: z.number().int().positive().default(8),
  correlationIdPrefix: z
    .string()
    .regex(/^[0-9a-zA-Z_-]*$/)
    .max(16)
    .default(''),
  format: z.enum(['xml', 'json']).default('xml'),
  maxBodyBytes: z
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024),
  maxAttempts: z.number().int().positive().default(5),
  retryBaseDelayMs: z.number().nonnegative().default(200),
  retryMaxDelayMs: z.number().nonnegative().default(10_000),
  /** Folder to write every exchange to, scrubbed (record.ts); defaults to `OVIRT_RECORD`. */
  record: z.string().min(1).optional(),
});

/** Options of {@link OvirtClient}. */
export type OvirtClientOptions = z.input<typeof optionsSchema> & {
  /** Receives debug/warn lines (retries ...). Never receives secrets. The client never writes to stdout. */
  logger?: Logger;
  /** Where to keep the SSO token for other processes of the same user (e.g. a {@link FileTokenStore}); default none. */
  tokenStore?: TokenStore;
};

/** A client of one engine's REST API v4. Create with `new OvirtClient(opts)` or `await OvirtClient.connect(opts)`. */
export class OvirtClient {
  readonly vms: VmsService;
  readonly vmNics: VmNicsService;
  readonly diskAttachments: DiskAttachmentsService;
  readonly reportedDevices: ReportedDevicesService;
  readonly vmTags: VmTagsService;
  readonly graphicsConsoles: VmGraphicsConsolesService;
  readonly snapshots: SnapshotsService;
  readonly disks: DisksService;
  readonly templates: TemplatesService;
  readonly clusters: ClustersService;
  readonly hosts: HostsService;
  readonly storageDomains: StorageDomainsService;
  readonly networks: NetworksService;
  readonly vnicProfiles: VnicProfilesService;
  readonly operatingSystems: OperatingSystemsService;
  readonly dataCenters: DataCentersService;
  readonly affinityGroups: AffinityGroupsService;
  readonly tags: TagsService;
  readonly jobs: JobsService;
  readonly imageTransfers: ImageTransfersService;
  private readonly http: HttpPool;
  private readonly tls: { caFile?: string; caPem?: string; insecure: boolean };
  private readonly auth: Authenticator;
  private readonly transport: Transport;
  private readonly api: Api;

  /** Validates the options (an `invalid_argument` OvirtError naming the option) and prepares the pool; no request yet. */
  constructor(options: OvirtClientOptions) {
    const parsed = optionsSchema.safeParse(
      { ...options, record: options.record ?? (process.env.OVIRT_RECORD || undefined) },
      PARSE,
    );
    if (!parsed.success) {
      const [issue] = parsed.error.issues;
      throw new OvirtError({
        code: 'invalid_argument',
        message: issue
          ? `invalid client option "${issue.path.join('.')}": ${issue.message}`
          : `invalid client options: ${parsed.error.message}`,
      });
    }
    const settings = parsed.data;
    const url = new URL(settings.url.replace(/\/+$/, ''));
    const apiPath = url.pathname === '/' ? '/ovirt-engine/api' : url.pathname;
    // The SSO and logout services are siblings of the API under the engine's context path.
    const engineRoot = apiPath.replace(/\/api$/, '');
    const pool = {
      origin: url.origin,
      caFile: settings.caFile,
      caPem: settings.caPem,
      insecure: settings.insecure,
      maxConnections: settings.maxConnections,
    };
    this.http =
      settings.record === undefined
        ? new HttpPool(pool)
        : new RecordingPool(pool, {
            dir: settings.record,
            apiPath,
            secrets: [settings.password],
            hosts: [url.hostname],
          });
    this.auth = new Authenticator(
      this.http,
      {
        mode: settings.auth,
        username: settings.username,
        password: settings.password,
        timeoutMs: settings.timeoutMs,
        tokenPath: `${engineRoot}/sso/oauth/token`,
        logoutPath: `${engineRoot}/services/sso-logout`,
      },
      options.tokenStore,
    );
    this.transport = new Transport(this.http, this.auth, {
      apiPath,
      format: settings.format,
      timeoutMs: settings.timeoutMs,
      maxBodyBytes: settings.maxBodyBytes,
      maxAttempts: settings.maxAttempts,
      baseDelayMs: settings.retryBaseDelayMs,
      maxDelayMs: settings.retryMaxDelayMs,
      correlationIdPrefix: settings.correlationIdPrefix,
      logger: options.logger,
    });
    if (settings.insecure)
      options.logger?.warn?.('ovirt: TLS certificate verification is OFF (insecure = true)', { url: url.origin });
    const api = new Api(this.transport);
    this.api = api;
    this.vms = new VmsService(api);
    this.vmNics = new VmNicsService(api);
    this.diskAttachments = new DiskAttachmentsService(api);
    this.reportedDevices = new ReportedDevicesService(api);
    this.vmTags = new VmTagsService(api);
    this.graphicsConsoles = new VmGraphicsConsolesService(api);
    this.snapshots = new SnapshotsService(api);
    this.disks = new DisksService(api);
    this.templates = new TemplatesService(api);
    this.clusters = new Collection(api, LOOKUP_SHAPES.clusters);
    this.hosts = new Collection(api, LOOKUP_SHAPES.hosts);
    this.storageDomains = new StorageDomainsService(api);
    this.networks = new Collection(api, LOOKUP_SHAPES.networks);
    this.vnicProfiles = new Collection(api, LOOKUP_SHAPES.vnicProfiles);
    this.operatingSystems = new Collection(api, LOOKUP_SHAPES.operatingSystems);
    this.dataCenters = new Collection(api, LOOKUP_SHAPES.dataCenters);
    this.affinityGroups = new AffinityGroupsService(api);
    this.tags = new TagsService(api);
    this.jobs = new JobsService(api);
    this.imageTransfers = new ImageTransfersService(api);
    this.tls = { caFile: settings.caFile, caPem: settings.caPem, insecure: settings.insecure };
  }

  /** Creates a client and checks the connection and credentials with `GET /` (the API root). */
  static async connect(options: OvirtClientOptions, opts?: RequestOptions): Promise<OvirtClient> {
    const client = new OvirtClient(options);
    try {
      await client.apiRoot(opts);
    } catch (err) {
      await client.close();
      throw err;
    }
    return client;
  }

  /** `GET /ovirt-engine/api`: product info, blank template and root tag. */
  async apiRoot(opts?: RequestOptions): Promise<ApiRoot> {
    const answer = await this.transport.call({ method: 'GET', path: '', retry: 'safe', opts });
    return decoded(answer, (t) => decodeEntity(t ?? {}, answer.format, 'api', apiSchema, answer.endpoint));
  }

  /**
   * Follows a reference's `href` (e.g. `vm.cluster`) and reads the entity with the given model:
   * `await c.follow(vm.cluster, 'cluster', clusterSchema)`. The href must be below this API's path.
   */
  async follow<S extends z.ZodType>(
    ref: { href?: string } | undefined,
    element: string,
    schema: S,
    opts?: RequestOptions,
  ): Promise<z.output<S>> {
    const path = this.hrefPath(ref?.href);
    const answer = await this.transport.call({ method: 'GET', path, retry: 'safe', opts });
    return decoded(answer, (t) => decodeEntity(t ?? {}, answer.format, element, schema, answer.endpoint));
  }

  /** Follows a link to a collection (e.g. a `<link rel="nics">`' href) and reads its items. */
  async followList<S extends z.ZodType>(
    href: string | undefined,
    plural: string,
    element: string,
    schema: S,
    opts?: RequestOptions,
  ): Promise<z.output<S>[]> {
    return this.api.list({ path: this.hrefPath(href), plural, element, schema, searchable: false }, opts);
  }

  private hrefPath(href: string | undefined): string {
    const base = this.transport.settings.apiPath;
    if (href === undefined || !href.startsWith(base + '/')) {
      throw new OvirtError({
        code: 'invalid_argument',
        message: `cannot follow "${href ?? '(no href)'}": not a link below ${base}`,
      });
    }
    return href.slice(base.length);
  }

  /** Waits until the VM has one of `statuses`. */
  waitForVmStatus(id: VmId, statuses: VmStatus | VmStatus[], opts?: WaitOptions): Promise<Vm> {
    return this.vms.waitForStatus(id, statuses, opts);
  }

  /** Waits until the disk is `ok` (an `illegal` disk is an error). */
  waitForDiskOk(id: DiskId, opts?: WaitOptions): Promise<Disk> {
    return this.disks.waitForOk(id, opts);
  }

  /** Waits until the template is `ok`. */
  waitForTemplateOk(id: TemplateId, opts?: WaitOptions): Promise<Template> {
    return this.templates.waitForOk(id, opts);
  }

  /**
   * Uploads a local qcow2/raw/ISO file into a new disk through an image transfer (see
   * `images/upload.ts`); the imageio endpoints are trusted like the engine. Nothing is left
   * behind when it fails or is cancelled.
   */
  uploadImage(spec: UploadSpec, opts?: UploadOptions): Promise<Disk> {
    // Loaded on first use: the upload path brings undici (~55 ms to load), which no plan needs.
    const { uploadToNewDisk } = require('./images/upload') as typeof import('./images/upload');
    return uploadToNewDisk({ disks: this.disks, transfers: this.imageTransfers, tls: this.tls }, spec, opts);
  }

  /** Makes a template from a disk through a temporary VM that is always removed (see `images/template-from-disk.ts`). */
  templateFromDisk(spec: TemplateFromDiskSpec, opts: WaitOptions = {}): Promise<Template> {
    return templateFromDisk(
      { vms: this.vms, diskAttachments: this.diskAttachments, templates: this.templates },
      spec,
      opts,
    );
  }

  /** Revokes the SSO token and closes the connection pool. */
  async close(): Promise<void> {
    await this.auth.logout();
    await this.http.close();
  }
}
