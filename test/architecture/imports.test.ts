// The layering holds: lower layers never import faces, GraphQL or the server; faces never import
// src/db and use service domains through their index. The checker is shown to catch plants.
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/db/client.js';
import { importViolations, readSources } from '../support/import-rules.js';

describe('import directions of src/', () => {
  it('has no forbidden import', () => {
    const violations = importViolations(readSources(PROJECT_ROOT));
    expect(violations.map((v) => `${v.file} → ${v.specifier}: ${v.why}`)).toEqual([]);
  });

  it.each([
    ['src/services/core/planted.ts', "import { json } from '../../rest-compat/http/respond.js';", 'services never import a face'],
    ['src/services/smd/planted.ts', "import type { Logger } from '../../server/logger.js';", 'services never import a face'],
    ['src/domain/planted.ts', "export { x } from '../db/client.js';", 'domain rules are pure'],
    ['src/codecs/smd/planted.ts', "const m = await import('../../db/client.js');", 'codecs are pure'],
    ['src/rest-compat/smd/planted.ts', "import type { Db } from '../../db/client.js';", 'never src/db'],
    ['src/schema/types/planted.ts', "import { createDevice } from '../../services/inventory/device.js';", 'through its index.ts'],
    ['src/interop/smd/planted.ts', "import { createSmdRouter } from '../../rest-compat/smd/index.js';", 'adapters over the services'],
  ])('catches a planted violation in %s', (file, line, why) => {
    const sources = readSources(PROJECT_ROOT);
    sources.set(file, `// planted\n${line}\n`);
    const found = importViolations(sources).filter((v) => v.file === file);
    expect(found).toHaveLength(1);
    expect(found[0]!.why).toContain(why);
  });

  it('lets a face use a domain through its index', () => {
    const sources = new Map([['src/rest-compat/smd/fine.ts', "import { createComponent } from '../../services/smd/index.js';\n"]]);
    expect(importViolations(sources)).toEqual([]);
  });
});
