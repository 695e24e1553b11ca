/** Small engine-shaped XML/JSON bodies for transport tests. */

/** One `<vm>` document. */
export function vmXml(id: string, name: string, status = 'down'): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<vm href="/ovirt-engine/api/vms/${id}" id="${id}">
    <name>${name}</name>
    <memory>1073741824</memory>
    <cluster href="/ovirt-engine/api/clusters/c1" id="c1"/>
    <status>${status}</status>
</vm>`;
}

/** A `<vms>` collection. */
export function vmsXml(vms: { id: string; name: string; status?: string }[]): string {
  if (vms.length === 0) return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<vms/>';
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<vms>${vms.map((v) => vmXml(v.id, v.name, v.status).replace(/^<\?xml[^>]*>\n/, '')).join('')}</vms>`;
}

/** A completed `<action>`. */
export const ACTION_OK =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<action><status>complete</status></action>';
