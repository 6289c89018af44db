import { createRequire } from 'node:module';
import { configDefaults, defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * What the PostgreSQL pass (TEST_DATABASE_URL=postgresql://…) leaves to the SQLite one: files that
 * never open a database (the BMC simulator, codecs, import rules), and the pages driven in
 * Chromium, whose GraphQL is tested on both engines (test/console/graphql-fields.test.ts,
 * test/graphql/*) while the browser work is the same on either. Running them twice would cost CI
 * minutes and test nothing new.
 */
const ENGINE_INDEPENDENT = [
  'test/simulator/**',
  'test/codecs/**',
  'test/architecture/**',
  'test/console/console-browser.test.ts',
  'test/console/console-auth.test.ts',
  'test/server/docs-browser.test.ts',
  'test/graphql/graphiql.test.ts',
];
const onPostgres = (process.env.TEST_DATABASE_URL ?? '').startsWith('postgres');

export default defineConfig({
  resolve: {
    // Node resolves `graphql` to its CommonJS build (the package has no "exports" map); Vite
    // would pick index.mjs for our code while dependencies require() the CommonJS one, and
    // graphql refuses a schema built by the other copy. One copy, as in production.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...(onPostgres ? ENGINE_INDEPENDENT : [])],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/destroyed-databases.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: files run in parallel processes, each with its own database.
    pool: 'forks',
    maxWorkers: 2,
  },
});
