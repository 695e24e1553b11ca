/**
 * `os_type` checked at plan time against the guest operating systems the engine itself lists
 * (`GET /operatingsystems`), so a typo such as `rhcos_x86` fails `terraform plan` with the names
 * that do exist instead of failing (or silently becoming `other`) at apply.
 */
import type { OvirtClient } from '../../ovirt';
import { path, type Diagnostics } from '../../tfplugin';
import type { ProviderClient } from '../client';
import { reqOpts, withExistingNames } from '../ops';

/** The engine's OS names, read once per engine client. */
const known = new WeakMap<OvirtClient, Promise<string[]>>();

function osNames(engine: OvirtClient, signal: AbortSignal): Promise<string[]> {
  let names = known.get(engine);
  if (!names) {
    names = engine.operatingSystems
      .list(reqOpts(signal))
      .then((list) => list.map((o) => o.name).filter((n): n is string => !!n));
    known.set(engine, names);
    names.catch(() => known.delete(engine));
  }
  return names;
}

/**
 * Reports an `os_type` the engine does not know, listing the names that share its prefix
 * (`rhcos_…`), else all. Without an engine configured, or when the engine cannot list its
 * operating systems, the engine itself judges the value at apply.
 */
export async function checkOsType(
  value: string,
  client: ProviderClient,
  diags: Diagnostics,
  signal: AbortSignal,
): Promise<void> {
  if (!client.hasEngine) return;
  let names: string[];
  try {
    names = await osNames(client.engine, signal);
  } catch {
    return;
  }
  if (names.length === 0 || names.includes(value)) return;
  const family = names.filter((n) => n.split('_')[0] === value.split('_')[0]);
  diags.error(
    'Unknown Operating System Type',
    withExistingNames(
      `os_type "${value}" is not an operating system this engine knows.`,
      family.length ? family : names,
      family.length ? 'Similar names it knows' : 'Names it knows',
    ),
    path('os_type'),
  );
}
