// The `smd` export: {"<path>": <GET /hsm/v2/<path>>, ...} for every SMD collection, in the
// order an import applies them. Each collection is read through the services' queries with
// the filters an unfiltered GET uses, and encoded by the same SMD codec the /hsm/v2 routes
// answer with, so a dump holds exactly what those GETs return (and what an import pulling from
// a URL reads). It is streamed out record by record.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import {
  componentEndpointJson,
  componentJson,
  ethernetInterfaceJson,
  groupJson,
  locationJson,
  redfishEndpointJson,
  serviceEndpointJson,
} from '../../codecs/smd/index.js';
import type { Db, ServiceContext } from '../../services/core/index.js';
import { listEthernetInterfaces } from '../../services/inventory/index.js';
import {
  findComponents,
  listComponentEndpoints,
  listGroups,
  listHardwareLocations,
  listRedfishEndpoints,
  listServiceEndpoints,
} from '../../services/smd/index.js';
import { SMD_COLLECTIONS } from './collections.js';

/** Each collection's records, as its GET lists them. */
const RECORDS: Record<string, (ctx: ServiceContext) => Promise<unknown[]>> = {
  'State/Components': async (ctx) => (await findComponents(ctx, {}, 'all')).map(componentJson),
  'Inventory/RedfishEndpoints': async (ctx) => (await listRedfishEndpoints(ctx)).map(redfishEndpointJson),
  'Inventory/ComponentEndpoints': async (ctx) => (await listComponentEndpoints(ctx)).map(componentEndpointJson),
  'Inventory/ServiceEndpoints': async (ctx) => (await listServiceEndpoints(ctx)).map(serviceEndpointJson),
  'Inventory/EthernetInterfaces': async (ctx) => (await listEthernetInterfaces(ctx)).map(ethernetInterfaceJson),
  groups: async (ctx) => (await listGroups(ctx, 'group', { names: [], tags: [] })).map((g) => groupJson(g, 'group')),
  partitions: async (ctx) => (await listGroups(ctx, 'partition', { names: [], tags: [] })).map((g) => groupJson(g, 'partition')),
  'Inventory/Hardware': async (ctx) => (await listHardwareLocations(ctx)).map(locationJson),
};

async function put(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

export async function writeSmdDump(db: Db, out: Writable): Promise<void> {
  const ctx: ServiceContext = { db, source: 'system' };
  await put(out, '{');
  for (const [i, collection] of SMD_COLLECTIONS.entries()) {
    const records = await RECORDS[collection.path](ctx);
    // What JSON.stringify writes for the GET's answer: the list, bare or under its key.
    await put(
      out,
      `${i ? ',' : ''}\n${JSON.stringify(collection.path)}: ${collection.listKey ? `{${JSON.stringify(collection.listKey)}:` : ''}[`,
    );
    for (const [j, record] of records.entries()) await put(out, `${j ? ',' : ''}${JSON.stringify(record)}`);
    await put(out, collection.listKey ? ']}' : ']');
  }
  await put(out, '\n}\n');
}
