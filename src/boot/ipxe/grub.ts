/**
 * GRUB configs from the same entries, for machines that do not run iPXE (UEFI HTTP boot, GRUB
 * network boot). GRUB expands no iPXE variables and fetches `(http,host:port)/path` only (no
 * HTTPS), so the server renders each answer for the requesting machine.
 */
import { BootError } from '../errors';

/** The chain config `/grub.cfg`: asks the server for this machine's config by MAC and SMBIOS UUID. */
export function grubChainConfig(baseUrl: string): string {
  return [
    'set timeout=1',
    // SMBIOS type 1 holds the system UUID at offset 8; without the smbios module it stays empty.
    'smbios --type 1 --get-uuid 8 --set machine_uuid',
    // Double quotes: GRUB expands the variables, and `&` (a GRUB metacharacter) stays literal.
    `source "${grubUrl(`${baseUrl}/grub`)}?mac=\${net_default_mac}&uuid=\${machine_uuid}"`,
    '',
  ].join('\n');
}

/** `http://host:port/path` as GRUB names it: `(http,host:port)/path`. */
export function grubUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:')
    throw new BootError('invalid_request', `GRUB fetches over plain HTTP only, not ${url.slice(0, 80)}`);
  return `(http,${parsed.host})${parsed.pathname}${parsed.search}`;
}

/** One GRUB word in single quotes (literal: `&`, `;` and `$` lose their meaning); refuses what quoting cannot carry. */
function word(text: string, what: string): string {
  if (/['\r\n\0$]/.test(text))
    throw new BootError(
      'invalid_request',
      `the entry's ${what} "${text.slice(0, 80)}" cannot be written into a GRUB config (a quote, newline or unexpanded variable)`,
    );
  return `'${text}'`;
}

/** A kernel/initrd boot as a GRUB config; URLs resolve against `baseUrl`. */
export function grubBootConfig(
  name: string,
  boot: { kernel: string; initrd: string[]; args: string[] },
  baseUrl: string,
): string {
  const resolve = (u: string) => grubUrl(new URL(u, `${baseUrl}/`).href);
  // iPXE's `--name main /x` options mean nothing to GRUB: the URL is the last word.
  const initrds = boot.initrd.map((i) => word(resolve(i.split(' ').pop()!), 'initrd'));
  const args = boot.args.map((a) => word(a, 'kernel argument'));
  return [
    'set timeout=1',
    `menuentry ${word(name, 'name')} {`,
    `  linux ${word(resolve(boot.kernel), 'kernel')}${args.length ? ' ' + args.join(' ') : ''}`,
    ...(initrds.length ? [`  initrd ${initrds.join(' ')}`] : []),
    '}',
    '',
  ].join('\n');
}

/** The answer for an installed one-shot machine: leave GRUB, so the firmware boots the next device (the disk). */
export const GRUB_LOCAL_BOOT = 'echo "boot-server: installed, booting from local disk"\nexit\n';
