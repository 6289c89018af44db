// Applies the reference repository's records as the readers hand them over, inside the import
// session's transaction: grid and sites → locations, clusters and flavors → groups of their
// kind, nodes → devices (node-writer.ts). Idempotent: each record is found by its uid (site
// slug, cluster or flavor group name, node device id) and only what differs is written.

import { type Encoded, splitBookkeeping, withBookkeeping } from '../../codecs/reference/codec.js';
import {
  CLUSTER_KIND,
  clusterGroupName,
  encodeCluster,
  encodeFlavor,
  encodeGrid,
  encodeNode,
  encodeSite,
  FLAVOR_KIND,
  flavorGroupName,
  GRID_LOCATION_TYPE,
  type LocationRow,
  requireTreeUid,
  SITE_LOCATION_TYPE,
} from '../../codecs/reference/records.js';
import { ValidationError } from '../../domain/errors.js';
import type { ImportSession, WriteResult } from '../../services/core/index.js';
import { createLocationIn, updateLocationIn } from '../../services/inventory/index.js';
import { syncGroupIn } from '../../services/smd/index.js';
import { differences } from './diff.js';
import type { ReferenceEvent } from './events.js';
import { writeNode } from './node-writer.js';
import { asSourceField, inRecord } from './record-errors.js';

const SITE_FIELDS = { slug: 'uid' };

export class ReferenceImporter {
  /** The grid location's id once the import named one (sites then hang under it). */
  private gridId: string | undefined;
  private readonly siteIds = new Map<string, string>();
  private readonly clusterIds = new Map<string, string>();
  /** Node ids already written by this import, and where from: a uid twice is an error. */
  private readonly nodesSeen = new Map<string, string>();
  /** Flavor group names already written by this import (uids are compared in lower case). */
  private readonly flavorsSeen = new Map<string, string>();

  constructor(private readonly session: ImportSession) {}

  async apply(event: ReferenceEvent): Promise<void> {
    const uid = typeof event.record.uid === 'string' ? event.record.uid : event.where;
    switch (event.kind) {
      case 'grid':
        return inRecord(`grid ${uid}`, event.where, 'grid', () => this.grid(event));
      case 'site':
        return inRecord(`site ${uid}`, event.where, `sites.${uid}`, () => this.site(event));
      case 'cluster':
        return inRecord(`cluster ${event.site}/${uid}`, event.where, `sites.${event.site}.clusters.${uid}`, () => this.cluster(event));
      case 'node':
        return inRecord(`node ${uid}`, event.where, `sites.${event.site}.clusters.${event.cluster}.nodes.${uid}`, () => this.node(event));
      case 'flavor':
        return inRecord(`flavor ${event.site}/${uid}`, event.where, `sites.${event.site}.flavors.${uid}`, () => this.flavor(event));
    }
  }

  private get tx() {
    return this.session.tx;
  }

  private checkNamed(event: ReferenceEvent) {
    if (event.named !== undefined && event.record.uid !== event.named) {
      throw new ValidationError(
        'uid',
        `must be ${JSON.stringify(event.named)}, the name of its file (got ${JSON.stringify(event.record.uid ?? null)})`,
      );
    }
  }

  private async grid(event: Extract<ReferenceEvent, { kind: 'grid' }>) {
    if (Object.keys(event.record).length === 0) return; // a document with only "sites": no grid
    const uid = requireTreeUid(event.record, 'grid');
    const encoded = encodeGrid(event.record);
    const existing = await this.tx.location.findFirst({
      where: { slug: uid, parentId: null, locationType: GRID_LOCATION_TYPE, deletedAt: null },
    });
    const wanted = { name: uid, properties: withBookkeeping(encoded.properties, encoded.bookkeeping) };
    const written = await this.upsertLocation(existing, wanted, { slug: uid, locationType: GRID_LOCATION_TYPE });
    this.gridId = written.result.id;
    await this.session.record(written.changes);
  }

  private async site(event: Extract<ReferenceEvent, { kind: 'site' }>) {
    this.checkNamed(event);
    const uid = requireTreeUid(event.record, 'site');
    const encoded = encodeSite(event.record, uid);
    const existing = await this.tx.location.findFirst({
      where: { slug: uid, locationType: SITE_LOCATION_TYPE, deletedAt: null },
      orderBy: { createdAt: 'asc' },
    });
    const wanted = {
      name: encoded.columns.name as string,
      description: encoded.columns.description as string | null,
      properties: withBookkeeping(encoded.properties, encoded.bookkeeping),
      ...(this.gridId ? { parentId: this.gridId } : {}),
    };
    const written = await asSourceField('', SITE_FIELDS, () =>
      this.upsertLocation(existing, wanted, { slug: uid, locationType: SITE_LOCATION_TYPE }),
    );
    this.siteIds.set(uid, written.result.id);
    await this.session.record(written.changes);
  }

  private async upsertLocation(
    existing: LocationRow | null,
    wanted: Record<string, unknown>,
    identity: { slug: string; locationType: string },
  ): Promise<WriteResult<LocationRow>> {
    if (!existing) return createLocationIn(this.tx, { ...wanted, ...identity });
    const diff = differences(existing, wanted);
    return diff ? updateLocationIn(this.tx, existing.id, diff) : { result: existing, changes: [] };
  }

  private async siteId(site: string): Promise<string> {
    const known = this.siteIds.get(site);
    if (known) return known;
    const row = await this.tx.location.findFirst({
      where: { slug: site, locationType: SITE_LOCATION_TYPE, deletedAt: null },
      orderBy: { createdAt: 'asc' },
    });
    if (!row) throw new ValidationError('site', `site ${JSON.stringify(site)} is neither in this import nor in the inventory`);
    this.siteIds.set(site, row.id);
    return row.id;
  }

  private async cluster(event: Extract<ReferenceEvent, { kind: 'cluster' }>) {
    this.checkNamed(event);
    await this.siteId(event.site);
    const uid = requireTreeUid(event.record, 'cluster');
    const name = clusterGroupName(event.site, uid);
    const encoded: Encoded = encodeCluster(event.record);
    const existing = await this.tx.group.findFirst({ where: { kind: CLUSTER_KIND, name, deletedAt: null } });
    const path = event.path === undefined ? splitBookkeeping(existing?.properties).bookkeeping.path : event.path;
    const properties = withBookkeeping(encoded.properties, { ...encoded.bookkeeping, ...(path ? { path } : {}) });
    const written = await syncGroupIn(this.tx, { kind: CLUSTER_KIND, name, properties });
    this.clusterIds.set(name, written.result.id);
    await this.session.record(written.changes);
  }

  private async flavor(event: Extract<ReferenceEvent, { kind: 'flavor' }>) {
    this.checkNamed(event);
    await this.siteId(event.site);
    const encoded = encodeFlavor(event.record);
    const name = flavorGroupName(event.site, String(event.record.uid));
    const earlier = this.flavorsSeen.get(name);
    if (earlier) throw new ValidationError('uid', `the same flavor is also at ${earlier} (flavor uids are compared in lower case)`);
    this.flavorsSeen.set(name, event.where);
    const properties = withBookkeeping(encoded.properties, encoded.bookkeeping);
    const written = await syncGroupIn(this.tx, { kind: FLAVOR_KIND, name, properties });
    await this.session.record(written.changes);
  }

  private async clusterId(site: string, cluster: string): Promise<string> {
    const name = clusterGroupName(site, cluster);
    const known = this.clusterIds.get(name);
    if (known) return known;
    const row = await this.tx.group.findFirst({ where: { kind: CLUSTER_KIND, name, deletedAt: null } });
    if (!row) throw new ValidationError('cluster', `cluster ${site}/${cluster} is neither in this import nor in the inventory`);
    this.clusterIds.set(name, row.id);
    return row.id;
  }

  private async node(event: Extract<ReferenceEvent, { kind: 'node' }>) {
    this.checkNamed(event);
    const encoded = encodeNode(event.record);
    const earlier = this.nodesSeen.get(encoded.id);
    if (earlier) throw new ValidationError('uid', `the same node is also at ${earlier}: a node is in one cluster`);
    this.nodesSeen.set(encoded.id, event.where);
    const placement = { siteId: await this.siteId(event.site), clusterId: await this.clusterId(event.site, event.cluster) };
    await this.session.record(await writeNode(this.tx, encoded, placement));
  }
}
