/**
 * iPXE script builder: the chain script, kernel/initrd boot scripts (CoreOS/RHCOS live PXE and
 * install-to-disk), local-disk boot, UEFI-named initrds, and argument checking. iPXE splits
 * command lines on whitespace and has no quoting of its own; the kernel command joins its
 * arguments with single spaces, so Linux-style `key="a b"` survives while newlines or bare
 * `||`/`&&` tokens would change the script and are refused.
 */
import { BootError } from '../errors';

/** iPXE variables, for use in URLs and kernel arguments (expanded by iPXE on the machine). */
export const IPXE_VARS = {
  /** MAC of the booting NIC, `52-54-00-12-34-56`. */
  macHexhyp: '${mac:hexhyp}',
  /** SMBIOS UUID. */
  uuid: '${uuid}',
  /** `i386`, `x86_64`, `arm64`, ... URI-escaped. */
  buildarch: '${buildarch:uristring}',
  hostname: '${hostname}',
} as const;

/** Checks one kernel argument (or URL) for what would break or change an iPXE script line. */
export function checkIpxeArg(arg: string, what = 'argument'): string {
  if (arg === '') throw new BootError('invalid_entry', `iPXE ${what} is empty`);
  if (/[\r\n\t\0]/.test(arg))
    throw new BootError(
      'invalid_entry',
      `iPXE ${what} "${arg.replace(/[\r\n\t\0]/g, '?')}" contains a control character`,
    );
  const words = arg.split(' ');
  if (words.some((w) => w === '||' || w === '&&'))
    throw new BootError('invalid_entry', `iPXE ${what} "${arg}" contains an iPXE operator (|| or &&)`);
  if (arg.startsWith('#') || arg.startsWith(':'))
    throw new BootError('invalid_entry', `iPXE ${what} "${arg}" would start a comment or label`);
  if (words.length > 1) {
    // Spaces survive only inside a Linux double-quoted value, and only single ones (iPXE re-joins words with one space).
    if (!/^[^\s"]*"[^"]*"$/.test(arg) || words.some((w) => w === '')) {
      throw new BootError(
        'invalid_entry',
        `iPXE ${what} "${arg}" has spaces outside a double-quoted value (write key="a b")`,
      );
    }
  }
  return arg;
}

/**
 * The facts `/boot.ipxe` forwards, as query parameters: each one can select entries as a label.
 * Free-text facts are URI-escaped by iPXE so a space or `&` in a hostname cannot split the query.
 */
export const CHAIN_FACTS: ReadonlyArray<readonly [string, string]> = [
  ['mac', IPXE_VARS.macHexhyp],
  ['uuid', IPXE_VARS.uuid],
  ['arch', IPXE_VARS.buildarch],
  ['platform', '${platform}'],
  ['hostname', '${hostname:uristring}'],
  ['domain', '${domain:uristring}'],
  ['serial', '${serial:uristring}'],
  ['manufacturer', '${manufacturer:uristring}'],
];

/**
 * The `/boot.ipxe` script: chains to the per-machine script with iPXE's own variables. When that
 * chain fails (no entry, a refusal, or a kernel download of the chained script), it asks the
 * server's `failed` route why, so the console says which it was instead of one generic line.
 */
export function chainScript(path = 'ipxe'): string {
  const facts = CHAIN_FACTS.map(([k, v]) => `${k}=${v}`).join('&');
  return [
    '#!ipxe',
    `chain --autofree ${path}?${facts} || goto failed`,
    'exit',
    ':failed',
    `chain --autofree ${path}/failed?${facts}&errno=\${errno} || echo boot-server: unreachable after error \${errno} (https://ipxe.org/\${errno})`,
    'echo boot-server: booting from local disk',
    'sleep 5',
    'exit',
    '',
  ].join('\n');
}

/** The answer of the `failed` route: the server's reason, on the machine's console. */
export function failureScript(reason: string): string {
  // `${` would be expanded by iPXE and a newline would end the echo: neither survives.
  const safe = reason.replace(/\$\{/g, '$ {').replace(/[\r\n\t\0]/g, ' ');
  return `#!ipxe\necho boot-server: ${safe}\n`;
}

/** A kernel/initrd boot. */
export interface KernelBoot {
  kernel: string;
  initrd?: string[];
  args?: string[];
  /**
   * Name each initrd (`initrd --name main ...` plus `initrd=main` on the command line), which
   * UEFI machines need. @default true
   */
  uefiNames?: boolean;
}

/** A script that boots a kernel with its initrds and arguments. */
export function bootScript(boot: KernelBoot): string {
  const uefi = boot.uefiNames ?? true;
  const names: string[] = [];
  const initrdLines = (boot.initrd ?? []).map((spec, index) => {
    if (spec.startsWith('--'))
      return `initrd ${spec
        .split(' ')
        .map((w) => checkIpxeArg(w, 'initrd'))
        .join(' ')}`;
    checkIpxeArg(spec, 'initrd');
    if (!uefi) return `initrd ${spec}`;
    const name = index === 0 ? 'main' : `initrd${index}`;
    names.push(name);
    return `initrd --name ${name} ${spec}`;
  });
  const args = [...names.map((n) => `initrd=${n}`), ...(boot.args ?? []).map((a) => checkIpxeArg(a))];
  const kernel = [checkIpxeArg(boot.kernel, 'kernel'), ...args].join(' ');
  return ['#!ipxe', `kernel ${kernel}`, ...initrdLines, 'boot', ''].join('\n');
}

/**
 * How a machine that is done installing boots: leave iPXE (`exit`) or boot the first disk.
 * `0x80` is a BIOS drive number: UEFI firmware has none, so there `sanboot` leaves to the
 * firmware's boot order (`exit`), which is how UEFI boots its disk.
 */
export function localBootScript(mode: 'exit' | 'sanboot' = 'exit'): string {
  const head = '#!ipxe\necho boot-server: installed, booting from local disk\n';
  return mode === 'exit'
    ? `${head}exit\n`
    : `${head}iseq \${platform} pcbios || exit\nsanboot --no-describe --drive 0x80 || exit\n`;
}

/** Common CoreOS/RHCOS kernel arguments. */
export interface CoreosArgs {
  /** URL of the `...-live-rootfs.<arch>.img`. */
  rootfsUrl: string;
  /** URL the machine fetches its Ignition from. */
  ignitionUrl: string;
  /** Ignition platform id. @default 'metal' */
  platformId?: string;
  /** Console devices, e.g. ['tty0', 'ttyS0,115200n8']. @default none */
  consoles?: string[];
  /** The `ip=` argument. @default 'dhcp' */
  ip?: string;
  /** More arguments, appended as given. */
  extra?: string[];
}

function common(args: CoreosArgs): string[] {
  return [
    `coreos.live.rootfs_url=${args.rootfsUrl}`,
    `ip=${args.ip ?? 'dhcp'}`,
    'rd.neednet=1',
    ...(args.consoles ?? []).map((c) => `console=${c}`),
  ];
}

/** Arguments for a CoreOS/RHCOS live PXE boot (Ignition runs in the live system). */
export function coreosLiveArgs(args: CoreosArgs): string[] {
  return [
    ...common(args),
    'ignition.firstboot',
    `ignition.platform.id=${args.platformId ?? 'metal'}`,
    `ignition.config.url=${args.ignitionUrl}`,
    ...(args.extra ?? []),
  ];
}

/** Arguments for a CoreOS/RHCOS install to disk by coreos-installer. */
export function coreosInstallArgs(args: CoreosArgs & { installDev: string; imageUrl?: string }): string[] {
  return [
    ...common(args),
    `coreos.inst.install_dev=${args.installDev}`,
    `coreos.inst.ignition_url=${args.ignitionUrl}`,
    ...(args.imageUrl ? [`coreos.inst.image_url=${args.imageUrl}`] : []),
    ...(args.platformId ? [`coreos.inst.platform_id=${args.platformId}`] : []),
    ...(args.extra ?? []),
  ];
}
