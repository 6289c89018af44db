import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, helpText, OPTIONS, parseCommandLine } from '../../src/server/config.js';

const dir = mkdtempSync(join(tmpdir(), 'config-test-'));
function file(name: string, text: string) {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('configuration precedence: flags > environment > file > defaults', () => {
  it('uses the defaults with nothing given', () => {
    const { config } = parseCommandLine([], {});
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', databaseUrl: 'file:./data/inventory.db', demo: false, graphiql: true });
  });

  it('lets each layer override the one below', () => {
    const yaml = file('c.yaml', 'port: 7000\nhost: 127.0.0.2\nlogLevel: debug\ndemo: true\n');
    const env = { PORT: '7100', HOST: '127.0.0.3', INVENTORY_CONFIG: yaml };
    const { config } = parseCommandLine(['--port', '7200'], env);
    expect(config.port).toBe(7200); // flag
    expect(config.host).toBe('127.0.0.3'); // environment
    expect(config.logLevel).toBe('debug'); // file
    expect(config.demo).toBe(true); // file
    expect(config.poolSize).toBe(10); // default
  });

  it('reads JSON config files too, and --no-graphiql turns a default-on option off', () => {
    const json = file('c.json', JSON.stringify({ databaseUrl: 'postgresql://u@127.0.0.1:5432/inv' }));
    const { config } = parseCommandLine(['--config', json, '--no-graphiql'], {});
    expect(config.databaseUrl).toBe('postgresql://u@127.0.0.1:5432/inv');
    expect(config.graphiql).toBe(false);
  });
});

describe('bad configuration is refused with a message naming its origin', () => {
  it.each([
    [['--port', 'eighty'], {}, /--port: "eighty" is not a whole number/],
    [['--port', '70000'], {}, /--port: must be 0-65535/],
    [[], { PORT: '-1' }, /PORT: must be 0-65535/],
    [['--database-url', 'mysql://x'], {}, /--database-url: .*neither a file: path/],
    [['--log-level', 'loud'], {}, /--log-level: must be one of/],
    [[], { INVENTORY_DEMO: 'perhaps' }, /INVENTORY_DEMO: "perhaps" is not true or false/],
    [['--colour'], {}, /Unknown option '--colour'/],
    [['--config', '/nonexistent/config.yaml'], {}, /config file \/nonexistent\/config.yaml/],
  ] as const)('%j %j', (argv, env, message) => {
    expect(() => parseCommandLine([...argv], env)).toThrow(ConfigError);
    expect(() => parseCommandLine([...argv], env)).toThrow(message);
  });

  it('names unknown keys in a config file', () => {
    const path = file('bad.yaml', 'port: 1\nprot: 2\n');
    expect(() => parseCommandLine(['--config', path], {})).toThrow(/unknown option\(s\) prot/);
  });
});

it('--help documents every option with its environment variable and default', () => {
  const text = helpText();
  for (const option of OPTIONS) {
    expect(text).toContain(`--${option.flag}`);
    expect(text).toContain(option.env);
  }
});
