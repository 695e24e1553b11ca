/** The codec: XML and JSON into one model, hostile or broken bodies, request encoding. */
import {
  OvirtError,
  decodeEntity,
  decodeList,
  encodeBody,
  identify,
  nameQuery,
  parseBody,
  vmSchema,
  networkSchema,
} from '../../src/ovirt';

function parseFails(fn: () => unknown): OvirtError {
  try {
    fn();
  } catch (err) {
    if (OvirtError.is(err)) return err;
    throw err;
  }
  throw new Error('expected a parse error');
}

describe('decoding', () => {
  it('reads the engine JSON form (string booleans and integers, epoch-ms dates, nested list wrappers)', () => {
    const json = JSON.stringify({
      id: 'v1',
      name: 'web',
      status: 'up',
      memory: '2147483648',
      stateless: 'false',
      creation_time: 1472564909990,
      os: { boot: { devices: { device: ['network', 'hd'] } } },
      cpu: { topology: { sockets: '2', cores: '1', threads: '1' } },
      high_availability: { enabled: 'true', priority: '50' },
      link: [{ href: '/ovirt-engine/api/vms/v1/nics', rel: 'nics' }],
    });
    const vm = decodeEntity(parseBody(json, 'json', 'GET /vms/v1'), 'json', 'vm', vmSchema, 'GET /vms/v1');
    expect(vm).toMatchObject({
      memory: 2147483648,
      stateless: false,
      creation_time: '2016-08-30T13:48:29.990Z',
      high_availability: { enabled: true, priority: 50 },
    });
    expect(vm.os?.boot?.devices).toEqual(['network', 'hd']);
    expect(vm.link?.[0]?.rel).toBe('nics');
  });

  it('reads empty nested elements as objects with no fields', () => {
    const xml = '<vm id="v1"><name>web</name><initialization/><cpu><topology/></cpu><placement_policy/></vm>';
    const vm = decodeEntity(parseBody(xml, 'xml', 'GET /vms/v1'), 'xml', 'vm', vmSchema, 'GET /vms/v1');
    expect(vm.initialization).toEqual({});
    expect(vm.cpu?.topology).toEqual({});
    expect(vm.placement_policy).toEqual({});
  });

  it('reads JSON collections, including the empty one', () => {
    const nets = decodeList(
      { network: [{ id: 'n1', name: 'ovirtmgmt', mtu: '0', stp: 'false', usages: { usage: ['vm'] } }] },
      'json',
      'networks',
      'network',
      networkSchema,
      'GET /networks',
    );
    expect(nets).toEqual([{ id: 'n1', name: 'ovirtmgmt', mtu: 0, stp: false, usages: ['vm'] }]);
    expect(decodeList({}, 'json', 'networks', 'network', networkSchema, 'GET /networks')).toEqual([]);
    expect(decodeList(parseBody('<networks/>', 'xml', 'x'), 'xml', 'networks', 'network', networkSchema, 'x')).toEqual(
      [],
    );
  });

  it('names the endpoint and the field when a required field is missing or malformed', () => {
    const err = parseFails(() =>
      decodeList(
        parseBody('<vms><vm><name>x</name></vm></vms>', 'xml', 'GET /vms'),
        'xml',
        'vms',
        'vm',
        vmSchema,
        'GET /vms',
      ),
    );
    expect(err.code).toBe('parse');
    expect(err.message).toMatch(/^GET \/vms: vm\[0\]: response field "id"/);
    const e2 = parseFails(() =>
      decodeEntity(
        parseBody('<vm id="1"><memory>lots</memory></vm>', 'xml', 'GET /vms/1'),
        'xml',
        'vm',
        vmSchema,
        'GET /vms/1',
      ),
    );
    expect(e2.message).toContain('"memory"');
  });

  it('rejects an unexpected root element', () => {
    expect(
      parseFails(() =>
        decodeEntity(parseBody('<disk id="1"/>', 'xml', 'GET /vms/1'), 'xml', 'vm', vmSchema, 'GET /vms/1'),
      ).message,
    ).toContain('expected a <vm> element, got <disk>');
  });

  it.each([
    ['truncated XML', '<vms><vm id="1"><name>a</name></vm>', 'xml'],
    ['garbage', '<<<>>>', 'xml'],
    ['truncated JSON', '{"vm": [{"id": "1"', 'json'],
    ['HTML instead of JSON', '<html>oops</html>', 'json'],
  ] as const)('refuses %s with a parse error naming the endpoint', (_name, body, format) => {
    const err = parseFails(() => parseBody(body, format, 'GET /vms'));
    expect(err.code).toBe('parse');
    expect(err.endpoint).toBe('GET /vms');
    expect(err.message).toMatch(/^GET \/vms: malformed/);
  });

  // How fast the refusal is: bench/ovirt-client/refusals.ts (no wall-clock limits in tests).
  it('refuses entity declarations (no billion laughs)', () => {
    const lol =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><vm id="1"><name>&lol3;</name></vm>';
    expect(parseFails(() => parseBody(lol, 'xml', 'GET /vms/1')).message).toContain('entity expansion is off');
  });

  it('decodes the predefined entities in text', () => {
    const vm = decodeEntity(
      parseBody('<vm id="1"><name>a &amp; b &lt;c&gt; &#65; &amp;#66;</name></vm>', 'xml', 'x'),
      'xml',
      'vm',
      vmSchema,
      'x',
    );
    expect(vm.name).toBe('a & b <c> A &#66;');
  });
});

describe('encoding', () => {
  const spec = {
    name: 'web & co',
    cluster: { id: 'c1' },
    template: { name: 'Blank' },
    memory: 2048,
    initialization: {
      custom_script: '#cloud-config\nruncmd: ["echo <hi>"]\n',
      nic_configurations: [{ name: 'eth0', on_boot: true, ip: { address: '10.0.0.2', version: 'v4' } }],
    },
    custom_properties: [{ name: 'hugepages', value: '1048576' }],
    disk_attachments: [{ disk: { id: 'd1', format: 'cow', storage_domains: [{ id: 's1' }] } }],
  };

  it('writes XML with id attributes, list wrappers and escaped text', () => {
    const xml = encodeBody('vm', spec, 'xml');
    expect(xml).toContain('<name>web &amp; co</name><cluster id="c1"/><template><name>Blank</name></template>');
    expect(xml).toContain('<nic_configurations><nic_configuration><name>eth0</name><on_boot>true</on_boot>');
    expect(xml).toContain('<custom_properties><custom_property><name>hugepages</name>');
    expect(xml).toContain(
      '<disk_attachments><disk_attachment><disk id="d1"><format>cow</format><storage_domains><storage_domain id="s1"/></storage_domains></disk></disk_attachment></disk_attachments>',
    );
    expect(xml).toContain('runcmd: [&quot;echo &lt;hi&gt;&quot;]');
    const back = decodeEntity(parseBody(xml.replace('<vm>', '<vm id="x">'), 'xml', 'x'), 'xml', 'vm', vmSchema, 'x');
    expect(back.initialization?.custom_script).toBe(spec.initialization.custom_script);
  });

  it('writes JSON the way the engine writes it', () => {
    const json = JSON.parse(encodeBody('vm', spec, 'json'));
    expect(json.memory).toBe('2048');
    expect(json.initialization.nic_configurations).toEqual({
      nic_configuration: [{ name: 'eth0', on_boot: 'true', ip: { address: '10.0.0.2', version: 'v4' } }],
    });
    expect(json.custom_properties.custom_property[0].name).toBe('hugepages');
  });
});

describe('error identification', () => {
  it.each([
    [404, '', '', 'not_found'],
    [409, 'Operation Failed', '[Cannot remove VM. VM is running.]', 'conflict'],
    [409, 'Operation Failed', '[Cannot run VM: VM is locked. Please try again in a few minutes.]', 'locked'],
    [409, 'Operation Failed', '[Cannot remove Virtual Disk: Disk is locked. Please try again later.]', 'locked'],
    [
      409,
      'Operation Failed',
      '[Cannot remove VM. Related operation is currently in progress. Please try again later.]',
      'in_progress',
    ],
    [400, 'Incomplete parameters', 'Vm [name] required for add', 'bad_request'],
    [401, '', '', 'auth'],
    [403, '', '', 'forbidden'],
    [500, 'Operation Failed', 'boom', 'server'],
    [503, '', '', 'unavailable'],
    [418, '', '', 'unexpected'],
  ] as const)('HTTP %i %s %s -> %s', (status, reason, detail, code) => {
    expect(identify(status, reason, detail)).toBe(code);
  });

  it('marks retryable codes', () => {
    expect(new OvirtError({ code: 'locked', message: 'x' }).retryable).toBe(true);
    expect(new OvirtError({ code: 'conflict', message: 'x' }).retryable).toBe(false);
    expect(OvirtError.is(new OvirtError({ code: 'auth', message: 'x' }), 'auth', 'tls')).toBe(true);
    expect(OvirtError.is(new Error('x'))).toBe(false);
  });
});

describe('search quoting', () => {
  it('quotes plain names and refuses what the search language cannot express exactly', () => {
    expect(nameQuery('my vm')).toBe('name="my vm"');
    expect(nameQuery('a=b AND c')).toBe('name="a=b AND c"');
    expect(nameQuery('x"y')).toBeUndefined();
    expect(nameQuery('web*')).toBeUndefined();
    expect(nameQuery('')).toBeUndefined();
  });
});
