// The import directions of src/ (see README "Map of the code"): data flows from the faces down
// to the services and Prisma, never up. Read from the source text, so it holds for type imports too.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, resolve } from 'node:path';

/** Top-level folders of src/, lowest first. */
type Area =
  | 'generated'
  | 'domain'
  | 'db'
  | 'codecs'
  | 'fixtures'
  | 'simulator'
  | 'services'
  | 'loaders'
  | 'interop'
  | 'rest-compat'
  | 'schema'
  | 'cli'
  | 'server';

const FACES: Area[] = ['interop', 'rest-compat', 'schema', 'cli'];

/** What each area must never import, and why (the message a violation carries). */
const FORBIDDEN: Partial<Record<Area, { areas: Area[]; why: string }[]>> = {
  domain: [
    {
      areas: ['db', 'generated', 'codecs', 'services', 'loaders', 'fixtures', 'simulator', ...FACES, 'server'],
      why: 'domain rules are pure: no I/O, nothing above them',
    },
  ],
  codecs: [
    { areas: ['db', 'loaders', 'fixtures', 'simulator', ...FACES, 'server'], why: 'codecs are pure wire formats: no database, no HTTP' },
  ],
  db: [
    {
      areas: ['codecs', 'services', 'loaders', 'fixtures', 'simulator', ...FACES, 'server'],
      why: 'the database layer sits below everything',
    },
  ],
  fixtures: [{ areas: ['simulator', ...FACES, 'server'], why: 'fixtures feed tests and the demo through the services' }],
  // The Redfish BMC simulator stands in for hardware: it reads the synthetic cluster and pure
  // rules, and only the CLI, the server's demo and tests start it.
  simulator: [
    {
      areas: ['db', 'generated', 'codecs', 'services', 'loaders', ...FACES, 'server'],
      why: 'the BMC simulator stands in for hardware: it may use only src/fixtures and src/domain',
    },
  ],
  services: [
    { areas: [...FACES, 'server'], why: 'services never import a face, GraphQL or the server' },
    { areas: ['simulator'], why: 'the gateway talks to BMCs over the network, never to the simulator in-process' },
  ],
  loaders: [{ areas: ['simulator', ...FACES, 'server'], why: 'loaders serve GraphQL from below; they never import it' }],
  interop: [
    { areas: ['db'], why: 'a face reads and writes through the services, never src/db' },
    {
      areas: ['rest-compat', 'schema', 'cli', 'server'],
      why: 'importers are adapters over the services: what they need (a logger, a reader) comes as arguments',
    },
  ],
  'rest-compat': [
    { areas: ['db'], why: 'a face reads and writes through the services, never src/db' },
    { areas: ['schema', 'cli', 'server'], why: 'a REST family never imports GraphQL, the CLI or the server' },
    { areas: ['simulator'], why: 'the gateway talks to BMCs over the network, never to the simulator in-process' },
  ],
  schema: [
    { areas: ['db'], why: 'a face reads and writes through the services, never src/db' },
    { areas: ['rest-compat', 'cli'], why: 'GraphQL never imports a REST family or the CLI' },
    { areas: ['simulator'], why: 'the gateway talks to BMCs over the network, never to the simulator in-process' },
  ],
  cli: [{ areas: ['rest-compat', 'schema'], why: 'the CLI runs the services and interop (and starts the server), not another face' }],
};

export interface Violation {
  file: string;
  specifier: string;
  why: string;
}

const IMPORT_SPECIFIERS = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*'([^']+)'|import\(\s*'([^']+)'\s*\)|^import\s+'([^']+)'/gm;

function areaOf(path: string): Area | undefined {
  const [top, area] = path.split('/');
  return top === 'src' ? (area as Area) : undefined;
}

/**
 * Import violations among `sources` (paths relative to the project, 'src/...', to their text).
 * A face may use a service domain only through its index.ts, the domain's public surface.
 */
export function importViolations(sources: Map<string, string>): Violation[] {
  const violations: Violation[] = [];
  for (const [file, text] of sources) {
    const from = areaOf(file);
    if (!from) continue;
    for (const match of text.matchAll(IMPORT_SPECIFIERS)) {
      const specifier = match[1] ?? match[2] ?? match[3];
      if (!specifier?.startsWith('.')) continue;
      const target = posix.normalize(posix.join(posix.dirname(file), specifier));
      const to = areaOf(target);
      if (!to || to === from) continue;
      for (const rule of FORBIDDEN[from] ?? []) {
        if (rule.areas.includes(to)) violations.push({ file, specifier, why: rule.why });
      }
      const parts = target.split('/');
      if (FACES.includes(from) && to === 'services' && !(parts.length === 4 && parts[3] === 'index.js')) {
        violations.push({ file, specifier, why: "a face uses a service domain through its index.ts (the domain's public surface)" });
      }
    }
  }
  return violations;
}

/** Every .ts file under src/ (generated code left out), keyed 'src/...'. */
export function readSources(root: string): Map<string, string> {
  const sources = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'generated') walk(path);
      } else if (name.endsWith('.ts')) {
        sources.set(relative(root, path).split('\\').join('/'), readFileSync(path, 'utf8'));
      }
    }
  };
  walk(resolve(root, 'src'));
  return sources;
}
