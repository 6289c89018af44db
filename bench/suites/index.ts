// Bench suites beyond the core three (graphql, smd, nocloud, in bench/run.ts): each lives in
// its own file here, brings its own flags, and prints its own table. `npm run bench --
// --suites NAME` runs one; run.ts merges their flags and usage into its --help.
import type { Engine } from '../../src/db/engine-schema.js';
import { caniImportSuite } from './cani-import.js';
import { consoleSuite } from './console.js';
import { costCurveSuite } from './cost-curve.js';
import { discoverySuite } from './discovery.js';
import { historySuite } from './history.js';
import { loadSuite } from './load.js';
import { postgraphileSuite } from './postgraphile.js';
import { referenceImportSuite } from './reference-import.js';
import { seedVsImportSuite } from './seed-vs-import.js';
import { smdImportSuite } from './smd-import.js';
import { startupSuite } from './startup.js';

export interface SuiteContext {
  engines: Engine[];
  pgUrl: string;
  seed: number | string;
  /** All parsed flags, the suite's own included (strings as given, booleans). */
  values: Record<string, string | boolean | undefined>;
}

export interface BenchSuite {
  /** One line for --help. */
  summary: string;
  /** The suite's own flags (names must not collide with run.ts's or another suite's). */
  flags: Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>;
  /** --help lines for those flags, already indented like run.ts's. */
  usage: string;
  run(context: SuiteContext): Promise<void>;
}

export const EXTRA_SUITES: Record<string, BenchSuite> = {
  load: loadSuite,
  history: historySuite,
  'cani-import': caniImportSuite,
  postgraphile: postgraphileSuite,
  'reference-import': referenceImportSuite,
  startup: startupSuite,
  'cost-curve': costCurveSuite,
  console: consoleSuite,
  discovery: discoverySuite,
  'smd-import': smdImportSuite,
  'seed-vs-import': seedVsImportSuite,
};
