/** What iPXE does to a URL before fetching it: expand `${...}` settings of the booting machine. */

/** The settings of a simulated machine. */
export interface IpxeMachine {
  settings: Map<string, string>;
}

/** A machine with the given NIC MAC, SMBIOS UUID and build architecture. */
export function ipxeMachine(identity: { mac: string; uuid: string; arch: string }): IpxeMachine {
  return {
    settings: new Map([
      ['mac', identity.mac],
      ['uuid', identity.uuid],
      ['buildarch', identity.arch],
    ]),
  };
}

/** Expands `${name}` / `${name:type}` as iPXE would (hexhyp, hexraw, uristring; unknown → empty). */
export function expandIpxe(script: string, machine: IpxeMachine): string {
  return script.replace(/\$\{([a-z0-9/._-]+)(?::([a-z]+))?\}/g, (_, name: string, type?: string) => {
    const value = machine.settings.get(name) ?? '';
    switch (type) {
      case 'hexhyp':
        return value.replace(/:/g, '-');
      case 'hexraw':
        return value.replace(/:/g, '');
      case 'uristring':
        return encodeURIComponent(value);
      default:
        return value;
    }
  });
}
