// The simulator's place in the import rules: it stands in for hardware, so it may use only the
// synthetic cluster and pure rules, and the gateway (services, GraphQL, REST) never imports it.
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/db/client.js';
import { importViolations, readSources } from '../support/import-rules.js';

describe('import rules of src/simulator', () => {
  it('has no forbidden import today', () => {
    const sources = readSources(PROJECT_ROOT);
    const simulator = new Map([...sources].filter(([file]) => file.startsWith('src/simulator/')));
    expect(simulator.size).toBeGreaterThan(5);
    expect(importViolations(simulator)).toEqual([]);
  });

  it.each([
    [
      'src/simulator/redfish/planted.ts',
      "import { createDevice } from '../../services/inventory/index.js';",
      'may use only src/fixtures and src/domain',
    ],
    ['src/simulator/redfish/planted.ts', "import type { Db } from '../../db/client.js';", 'may use only src/fixtures and src/domain'],
    [
      'src/services/discovery/planted.ts',
      "import { startBmcSimulator } from '../../simulator/redfish/index.js';",
      'never to the simulator in-process',
    ],
    [
      'src/schema/types/planted.ts',
      "import type { BmcVendor } from '../../simulator/redfish/index.js';",
      'never to the simulator in-process',
    ],
    [
      'src/rest-compat/smd/planted.ts',
      "const sim = await import('../../simulator/redfish/index.js');",
      'never to the simulator in-process',
    ],
    ['src/fixtures/planted.ts', "export * from '../simulator/redfish/index.js';", 'fixtures feed tests'],
  ])('catches %s importing %s', (file, line, why) => {
    const found = importViolations(new Map([[file, `// planted\n${line}\n`]]));
    expect(found).toHaveLength(1);
    expect(found[0]?.why).toContain(why);
  });

  it('lets the CLI and the simulator use what they may', () => {
    const fine = new Map([
      ['src/cli/planted.ts', "import { startBmcSimulator } from '../simulator/redfish/index.js';\n"],
      [
        'src/simulator/redfish/planted.ts',
        "import { generateCluster } from '../../fixtures/synthetic-cluster.js';\nimport { xnameType } from '../../domain/xname.js';\n",
      ],
    ]);
    expect(importViolations(fine)).toEqual([]);
  });
});
