// The real client: Debian's cloud-init (its NoCloud network datasource and vendor-data
// processing, driven by test/support/nocloud-client.py) against the gateway on a loopback
// HTTP server. The client always connects from 127.0.0.1, so that address is moved between
// nodes through the interface service. Needs `apt-get install cloud-init` (nothing of it runs
// on the host besides that script).
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.js';
import { setClusterDefaults, setGroupTemplate } from '../../src/services/cloud-init/cloud-init.js';
import { addIpAddress, createInterface, removeIpAddress } from '../../src/services/inventory/interface.js';
import { createComponents } from '../../src/services/smd/component.js';
import { createGroup } from '../../src/services/smd/group.js';
import { type RunningServer, serveOnLoopback } from '../support/http-server.js';
import { type NoCloudGateway, startNoCloudGateway } from '../support/nocloud.js';

const PYTHON = '/usr/bin/python3';
const CLIENT_SCRIPT = join(import.meta.dirname, '..', 'support', 'nocloud-client.py');

function cloudInitMissing(): string | undefined {
  try {
    execFileSync(PYTHON, ['-c', 'import cloudinit.sources.DataSourceNoCloud'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return `${PYTHON} cannot import cloudinit: install Debian's cloud-init (apt-get install -y cloud-init) to run the real-client test`;
  }
}

const missing = cloudInitMissing();
if (missing) console.warn(`skipped: ${missing}`);

interface ClientResult {
  version: string;
  get_data: boolean;
  error?: string;
  seed_found?: string;
  instance_id?: string;
  hostname?: string;
  public_keys?: string[];
  region?: string;
  availability_zone?: string;
  cloud_name?: string;
  user_data?: string;
  vendor_parts?: Array<{ type: string; payload: string; rendered?: string; config?: Record<string, any> | null }>;
  network_config_disabled?: boolean;
}

/** Server-rendered, written for metadata-service: `ds.*`, and the rack's syslog server from a metadata-only group. */
const COMPUTE_TEMPLATE = [
  '#cloud-config',
  'write_files:',
  '  - path: /etc/node-info',
  '    content: "HOST={{ ds.hostname }} NID={{ ds.nid }} SCHED={{ scheduler }} SYSLOG={% for name, group in ds.vendor_data.groups %}{{ group.syslog_forwarder }}{% endfor %}"',
  'ssh_authorized_keys: {{ ds.meta_data.instance_data.v1.public_keys }}',
  '',
].join('\n');
const JINJA_TEMPLATE = [
  '## template: jinja',
  '#cloud-config',
  'runcmd:',
  '  - echo "{{ ds.meta_data.local_hostname }} {{ v1.instance_id }} {{ ds.meta_data.instance_data.v1.vendor_data.groups.rack1.syslog_forwarder }}"',
  '',
].join('\n');

describe.skipIf(missing !== undefined)("cloud-init's NoCloud datasource against the gateway", () => {
  let gw: NoCloudGateway;
  let server: RunningServer;
  let scratch: string;
  const requests: Array<{ path: string; agent: string }> = [];
  /** Node 3: NID 4, groups compute and sles15. */
  let grouped: { xname: string; interfaceId: string };
  let loner: { xname: string; interfaceId: string };

  async function runClient(seed: string, retries?: number): Promise<ClientResult> {
    const dir = mkdtempSync(join(scratch, 'run-'));
    const args = [CLIENT_SCRIPT, seed, dir, ...(retries === undefined ? [] : [String(retries)])];
    const { stdout } = await promisify(execFile)(PYTHON, args, { timeout: 120_000 });
    return JSON.parse(stdout.trim().split('\n').pop() as string) as ClientResult;
  }

  /** Moves 127.0.0.1 to `node`'s interface (or takes it away). */
  async function give127(to: { interfaceId: string } | undefined, from: { interfaceId: string } | undefined) {
    if (from) await removeIpAddress(gw.service, from.interfaceId, '127.0.0.1');
    if (to) await addIpAddress(gw.service, to.interfaceId, { address: '127.0.0.1', network: 'loopback' });
  }

  beforeAll(async () => {
    gw = await startNoCloudGateway({ nodes: 4 });
    scratch = mkdtempSync(join(tmpdir(), 'nocloud-client-'));
    // No base URL in the defaults: the group URLs point back at this server, as the request came.
    await setClusterDefaults(gw.service, { baseUrl: null });
    await setGroupTemplate(gw.service, 'compute', { template: COMPUTE_TEMPLATE, metaData: { scheduler: 'slurm' } });
    await setGroupTemplate(gw.service, 'sles15', { template: JINJA_TEMPLATE });
    const node = await gw.db.prisma.component.findFirstOrThrow({ where: { nid: 4 }, include: { interfaces: true } });
    grouped = { xname: node.xname, interfaceId: node.interfaces[0].id };
    // A metadata-only group, written before SMD has the group.
    await setGroupTemplate(gw.service, 'rack1', { metaData: { syslog_forwarder: 'syslog.rack1.local' } });
    await createGroup(gw.service, { name: 'rack1', members: [grouped.xname] });
    await createComponents(gw.service, [{ xname: 'x9000c0s0b0n0', nid: 9000, role: 'Compute' }]);
    const nic = await createInterface(gw.service, { xname: 'x9000c0s0b0n0', name: 'eth0', macAddress: '02:00:00:00:90:00' });
    loner = { xname: 'x9000c0s0b0n0', interfaceId: nic.id };
    await give127(grouped, undefined);

    const logged: App = {
      ...gw.app,
      handler: ((req: IncomingMessage, res: ServerResponse) => {
        requests.push({ path: req.url ?? '', agent: String(req.headers['user-agent']) });
        return (gw.app.handler as unknown as (q: IncomingMessage, s: ServerResponse) => unknown)(req, res);
      }) as unknown as App['handler'],
    };
    server = await serveOnLoopback(logged);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await gw?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /** What cloud-init made of metadata-service's documents for node 4 (compute, sles15, rack1). */
  function expectGroupedNode(result: ClientResult) {
    expect(result.get_data, result.error).toBe(true);
    expect(result.instance_id).toBe(grouped.xname);
    expect(result.hostname).toBe('nid000004');
    // metadata-service's meta-data has its keys under instance_data only: cloud-init installs none itself.
    expect(result).toMatchObject({ public_keys: [], region: null, user_data: '#cloud-config\n', network_config_disabled: true });
    const parts = result.vendor_parts ?? [];
    // rack1 has nothing to include; its metaData reaches both kinds of template.
    expect(parts.map((p) => p.type)).toEqual(['text/cloud-config', 'text/jinja2']);
    const [compute, sles15] = parts;
    expect(compute.config).toEqual({
      write_files: [{ path: '/etc/node-info', content: 'HOST=nid000004 NID=4 SCHED=slurm SYSLOG=syslog.rack1.local' }],
      ssh_authorized_keys: [expect.stringMatching(/^ssh-ed25519 .* synthetic@cluster$/)],
    });
    expect(sles15.payload).toBe(JINJA_TEMPLATE);
    expect(sles15.config).toEqual({ runcmd: [`echo "nid000004 ${grouped.xname} syslog.rack1.local"`] });
  }

  it('boots a node in two groups from the root seed: both group documents fetched and parsed', async () => {
    requests.length = 0;
    const result = await runClient(`${server.url}/`);
    expectGroupedNode(result);
    expect(result.seed_found).toBe(`ds_config_seedfrom,${server.url}/`);
    expect(requests.map((r) => r.path)).toEqual([
      '/meta-data',
      '/user-data',
      '/vendor-data',
      '/cloud-init/compute.yaml',
      '/cloud-init/sles15.yaml',
      '/network-config',
    ]);
    expect(requests.every((r) => r.agent.startsWith('Cloud-Init/'))).toBe(true);
    console.log(
      `cloud-init ${result.version}: ${requests.map((r) => r.path).join(' ')} → instance-id ${result.instance_id}, hostname ${result.hostname}`,
    );
  });

  it('boots the same node from the base path, with and without the trailing slash', async () => {
    for (const seed of [`${server.url}/cloud-init/`, `${server.url}/cloud-init`]) {
      requests.length = 0;
      expectGroupedNode(await runClient(seed));
      expect(requests[0].path).toBe(seed.endsWith('/') ? '/cloud-init/meta-data' : '/cloud-initmeta-data');
    }
  });

  it('boots a node in no group: nothing included', async () => {
    await give127(loner, grouped);
    requests.length = 0;
    const result = await runClient(`${server.url}/`);
    expect(result.get_data, result.error).toBe(true);
    expect(result.instance_id).toBe(loner.xname);
    expect(result.hostname).toBe('nid009000');
    // A bare #include, as metadata-service answers: nothing to process (an empty cloud-config would log a warning).
    expect(result.vendor_parts).toEqual([]);
    expect(requests.map((r) => r.path)).toEqual(['/meta-data', '/user-data', '/vendor-data', '/network-config']);
  });

  it('with --nocloud-top-level-keys and --nocloud-instance-id hashed: keys, region and cloud name read by cloud-init, the i- id', async () => {
    const earlier = gw.openApp({ nocloud: { basePath: '/cloud-init', documents: { instanceIdForm: 'hashed', cloudInitKeys: true } } });
    const other = await serveOnLoopback(earlier.app);
    try {
      const result = await runClient(`${other.url}/`);
      expect(result.get_data, result.error).toBe(true);
      expect(result.instance_id).toMatch(/^i-[0-9a-f]{8}$/);
      expect(result.public_keys).toEqual([expect.stringMatching(/^ssh-ed25519 .* synthetic@cluster$/)]);
      expect(result).toMatchObject({ region: 'lab', availability_zone: 'room-1', cloud_name: 'openchami' });
    } finally {
      await other.close();
    }
  });

  it('fails to get data for an address no node has', async () => {
    await give127(undefined, loner);
    const result = await runClient(`${server.url}/`, 1);
    expect(result.get_data).toBe(false);
    expect(result.error).toMatch(/404/);
    expect(requests.filter((r) => r.path === '/meta-data').length).toBeGreaterThan(0);
  });
});
