// V8 settings for a long-running gateway, set at run time (before the database is opened) rather
// than as node flags, so that every way of starting it (npm start, `inventory-gateway serve`, the
// container, the tests' child processes) gets them. An operator's own flag, on the command line or
// in NODE_OPTIONS, wins.
//
// WebAssembly tiering budget. Prisma's query compiler is WebAssembly; building it parses the
// whole schema, a hot loop that V8 re-compiles with TurboFan, its optimising compiler, on
// background threads. Those compilations malloc ~70 MiB of scratch memory that glibc keeps in
// per-thread arenas after it is freed: the idle gateway's resident memory was 235 MiB with them,
// 165 MiB without (`npm run bench -- --suites startup`). After start-up the compiler runs once per
// new query shape (Prisma caches query plans), so its baseline (Liftoff) code costs requests
// little; a budget 50× V8's default (1.8 M) still lets V8 optimise what is hot under sustained load.
import { setFlagsFromString } from 'node:v8';

const WASM_TIERING_BUDGET = 100_000_000;

function setByOperator(flag: string): boolean {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  const spellings = [flag, flag.replaceAll('-', '_')];
  return given.some((arg) => spellings.some((name) => arg === `--${name}` || arg.startsWith(`--${name}=`)));
}

/** Applies the settings; call before the first database query compiles Prisma's query compiler. */
export function tuneV8ForServing(): void {
  if (!setByOperator('wasm-tiering-budget')) setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
}
