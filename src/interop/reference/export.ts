// The store back out as the reference repository: as one JSON document (the shape
// read-document.ts reads, each record's list of children last) or as the repository's tree of
// files. Both stream: memory holds one page of nodes at a time.

import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import type { JsonObject } from '../../codecs/reference/codec.js';
import { clusterPathOf, decodeCluster, decodeFlavor, decodeGrid, decodeSite, siteUidOf } from '../../codecs/reference/records.js';
import { ValidationError } from '../../domain/errors.js';
import type { Db } from '../../services/core/index.js';
import { findGrid, listClusters, listFlavors, listSites, nodePages } from '../../services/inventory/index.js';

interface ExportTree {
  grid: JsonObject | null;
  sites: Array<{ json: JsonObject; clusters: Array<{ json: JsonObject; id: string; path?: string }>; flavors: JsonObject[] }>;
}

/** Everything but the nodes (a handful of records); nodes are paged in by the writers. */
async function exportTree(db: Db): Promise<ExportTree> {
  const sites = await listSites(db);
  const grid = await findGrid(db, sites);
  return {
    grid: grid ? decodeGrid(grid) : null,
    sites: await Promise.all(
      sites.map(async (site) => ({
        json: decodeSite(site),
        clusters: (await listClusters(db, siteUidOf(site))).map((group) => ({
          json: decodeCluster(group),
          id: group.id,
          path: clusterPathOf(group),
        })),
        flavors: (await listFlavors(db, siteUidOf(site))).map(decodeFlavor),
      })),
    ),
  };
}

async function put(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** `{…fields, "<list>": [` — the record's own fields, then its list of children opened. */
function openRecord(record: JsonObject, list: string): string {
  const fields = JSON.stringify(record);
  return `${fields === '{}' ? '{' : `${fields.slice(0, -1)},`}${JSON.stringify(list)}:[`;
}

export async function writeDocument(db: Db, out: Writable): Promise<void> {
  const tree = await exportTree(db);
  await put(out, `${openRecord(tree.grid ?? {}, 'sites')}\n`);
  for (const [s, site] of tree.sites.entries()) {
    await put(out, `${s ? ',\n' : ''}${openRecord(site.json, 'clusters')}\n`);
    for (const [c, cluster] of site.clusters.entries()) {
      await put(out, `${c ? ',\n' : ''}${openRecord(cluster.json, 'nodes')}\n`);
      let first = true;
      for await (const page of nodePages(db, cluster.id)) {
        for (const node of page) {
          await put(out, `${first ? '' : ',\n'}${JSON.stringify(node.json)}`);
          first = false;
        }
      }
      await put(out, `${first ? '' : '\n'}]}`);
    }
    // A site's flavors (few) follow its clusters, and only when it has some.
    const flavors = site.flavors.length ? `,"flavors":[\n${site.flavors.map((f) => JSON.stringify(f)).join(',\n')}\n]` : '';
    await put(out, `\n]${flavors}}`);
  }
  await put(out, '\n]}\n');
}

const fileText = (record: JsonObject) => `${JSON.stringify(record, null, 2)}\n`;

/** A uid as a file or directory name: refused when it could step out of the tree (uids can be edited through other APIs). */
function fileName(uid: unknown, what: string): string {
  const name = String(uid);
  if (name === '' || name.startsWith('.') || /[/\\\0]/.test(name))
    throw new ValidationError('uid', `the ${what} uid ${JSON.stringify(name)} cannot be a file name`);
  return name;
}

const CLUSTER_FILE = /^clusters\/[^/\\]+\.json$/;

async function writeJson(file: string, record: JsonObject): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, fileText(record));
}

/** The repository's data tree under `directory`: <grid>.json and sites/… (files are overwritten). */
export async function writeDirectory(db: Db, directory: string): Promise<void> {
  const tree = await exportTree(db);
  if (tree.grid) await writeJson(join(directory, `${fileName(tree.grid.uid, 'grid')}.json`), tree.grid);
  for (const site of tree.sites) {
    const siteUid = fileName(site.json.uid, 'site');
    const siteDir = join(directory, 'sites', siteUid);
    await writeJson(join(siteDir, `${siteUid}.json`), site.json);
    for (const cluster of site.clusters) {
      const uid = fileName(cluster.json.uid, 'cluster');
      const path = cluster.path && CLUSTER_FILE.test(cluster.path) ? cluster.path : join('clusters', uid, `${uid}.json`);
      await writeJson(join(siteDir, path), cluster.json);
      for await (const page of nodePages(db, cluster.id)) {
        for (const node of page)
          await writeJson(join(siteDir, 'clusters', uid, 'nodes', `${fileName(node.json.uid, 'node')}.json`), node.json);
      }
    }
    for (const flavor of site.flavors) await writeJson(join(siteDir, 'flavors', `${fileName(flavor.uid, 'flavor')}.json`), flavor);
  }
}
