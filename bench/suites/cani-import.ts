// cani import and export at scale: a synthetic cani v1alpha6 file of --cani-nodes nodes (EX
// cabinets of 8 chassis × 8 blades × 4 nodes, one management switch per cabinet, one cable
// from each node's mgmt0 to a switch port) is written to a temporary directory as a stream,
// then the real command (`inventory-gateway import cani`) imports it as a child process, whose
// wall time, peak resident memory and live heap (the most still in use after V8's full
// collections) are measured; then the same file again (nothing changes, every record is
// compared), then `export cani`. Several sizes show whether memory grows with the file. Sections are in cani's order: cables come before the interfaces they join, so
// every cable's sides are resolved after the file is read. --cani-children-first also puts
// every device before its parent (the worst case for deferred links).
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Engine } from '../../src/db/engine-schema.js';
import { type Run, runCells, runCli } from '../lib/cli-run.js';
import { createBenchDatabase } from '../lib/database.js';
import { positiveIntegers } from '../lib/flags.js';
import { inScratchDir } from '../lib/scratch-dir.js';
import { table } from '../lib/stats.js';
import type { BenchSuite, SuiteContext } from './index.js';

const CHASSIS = 8;
const BLADES = 8;
const NODES = 4;
const NODES_PER_RACK = CHASSIS * BLADES * NODES;

const log = (message: string) => process.stderr.write(`[cani-import] ${message}\n`);

/** A stable UUID per thing, derived from its path: no id is kept while writing. */
function idOf(seed: string, ...path: Array<string | number>): string {
  const hex = createHash('sha1')
    .update(`${seed}/${path.join('/')}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const mac = (n: number) => `02:${[n >>> 24, n >>> 16, n >>> 8, n].map((b) => (b & 0xff).toString(16).padStart(2, '0')).join(':')}:01`;

async function put(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

interface Shape {
  nodes: number;
  seed: string;
  childrenFirst: boolean;
}

/** The cabinets' node positions, cabinet by cabinet; the last one may be partly filled. */
function* nodesOf(shape: Shape, rack: number) {
  for (let c = 0; c < CHASSIS; c++) {
    for (let s = 0; s < BLADES; s++) {
      for (let n = 0; n < NODES; n++) {
        const index = rack * NODES_PER_RACK + (c * BLADES + s) * NODES + n;
        if (index < shape.nodes) yield { c, s, n, index, port: (c * BLADES + s) * NODES + n };
      }
    }
  }
}

/** The records of one section, as [id, record] pairs, generated on the fly. */
function* sectionRecords(shape: Shape, section: string): Generator<[string, Record<string, unknown>]> {
  const { seed } = shape;
  const racks = Math.ceil(shape.nodes / NODES_PER_RACK);
  const site = idOf(seed, 'site');
  const room = idOf(seed, 'room');
  if (section === 'locations') {
    yield [site, { id: site, name: 'bench site', locationType: 'site', status: 'active' }];
    yield [room, { id: room, name: 'bench room', locationType: 'room', parent: site, status: 'active' }];
    return;
  }
  for (let r = 0; r < racks; r++) {
    const x = `x${1000 + r}`;
    const rack = idOf(seed, 'rack', r);
    const sw = idOf(seed, 'switch', r);
    if (section === 'racks') {
      yield [
        rack,
        {
          id: rack,
          name: x,
          uHeight: 48,
          location: room,
          status: 'active',
          providerMetadata: { csm: { class: 'Mountain', ordinal: 1000 + r } },
        },
      ];
      continue;
    }
    if (section === 'devices') {
      const devices: Array<[string, Record<string, unknown>]> = [
        [
          sw,
          {
            id: sw,
            name: `sw-leaf-${r}`,
            type: 'mgmt-switch',
            manufacturer: 'Aruba',
            model: '6300M',
            serial: `SW${r}`,
            parent: rack,
            rackPosition: 42,
            status: 'active',
          },
        ],
      ];
      for (let c = 0; c < CHASSIS; c++) {
        const chassis = idOf(seed, 'chassis', r, c);
        devices.push([
          chassis,
          {
            id: chassis,
            name: `${x}c${c}`,
            type: 'chassis',
            parent: rack,
            rackPosition: 1 + 5 * c,
            status: 'active',
            providerMetadata: { csm: { xname: `${x}c${c}` } },
          },
        ]);
        for (let s = 0; s < BLADES; s++) {
          const blade = idOf(seed, 'blade', r, c, s);
          devices.push([
            blade,
            {
              id: blade,
              name: `${x}c${c}s${s}`,
              type: 'blade',
              parent: chassis,
              status: 'active',
              providerMetadata: { csm: { xname: `${x}c${c}s${s}` } },
            },
          ]);
        }
      }
      for (const { c, s, n, index } of nodesOf(shape, r)) {
        const node = idOf(seed, 'node', index);
        const xname = `${x}c${c}s${s}b0n${n}`;
        devices.push([
          node,
          {
            id: node,
            name: xname,
            type: 'node',
            manufacturer: 'HPE',
            model: 'EX425',
            serial: `ND${index}`,
            parent: idOf(seed, 'blade', r, c, s),
            status: 'active',
            role: 'Compute',
            providerMetadata: { csm: { xname, nid: index + 1, role: 'Compute', class: 'Mountain' } },
          },
        ]);
      }
      if (shape.childrenFirst) devices.reverse();
      yield* devices;
      continue;
    }
    for (const { index, port } of nodesOf(shape, r)) {
      const nodeIf = idOf(seed, 'node-if', index);
      const portIf = idOf(seed, 'port', r, port);
      if (section === 'cables') {
        const cable = idOf(seed, 'cable', index);
        yield [
          cable,
          { id: cable, label: `C${index}`, cableType: 'cat6a', status: 'connected', terminationA: nodeIf, terminationB: portIf },
        ];
      } else if (section === 'interfaces') {
        yield [
          nodeIf,
          {
            id: nodeIf,
            name: 'mgmt0',
            interfaceType: '1000base-t',
            deviceId: idOf(seed, 'node', index),
            macAddress: mac(index),
            mgmtOnly: true,
          },
        ];
        yield [portIf, { id: portIf, name: `1/1/${port + 1}`, interfaceType: '1000base-t', deviceId: sw }];
      }
    }
  }
}

/** Writes the file section by section as a stream; answers the number of records. */
async function writeCaniFile(path: string, shape: Shape): Promise<number> {
  const out = createWriteStream(path);
  let records = 0;
  await put(out, '{\n  "schemaVersion": "v1alpha6",\n  "provider": "csm"');
  for (const section of ['locations', 'racks', 'devices', 'modules', 'cables', 'frus', 'interfaces']) {
    await put(out, `,\n  "${section}": {`);
    let first = true;
    for (const [id, record] of sectionRecords(shape, section)) {
      await put(out, `${first ? '' : ','}\n    "${id}": ${JSON.stringify(record, null, 2).replace(/\n/g, '\n    ')}`);
      first = false;
      records++;
    }
    await put(out, first ? '}' : '\n  }');
  }
  out.end('\n}\n');
  await finished(out);
  return records;
}

interface Row {
  engine: Engine;
  nodes: number;
  records?: number;
  fileMiB?: number;
  first?: Run;
  again?: Run;
  exported?: Run;
  error?: string;
}

async function benchSize(context: SuiteContext, engine: Engine, nodes: number, dir: string, rows: Row[]): Promise<void> {
  const row: Row = { engine, nodes };
  rows.push(row);
  const file = join(dir, `cani-${nodes}.json`);
  const bench = await createBenchDatabase(engine, { pgUrl: context.pgUrl });
  try {
    log(`${engine}: writing ${nodes} nodes …`);
    row.records = await writeCaniFile(file, {
      nodes,
      seed: String(context.seed),
      childrenFirst: Boolean(context.values['cani-children-first']),
    });
    row.fileMiB = statSync(file).size / 1024 / 1024;
    const database = ['--database-url', bench.url];
    log(`${engine}: importing ${row.records} records (${row.fileMiB.toFixed(1)} MiB) …`);
    row.first = await runCli(['import', 'cani', file, '--quiet', ...database]);
    log(`${engine}: importing again …`);
    row.again = await runCli(['import', 'cani', file, '--quiet', ...database]);
    log(`${engine}: exporting …`);
    row.exported = await runCli(['export', 'cani', '--output', join(dir, `export-${nodes}.json`), ...database]);
  } catch (error) {
    row.error = (error as Error).message;
  } finally {
    await bench.dispose();
    rmSync(file, { force: true });
    rmSync(join(dir, `export-${nodes}.json`), { force: true });
  }
}

export const caniImportSuite: BenchSuite = {
  summary: 'the inventory-gateway command importing and exporting cani files of several sizes (time, peak memory)',
  flags: {
    'cani-nodes': { type: 'string', default: '1000,10000' },
    'cani-children-first': { type: 'boolean', default: false },
  },
  usage: `  --cani-nodes LIST    cani-import suite: file sizes in nodes (default 1000,10000)
  --cani-children-first  cani-import suite: every device before its parent in the file`,
  async run(context) {
    const sizes = positiveIntegers(context.values['cani-nodes']);
    const rows: Row[] = [];
    await inScratchDir('cani-bench-', async (dir) => {
      for (const engine of context.engines) for (const nodes of sizes) await benchSize(context, engine, nodes, dir, rows);
    });
    const header = [
      'engine',
      'nodes',
      'records',
      'file MiB',
      'import s',
      'process s',
      'RSS MiB',
      'heap MiB',
      'again s',
      'process s',
      'RSS MiB',
      'heap MiB',
      'export s',
      'RSS MiB',
      'heap MiB',
    ];
    const body = rows.map((r) =>
      r.error
        ? [r.engine, String(r.nodes), String(r.records ?? ''), '', '', '', '', '', '', '', '', '', '', '', `error: ${r.error}`]
        : [
            r.engine,
            String(r.nodes),
            String(r.records),
            (r.fileMiB ?? 0).toFixed(1),
            ...runCells(r.first),
            ...runCells(r.again),
            ...runCells(r.exported).slice(1),
          ],
    );
    console.log(
      'import s: as the command reports it (one transaction); process s: the child process, start to exit; RSS: its peak resident set; heap: the most V8 heap still in use after a full collection (the live heap)',
    );
    console.log(table(header, body));
  },
};
