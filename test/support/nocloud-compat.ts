// The fixtures of OpenCHAMI metadata-service's handler and integration tests, in this gateway's
// terms: what its mock SMD holds (components, their interfaces and group memberships) goes in
// through the services; ClusterDefaults and Group resources go through the NoCloud resource API,
// as metadata-service's clients write them; a node's requests arrive over real HTTP through a
// trusted proxy that names the node in X-Forwarded-For, as its integration tests send them.
import { TrustedProxies } from '../../src/server/client-address.js';
import { setWireguardPeer } from '../../src/services/cloud-init/wireguard.js';
import { createInterface } from '../../src/services/inventory/interface.js';
import { createComponents } from '../../src/services/smd/component.js';
import { addGroupMembers, createGroup } from '../../src/services/smd/group.js';
import { type RunningServer, serveOnLoopback } from './http-server.js';
import { type NoCloudGateway, startNoCloudGateway } from './nocloud.js';

/** The proxy the requests come through, and the one metadata-service's X-Forwarded-For test names. */
export const PROXIES = ['127.0.0.1/32', '192.168.1.1/32'];

/** One of SMD's EthernetInterfaces of a node, with the NIC it is (named as metadata-service names them). */
export interface Nic {
  name: string;
  mac: string;
  description?: string;
  ip: string;
  network: string;
}

/** A component in metadata-service's mock SMD: its boot address and MAC, its NICs, its groups. */
export interface SmdNode {
  xname: string;
  nid: number;
  role: string;
  ip: string;
  mac: string;
  /** Its interfaces; one eth0 holding `ip` and `mac` when not given. */
  nics?: Nic[];
  groups?: string[];
}

export interface Answer {
  status: number;
  body: string;
  type: string | null;
}

export interface MetadataServiceFixture {
  gw: NoCloudGateway;
  /** Where the gateway listens (http://127.0.0.1:port). */
  url: string;
  /** Replaces the cluster defaults with this spec (metadata-service's JSON field names); null deletes them. */
  clusterDefaults(spec: Record<string, unknown> | null, name?: string): Promise<void>;
  /** Replaces each named Group resource with its spec; null deletes it. */
  groups(specs: Record<string, Record<string, unknown> | null>): Promise<void>;
  /** Adds a component with its interfaces to SMD, and to its groups (created when SMD has none yet). */
  node(node: SmdNode): Promise<void>;
  /** Registers a WireGuard tunnel address for a node, as /wg-init would. */
  tunnel(xname: string, tunnelIp: string, publicKey: string): Promise<void>;
  /** A node document fetched on behalf of `nodeIp` (X-Forwarded-For: `forwardedFor`, the node's address by default). */
  get(path: string, nodeIp: string, forwardedFor?: string): Promise<Answer>;
  close(): Promise<void>;
}

export async function startMetadataServiceFixture(): Promise<MetadataServiceFixture> {
  const gw = await startNoCloudGateway({ trustedProxies: new TrustedProxies(PROXIES) });
  const server: RunningServer = await serveOnLoopback(gw.app);

  async function resource(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
    const response = await fetch(`${server.url}/cloud-init${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  }

  /** PUT the whole spec; POST when there is nothing to replace yet. */
  async function replace(collection: string, name: string, spec: Record<string, unknown>) {
    let answer = await resource('PUT', `/${collection}/${name}`, { spec });
    if (answer.status === 404) answer = await resource('POST', `/${collection}`, { metadata: { name }, spec });
    if (answer.status !== 200 && answer.status !== 201) throw new Error(`${collection}/${name}: ${answer.status} ${answer.text}`);
  }

  async function remove(collection: string, name: string) {
    const answer = await resource('DELETE', `/${collection}/${name}`);
    if (answer.status !== 200 && answer.status !== 404) throw new Error(`DELETE ${collection}/${name}: ${answer.status} ${answer.text}`);
  }

  return {
    gw,
    url: server.url,
    async clusterDefaults(spec, name = 'cluster-defaults') {
      if (spec === null) await remove('clusterdefaultss', name);
      else await replace('clusterdefaultss', name, spec);
    },
    async groups(specs) {
      for (const [name, spec] of Object.entries(specs)) {
        if (spec === null) await remove('groups', name);
        else await replace('groups', name, spec);
      }
    },
    async node(node) {
      await createComponents(gw.service, [{ xname: node.xname, nid: node.nid, role: node.role }]);
      const nics = node.nics ?? [{ name: 'eth0', mac: node.mac, ip: node.ip, network: 'HMN' }];
      for (const nic of nics) {
        await createInterface(gw.service, {
          xname: node.xname,
          name: nic.name,
          macAddress: nic.mac,
          description: nic.description,
          ipAddresses: [{ address: nic.ip, network: nic.network }],
        });
      }
      for (const group of node.groups ?? []) {
        const exists = await gw.db.prisma.group.count({ where: { kind: 'group', name: group, deletedAt: null } });
        if (exists) await addGroupMembers(gw.service, { name: group }, [node.xname]);
        else await createGroup(gw.service, { name: group, members: [node.xname] });
      }
    },
    async tunnel(xname, tunnelIp, publicKey) {
      await setWireguardPeer(gw.service, xname, { publicKey, allowedIp: tunnelIp }, 'create');
    },
    async get(path, nodeIp, forwardedFor = nodeIp) {
      const response = await fetch(`${server.url}${path}`, { headers: { 'x-forwarded-for': forwardedFor } });
      return { status: response.status, body: await response.text(), type: response.headers.get('content-type') };
    },
    async close() {
      await server.close();
      await gw.close();
    },
  };
}
