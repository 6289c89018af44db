// Prisma's schema engine, compiled to WebAssembly, driven through a driver adapter.
// It applies and diffs migrations in Prisma's standard layout without the native engine
// binary that the Prisma CLI would download (air-gapped sites cannot).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

type EngineModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

let loaded: Promise<EngineModule> | undefined;

// Node 20 cannot import a .wasm file, so the module is instantiated by hand, the way the
// package's own entry point does in environments that can.
function loadEngineModule(): Promise<EngineModule> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const bindings: EngineModule = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const bindingsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = readFileSync(join(dirname(bindingsPath), 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': bindings as unknown as WebAssembly.ModuleImports,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return bindings;
  })();
  return loaded;
}

/**
 * The engine replays whole migration files on the shadow database through `executeRaw`;
 * better-sqlite3 prepares one statement at a time, so a parameterless script goes to
 * `executeScript` instead.
 */
function scriptAware(adapter: SqlDriverAdapter): SqlDriverAdapter {
  if (adapter.provider !== 'sqlite') return adapter;
  return new Proxy(adapter, {
    get(obj, prop, receiver) {
      if (prop === 'executeRaw') {
        return async (query: SqlQuery) => {
          if (query.args.length > 0) return obj.executeRaw(query);
          await obj.executeScript(query.sql);
          return 0;
        };
      }
      const value = Reflect.get(obj, prop, receiver);
      return typeof value === 'function' ? value.bind(obj) : value;
    },
  });
}

/**
 * Runs `work` with a schema engine on the given adapter factory, then frees the engine and
 * closes every connection it opened (an open SQLite connection would keep its lock).
 */
export async function withSchemaEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  datamodel: { path: string; content: string },
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const bindings = await loadEngineModule();
  // The engine disposes some adapters itself (a PostgreSQL shadow database is dropped on
  // dispose), so each one is disposed at most once.
  const opened: Array<() => Promise<void>> = [];
  const track = async (connect: () => Promise<SqlDriverAdapter>) => {
    const adapter = await connect();
    let disposed: Promise<void> | undefined;
    const disposeOnce = () => (disposed ??= adapter.dispose());
    opened.push(disposeOnce);
    return new Proxy(adapter, {
      get(obj, prop, receiver) {
        if (prop === 'dispose') return disposeOnce;
        const value = Reflect.get(obj, prop, receiver);
        return typeof value === 'function' ? value.bind(obj) : value;
      },
    });
  };
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => track(() => factory.connect()),
    connectToShadowDb: () => track(async () => scriptAware(await factory.connectToShadowDb())),
  };
  const engine = await bindings.SchemaEngine.new(
    { datamodels: [[datamodel.path, datamodel.content]] },
    (msg: string) => {
      if (process.env.SCHEMA_ENGINE_LOG) console.error(msg);
    },
    bindMigrationAwareSqlAdapterFactory(tracking),
  );
  try {
    return await work(engine);
  } finally {
    engine.free();
    await Promise.all(opened.map((dispose) => dispose()));
  }
}
