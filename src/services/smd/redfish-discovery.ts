// What posting a Redfish endpoint with its discovered inventory records (OpenCHAMI SMD's
// RedfishEndpoints POST/PUT extension, sent by magellan and ochami), in ONE transaction with
// the endpoint itself: all of it is written, or (one bad MAC, one bad IP …) none of it.
//
// - SchemaVersion ≥ 1 ("v2"): per Manager, a component at the endpoint's xname, its
//   ComponentEndpoint (RedfishType Manager, reset actions, NICs, command shell) and
//   EthernetInterfaces; per distinct System UUID i, a Node component <endpoint>n<i>, its
//   ComponentEndpoint (ComputerSystem, reset target and allowable values, NICs, power URL and
//   controls) and EthernetInterfaces.
// - No SchemaVersion ("v1", legacy): per Systems[].Data, a component and a ComputerSystem
//   ComponentEndpoint at the endpoint's own xname (SMD's oddity), with NIC info.
// - PDUInventory: the CabinetPDUController and one CabinetPDUPowerConnector per outlet, with
//   their Manager and Outlet ComponentEndpoints (JAWS paths).
//
// Where SMD differs: components that exist are left as they are (PDU outlets on PUT: forced);
// interfaces whose MAC exists are re-pointed and updated instead of answering 409 (SMD HEAD
// inserts manager NICs twice and leaks a 409 into a successful POST); a node's NID is its
// Defaults/NodeMaps NID, else SMD's i+1 when free, else the next free NID (NIDs are unique
// here); interfaces without an IP are stored without addresses (SMD drops them with a 400);
// Systems of an endpoint that is not a NodeBMC are skipped (<endpoint>n<i> names no position).
import type { Tx } from '../../db/client.js';
import { ValidationError } from '../../domain/errors.js';
import { normalizeMac } from '../../domain/mac.js';
import { xnameType } from '../../domain/xname.js';
import type { Change } from '../core/change-log.js';
import type { ServiceContext } from '../core/context.js';
import { type WriteResult, write } from '../core/transaction.js';
import { type EthernetInterfaceInput, writeEthernetInterfacesIn } from '../inventory/interface.js';
import { type ComponentInput, upsertComponentsIn } from './component.js';
import {
  type ComponentEndpointInput,
  createRedfishEndpointIn,
  type RedfishEndpointInput,
  replaceComponentEndpointIn,
  replaceRedfishEndpointIn,
  syncComponentEndpointIn,
} from './redfish.js';

export interface DiscoveredInterface {
  uri?: string;
  mac?: string;
  ip?: string;
  name?: string;
  description?: string;
  enabled?: boolean;
}

export interface DiscoveredManager {
  uri?: string;
  name?: string;
  ethernetInterfaces?: DiscoveredInterface[];
  /** ResetType allowable values. */
  actions?: string[];
  /** CommandShell connect types (SSH, IPMI …). */
  commandShell?: string[];
}

export interface DiscoveredSystem {
  uri?: string;
  uuid?: string;
  name?: string;
  systemType?: string;
  ethernetInterfaces?: DiscoveredInterface[];
  actions?: string[];
  chassisLinks?: string[];
  powerControlIds?: string[];
}

/** A v1 (legacy) Systems[] entry: the raw Redfish ComputerSystem and its EthernetInterfaces. */
export interface LegacySystem {
  data?: Record<string, unknown>;
  ethernetInterfaces?: Array<Record<string, unknown>>;
}

export interface DiscoveredOutlet {
  originalId?: string;
  idSuffix?: string;
  name?: string;
  state?: string;
  socketType?: string;
}

export interface RedfishInventory {
  /** ≥ 1 selects the v2 Managers/Systems parsing; otherwise legacy Systems are read. */
  schemaVersion?: number;
  managers?: DiscoveredManager[];
  systems?: DiscoveredSystem[];
  legacySystems?: LegacySystem[];
  /** PDUInventory: takes precedence over Managers/Systems, as in SMD. */
  pduOutlets?: DiscoveredOutlet[];
}

interface Endpoint {
  xname: string;
  fqdn: string | null;
  enabled: boolean;
}

const REDFISH_STATES = ['Unknown', 'Empty', 'Populated', 'Off', 'On', 'Standby', 'Halt', 'Ready'];

/** SMD's NormalizeURLPath: an absolute URL becomes its path. */
function urlPath(uri: string | undefined): string {
  if (!uri) return '';
  if (/^https?:/i.test(uri)) {
    try {
      return new URL(uri).pathname;
    } catch {
      return uri;
    }
  }
  return uri;
}

const posixDir = (p: string) => (p.includes('/') ? p.replace(/\/[^/]*\/?$/, '') || '/' : '.');
const posixJoin = (...parts: string[]) => parts.join('/').replace(/\/+/g, '/');

const macKey = (mac: string | undefined) => (mac ? (normalizeMac(mac) ?? mac) : '');

function resetAction(uri: string, kind: 'Manager' | 'ComputerSystem', actions: string[] | undefined) {
  return {
    [`#${kind}.Reset`]: {
      'ResetType@Redfish.AllowableValues': actions ?? [],
      '@Redfish.ActionInfo': `${uri}/ResetActionInfo`,
      target: `${uri}/Actions/${kind}.Reset`,
    },
  };
}

function managerInfo(m: DiscoveredManager, uri: string) {
  return {
    Name: m.name || undefined,
    Actions: resetAction(uri, 'Manager', m.actions),
    EthernetNICInfo: (m.ethernetInterfaces ?? []).map((eth) => ({
      RedfishId: '',
      '@odata.id': '',
      Description: eth.description || undefined,
      Hostname: eth.name || undefined,
      InterfaceEnabled: eth.enabled ?? false,
      MACAddress: macKey(eth.mac),
      PermanentMACAddress: macKey(eth.mac) || undefined,
    })),
    CommandShell: { ServiceEnabled: true, MaxConcurrentSessions: 65536, ConnectTypesSupported: m.commandShell ?? [] },
  };
}

function systemInfo(s: DiscoveredSystem, uri: string) {
  const ethernetInterfaces = (s.ethernetInterfaces ?? []).map((eth) => {
    const ethUri = urlPath(eth.uri);
    return {
      RedfishId: ethUri,
      '@odata.id': ethUri,
      Description: eth.description || undefined,
      InterfaceEnabled: true,
      MACAddress: macKey(eth.mac),
    };
  });
  const chassis = s.chassisLinks?.[0];
  const path = urlPath(uri);
  const power = chassis
    ? {
        PowerURL: posixJoin(posixDir(chassis), 'Power'),
        PowerControl: (s.powerControlIds ?? []).map((id) => ({
          '@odata.id': id,
          MemberId: id.split('/').at(-1) ?? '',
          Name: 'System Power Control',
          RelatedItem: [{ '@odata.id': path }, { '@odata.id': chassis }],
        })),
      }
    : {};
  return {
    Name: s.name || undefined,
    Actions: resetAction(uri, 'ComputerSystem', s.actions),
    EthernetNICInfo: ethernetInterfaces,
    ...power,
  };
}

const withoutUndefined = <T extends object>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The SMD interfaces of a list of discovered NICs, owned by `xname`; `path` locates errors. */
function interfacesOf(
  eths: DiscoveredInterface[] | undefined,
  xname: string,
  kind: string,
  path: string,
): Array<EthernetInterfaceInput & { path: string }> {
  return (eths ?? []).map((eth, i) => ({
    path: `${path}.${i}`,
    macAddress: eth.mac ?? '',
    description: eth.description || null,
    componentXname: xname,
    ipAddresses: eth.ip ? [{ address: eth.ip }] : [],
    kind,
  }));
}

/**
 * Chooses NIDs for the nodes about to be created: the node's NodeMaps NID, else `wanted`
 * when no live component holds it, else the next NID above every live one.
 */
async function allocateNids(
  tx: Tx,
  nodes: Array<{ xname: string; wanted: number }>,
): Promise<Map<string, { nid: number; role: string | null; subRole: string | null }>> {
  const out = new Map<string, { nid: number; role: string | null; subRole: string | null }>();
  if (nodes.length === 0) return out;
  const maps = await tx.nodeMap.findMany({ where: { xname: { in: nodes.map((n) => n.xname) } } });
  const mapOf = new Map(maps.map((m) => [m.xname, m]));
  // NIDs are BIGINT columns: compare and count them as numbers (see nid.ts).
  const candidates = nodes.map((n) => Number(mapOf.get(n.xname)?.nid ?? n.wanted));
  const held = await tx.component.findMany({ where: { deletedAt: null, nid: { in: candidates } }, select: { nid: true } });
  const taken = new Set(held.map((h) => Number(h.nid)));
  let next = Number((await tx.component.aggregate({ where: { deletedAt: null }, _max: { nid: true } }))._max.nid ?? 0) + 1;
  for (const [i, node] of nodes.entries()) {
    const map = mapOf.get(node.xname);
    let nid = candidates[i];
    if (taken.has(nid) && !map) {
      while (taken.has(next)) next += 1;
      nid = next;
    }
    taken.add(nid);
    next = Math.max(next, nid + 1);
    out.set(node.xname, { nid, role: map?.role ?? null, subRole: map?.subRole ?? null });
  }
  return out;
}

interface Plan {
  components: ComponentInput[];
  force: boolean;
  endpoints: ComponentEndpointInput[];
  interfaces: Array<EthernetInterfaceInput & { path: string }>;
}

async function v2Plan(tx: Tx, ep: Endpoint, inv: RedfishInventory): Promise<Plan> {
  const plan: Plan = { components: [], force: false, endpoints: [], interfaces: [] };
  for (const [i, manager] of (inv.managers ?? []).entries()) {
    const uri = urlPath(manager.uri);
    plan.components.push({ xname: ep.xname, state: 'Ready', enabled: true });
    plan.interfaces.push(...interfacesOf(manager.ethernetInterfaces, ep.xname, 'bmc', `Managers.${i}.ethernet_interfaces`));
    plan.endpoints.push({
      xname: ep.xname,
      redfishEndpointXname: ep.xname,
      redfishType: 'Manager',
      odataId: uri || '/redfish/v1/Managers',
      componentEndpointType: 'ComponentEndpointManager',
      redfishUrl: `${ep.fqdn ?? ep.xname}${uri}`,
      enabled: true,
      info: withoutUndefined(managerInfo(manager, uri)),
    });
  }
  // One node per distinct System UUID, numbered in order of first appearance.
  const systems = inv.systems ?? [];
  const seen = new Set<string>();
  const nodes: Array<{ xname: string; system: DiscoveredSystem; index: number; path: string }> = [];
  for (const [i, first] of systems.entries()) {
    const uuid = first.uuid ?? '';
    if (seen.has(uuid)) continue;
    seen.add(uuid);
    const complete = first.powerControlIds?.length
      ? first
      : (systems.find((s) => (s.uuid ?? '') === uuid && s.powerControlIds?.length) ?? first);
    const xname = `${ep.xname}n${nodes.length}`;
    // Only a NodeBMC has nodes below it (<bmc>n<i>); another controller's Systems name no position.
    if (xnameType(xname) !== 'Node') continue;
    nodes.push({ xname, system: complete, index: nodes.length, path: `Systems.${i}` });
  }
  const live = await tx.component.findMany({
    where: { deletedAt: null, xname: { in: nodes.map((n) => n.xname) } },
    select: { xname: true },
  });
  const existing = new Set(live.map((c) => c.xname));
  const nids = await allocateNids(
    tx,
    nodes.filter((n) => !existing.has(n.xname)).map((n) => ({ xname: n.xname, wanted: n.index + 1 })),
  );
  for (const node of nodes) {
    const uri = urlPath(node.system.uri);
    const assigned = nids.get(node.xname);
    plan.components.push({
      xname: node.xname,
      state: 'On',
      enabled: true,
      ...(assigned ? { nid: assigned.nid, role: assigned.role, subRole: assigned.subRole } : {}),
    });
    plan.interfaces.push(...interfacesOf(node.system.ethernetInterfaces, node.xname, 'ethernet', `${node.path}.ethernet_interfaces`));
    plan.endpoints.push({
      xname: node.xname,
      redfishEndpointXname: ep.xname,
      redfishType: 'ComputerSystem',
      redfishSubtype: node.system.systemType || null,
      uuid: node.system.uuid || null,
      odataId: uri || `/redfish/v1/Systems/${node.index}`,
      componentEndpointType: 'ComponentEndpointComputerSystem',
      redfishUrl: `${ep.fqdn ?? ep.xname}${uri}`,
      enabled: true,
      info: withoutUndefined(systemInfo(node.system, uri)),
    });
  }
  return plan;
}

function v1Plan(ep: Endpoint, inv: RedfishInventory): Plan {
  const plan: Plan = { components: [], force: false, endpoints: [], interfaces: [] };
  for (const system of inv.legacySystems ?? []) {
    const data = system.data;
    if (!data) continue;
    const status = data.Status as { State?: unknown } | undefined;
    const enabled = status?.State === 'Enabled';
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
    if (!plan.components.some((c) => c.xname === ep.xname)) plan.components.push({ xname: ep.xname, state: 'Ready', enabled });
    const nics = system.ethernetInterfaces?.map((nic) => ({
      InterfaceEnabled: nic.InterfaceEnabled === true,
      RedfishId: text(nic.Id) ?? '',
      '@odata.id': text(nic['@odata.id']) ?? '',
      Description: text(nic.Description) ?? undefined,
      MACAddress: typeof nic.MACAddress === 'string' ? macKey(nic.MACAddress.toLowerCase()) : '',
    }));
    const odataId = text(data['@odata.id']) ?? '/redfish/v1/Systems';
    const entry: ComponentEndpointInput = {
      xname: ep.xname,
      redfishEndpointXname: ep.xname,
      redfishType: 'ComputerSystem',
      redfishSubtype: text(data.SystemType),
      uuid: text(data.UUID),
      odataId,
      componentEndpointType: 'ComponentEndpointComputerSystem',
      enabled,
      info: nics ? withoutUndefined({ EthernetNICInfo: nics }) : {},
    };
    // Every System writes the same endpoint (its ID is the endpoint's): the last one stays.
    plan.endpoints = [...plan.endpoints.filter((e) => e.xname !== ep.xname), entry];
  }
  return plan;
}

function pduPlan(ep: Endpoint, outlets: DiscoveredOutlet[]): Plan {
  const plan: Plan = { components: [{ xname: ep.xname, state: 'On', enabled: ep.enabled }], force: true, endpoints: [], interfaces: [] };
  plan.endpoints.push({
    xname: ep.xname,
    redfishEndpointXname: ep.xname,
    redfishType: 'Manager',
    odataId: '/jaws',
    componentEndpointType: 'ComponentEndpointManager',
    redfishUrl: `${ep.fqdn ?? ep.xname}/jaws`,
    enabled: ep.enabled,
    info: { Name: 'JAWS' },
  });
  for (const [i, outlet] of outlets.entries()) {
    const xname = `${ep.xname}${outlet.idSuffix ?? ''}`;
    const state = REDFISH_STATES.find((s) => s.toLowerCase() === (outlet.state ?? '').toLowerCase());
    if (!state)
      throw new ValidationError(
        `PDUInventory.Outlets.${i}.state`,
        `must be one of ${REDFISH_STATES.join(', ')} (got ${JSON.stringify(outlet.state ?? '')})`,
      );
    const enabled = state === 'On';
    const monitor = `/jaws/monitor/outlets/${outlet.originalId ?? ''}`;
    plan.components.push({ xname, state, enabled });
    plan.endpoints.push({
      xname,
      redfishEndpointXname: ep.xname,
      redfishType: 'Outlet',
      redfishSubtype: outlet.socketType || null,
      odataId: monitor,
      componentEndpointType: 'ComponentEndpointOutlet',
      redfishUrl: `${ep.fqdn ?? ep.xname}${monitor}`,
      enabled,
      info: withoutUndefined({
        Name: outlet.name || undefined,
        Actions: {
          '#Outlet.PowerControl': {
            'PowerState@Redfish.AllowableValues': ['On', 'Off'],
            target: `/jaws/control/outlets/${outlet.originalId ?? ''}`,
          },
        },
      }),
    });
  }
  return plan;
}

/**
 * Writes the side effects of `inventory` for an endpoint just written, in the caller's
 * transaction. `sync` (the gateway's own crawls) leaves interfaces and ComponentEndpoints that
 * already match alone, so rediscovering unchanged hardware logs nothing; magellan's POSTs
 * rewrite them as SMD does.
 */
export async function applyRedfishInventoryIn(
  tx: Tx,
  ep: Endpoint,
  inventory: RedfishInventory | undefined,
  options: { force?: boolean; sync?: boolean } = {},
): Promise<Change[]> {
  if (!inventory) return [];
  let plan: Plan;
  if (inventory.pduOutlets !== undefined) {
    if (inventory.pduOutlets.length === 0) return [];
    plan = pduPlan(ep, inventory.pduOutlets);
    plan.force = options.force ?? false;
  } else if ((inventory.schemaVersion ?? 0) > 0) {
    plan = await v2Plan(tx, ep, inventory);
  } else {
    plan = v1Plan(ep, inventory);
  }
  const changes: Change[] = [];
  // A component named twice (several Managers) is written once.
  const components = [...new Map(plan.components.map((c) => [c.xname, c])).values()];
  if (components.length) changes.push(...(await upsertComponentsIn(tx, components, { force: plan.force }, 'components')).changes);
  // Interfaces: one write per MAC (the last mention wins), re-pointing MACs already known.
  const byMac = new Map(plan.interfaces.map((i) => [macKey(i.macAddress), i]));
  const interfaces = [...byMac.values()];
  if (interfaces.length) {
    try {
      changes.push(...(await writeEthernetInterfacesIn(tx, interfaces, options.sync ? 'sync' : 'replace', 'ethernetInterfaces')).changes);
    } catch (error) {
      throw relocate(error, interfaces);
    }
  }
  const ceByXname = new Map(plan.endpoints.map((e) => [e.xname, e]));
  const putEndpoint = options.sync ? syncComponentEndpointIn : replaceComponentEndpointIn;
  for (const entry of ceByXname.values()) changes.push(...(await putEndpoint(tx, entry)).changes);
  return changes;
}

/** Renames an interface error's field (ethernetInterfaces.3.macAddress) to where the payload had it. */
function relocate(error: unknown, interfaces: Array<{ path: string }>): unknown {
  if (!(error instanceof ValidationError) || !error.field) return error;
  const match = /^ethernetInterfaces\.(\d+)\.(.*)$/.exec(error.field);
  if (!match) return error;
  const field = `${interfaces[Number(match[1])].path}.${match[2]}`;
  return new ValidationError(field, error.message.slice(error.field.length + 2));
}

/**
 * SMD POST /Inventory/RedfishEndpoints with one endpoint: the endpoint and its inventory's
 * side effects in one transaction. A taken xname or FQDN is a CONFLICT and writes nothing.
 */
export async function createRedfishEndpointWithInventory(ctx: ServiceContext, input: RedfishEndpointInput, inventory?: RedfishInventory) {
  return write(ctx, async (tx) => {
    const { result, changes } = await createRedfishEndpointIn(tx, input);
    const more = await applyRedfishInventoryIn(tx, result, inventory, { force: false });
    return { result, changes: [...changes, ...more] };
  });
}

/**
 * SMD PUT /Inventory/RedfishEndpoints/{xname}: replaces the endpoint (or creates it) and writes
 * its inventory's side effects, in one transaction. `created` tells which happened.
 */
export async function replaceRedfishEndpointWithInventory(ctx: ServiceContext, input: RedfishEndpointInput, inventory?: RedfishInventory) {
  return write(ctx, async (tx): Promise<WriteResult<Awaited<ReturnType<typeof replaceRedfishEndpointIn>>['result']>> => {
    const { result, changes } = await replaceRedfishEndpointIn(tx, input);
    const more = await applyRedfishInventoryIn(tx, result.row, inventory, { force: true });
    return { result, changes: [...changes, ...more] };
  });
}
