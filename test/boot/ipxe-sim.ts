/** What iPXE does to a URL before fetching it: expand `${...}` settings of the booting machine. */

/** The settings of a simulated machine. */
export interface IpxeMachine {
  settings: Map<string, string>;
}

/** A machine with the given NIC MAC, SMBIOS UUID and build architecture. */
export function ipxeMachine(m: { mac: string; uuid: string; arch: string }): IpxeMachine {
  return {
    settings: new Map([
      ['mac', m.mac],
      ['uuid', m.uuid],
      ['buildarch', m.arch],
    ]),
  };
}

/** Expands `${name}` / `${name:type}` as iPXE would (hexhyp, hexraw, uristring; unknown → empty). */
export function expandIpxe(s: string, machine: IpxeMachine): string {
  return s.replace(/\$\{([a-z0-9/._-]+)(?::([a-z]+))?\}/g, (_, name: string, type?: string) => {
    const v = machine.settings.get(name) ?? '';
    switch (type) {
      case 'hexhyp':
        return v.replace(/:/g, '-');
      case 'hexraw':
        return v.replace(/:/g, '');
      case 'uristring':
        return encodeURIComponent(v);
      default:
        return v;
    }
  });
}
