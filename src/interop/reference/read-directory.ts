// Reads a reference-repository tree file by file (memory holds one record at a time):
//   <data>/<grid>.json
//   <data>/sites/<s>/<s>.json
//   <data>/sites/<s>/clusters/<c>/<c>.json        (or clusters/<c>.json, as some sites have)
//   <data>/sites/<s>/clusters/<c>/nodes/<uid>.json
//   <data>/sites/<s>/flavors/<f>.json
// <data> is found from the directory given: the data root itself (with sites/ in it), or the
// one <grid>/ below it (a repository's data/, reference_api_v2's tests/data/), or the one
// data/<grid>/ below it (a repository as cloned). Directories starting with a dot are not read.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { isObject, type JsonObject } from '../../codecs/reference/codec.js';
import { ValidationError } from '../../domain/errors.js';
import type { ReferenceEvent } from './events.js';

const isDirectory = (path: string) => existsSync(path) && statSync(path).isDirectory();

/** The directories below `path` that hold a sites/ directory (grids), in sorted order. */
const gridsIn = (path: string) =>
  isDirectory(path) ? subdirectories(path).filter((name) => !name.startsWith('.') && isDirectory(join(path, name, 'sites'))) : [];

/** The data root: the directory with sites/ in it. Entries are read in sorted order, the same on every machine. */
export function dataRoot(directory: string): string {
  if (isDirectory(join(directory, 'sites'))) return directory;
  for (const parent of [directory, join(directory, 'data')]) {
    const grids = gridsIn(parent);
    if (grids.length === 1) return join(parent, grids[0] as string);
    if (grids.length > 1) throw new ValidationError('source', `${parent} holds several grids (${grids.join(', ')}): give one of them`);
  }
  throw new ValidationError(
    'source',
    `${directory} is not a reference repository: no sites/ directory in it, in <grid>/ or in data/<grid>/ (as data/chameleoncloud/sites/ in a clone of reference-repository)`,
  );
}

const subdirectories = (path: string) =>
  readdirSync(path)
    .filter((name) => isDirectory(join(path, name)))
    .sort();

async function entries(path: string): Promise<Array<{ name: string; directory: boolean }>> {
  if (!isDirectory(path)) return [];
  const list = await readdir(path, { withFileTypes: true });
  return list
    .filter((entry) => !entry.name.startsWith('.'))
    .map((entry) => ({ name: entry.name, directory: entry.isDirectory() }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function readRecord(root: string, file: string): Promise<JsonObject> {
  const where = relative(root, file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ValidationError(where, `is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) throw new ValidationError(where, 'must hold a JSON object');
  return parsed;
}

/** <data>/<grid>.json, named after the data directory as in data/chameleoncloud/chameleoncloud.json, else the one JSON file there. */
async function findGridFile(root: string): Promise<string | undefined> {
  const named = join(root, `${basename(root)}.json`);
  if (existsSync(named)) return named;
  const files = (await entries(root)).filter((e) => !e.directory && e.name.endsWith('.json'));
  return files.length === 1 ? join(root, (files[0] as { name: string }).name) : undefined;
}

export async function* readDirectory(directory: string): AsyncGenerator<ReferenceEvent> {
  const root = dataRoot(directory);
  const gridFile = await findGridFile(root);
  if (gridFile) yield { kind: 'grid', record: await readRecord(root, gridFile), where: relative(root, gridFile) };
  for (const site of await entries(join(root, 'sites'))) {
    if (!site.directory) continue;
    const siteDir = join(root, 'sites', site.name);
    const siteFile = join(siteDir, `${site.name}.json`);
    const siteWhere = relative(root, siteFile);
    if (!existsSync(siteFile)) throw new ValidationError(relative(root, siteDir), `has no ${site.name}.json: a site needs its record`);
    yield { kind: 'site', record: await readRecord(root, siteFile), where: siteWhere, named: site.name };
    yield* readClusters(root, siteDir, site.name);
    yield* readFlavors(root, siteDir, site.name);
  }
}

async function* readFlavors(root: string, siteDir: string, site: string): AsyncGenerator<ReferenceEvent> {
  const flavorsDir = join(siteDir, 'flavors');
  for (const entry of await entries(flavorsDir)) {
    if (entry.directory || !entry.name.endsWith('.json')) continue;
    const file = join(flavorsDir, entry.name);
    const named = entry.name.slice(0, -'.json'.length);
    yield { kind: 'flavor', site, record: await readRecord(root, file), where: relative(root, file), named };
  }
}

async function* readClusters(root: string, siteDir: string, site: string): AsyncGenerator<ReferenceEvent> {
  const clustersDir = join(siteDir, 'clusters');
  const list = await entries(clustersDir);
  const directories = new Set(list.filter((e) => e.directory).map((e) => e.name));
  for (const entry of list) {
    if (!entry.directory) {
      // A cluster kept as clusters/<c>.json, with no nodes (two of Chameleon's sites do this).
      if (!entry.name.endsWith('.json')) continue;
      const name = entry.name.slice(0, -'.json'.length);
      const file = join(clustersDir, entry.name);
      const where = relative(root, file);
      if (directories.has(name)) throw new ValidationError(where, `clusters/${name}/ exists too: keep one of them`);
      yield { kind: 'cluster', site, record: await readRecord(root, file), where, named: name, path: `clusters/${entry.name}` };
      continue;
    }
    const clusterDir = join(clustersDir, entry.name);
    const file = join(clusterDir, `${entry.name}.json`);
    const where = relative(root, file);
    if (!existsSync(file)) throw new ValidationError(relative(root, clusterDir), `has no ${entry.name}.json: a cluster needs its record`);
    yield { kind: 'cluster', site, record: await readRecord(root, file), where, named: entry.name, path: null };
    for (const node of await entries(join(clusterDir, 'nodes'))) {
      if (node.directory || !node.name.endsWith('.json')) continue;
      const nodeFile = join(clusterDir, 'nodes', node.name);
      const nodeWhere = relative(root, nodeFile);
      const named = node.name.slice(0, -'.json'.length);
      yield { kind: 'node', site, cluster: entry.name, record: await readRecord(root, nodeFile), where: nodeWhere, named };
    }
  }
}
