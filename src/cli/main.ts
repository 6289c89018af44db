// The `inventory-gateway` command: `serve` (the default) starts the gateway; the other
// commands are listed in COMMANDS. Each command's module is imported only when it runs, so
// `--help` answers without loading Prisma, the schema or the services.
interface Command {
  /** The command's arguments and what it does, for the top-level help. */
  usage: string;
  summary: string;
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  import: {
    usage: 'import <format> <source> [--dry-run]',
    summary: 'load a site inventory (cani, smd, reference)',
    run: async (args) => (await import('./import-export.js')).importCommand(args),
  },
  export: {
    usage: 'export <format> [--output FILE]',
    summary: 'write the live inventory in a format',
    run: async (args) => (await import('./import-export.js')).exportCommand(args),
  },
  'rotate-key': {
    usage: 'rotate-key [--reencrypt-only | --drop-old]',
    summary: 're-encrypt the stored secrets under a new key',
    run: async (args) => (await import('./rotate-key.js')).rotateKeyCommand(args),
  },
  discover: {
    usage: 'discover --xnames LIST | --all | --addresses LIST --credentials NAME',
    summary: 'read inventory from Redfish BMCs (a scan to review, or --smd)',
    run: async (args) => (await import('./discover.js')).discoverCommand(args),
  },
  'simulate-bmcs': {
    usage: 'simulate-bmcs --count N [--listen IP]',
    summary: 'serve simulated Redfish BMCs for tests and demos',
    run: async (args) => (await import('./simulate-bmcs.js')).simulateBmcsCommand(args),
  },
};

const SERVE: Pick<Command, 'usage' | 'summary'> = { usage: '[serve] [flags]', summary: 'start the gateway (the default)' };
const WIDTH = Math.max(...[SERVE, ...Object.values(COMMANDS)].map((command) => command.usage.length));
const USAGE = [SERVE, ...Object.values(COMMANDS)]
  .map((command, i) => `${i ? '      ' : 'usage:'} inventory-gateway ${command.usage.padEnd(WIDTH)}  ${command.summary}`)
  .concat('', 'Run a command with --help for its flags.')
  .join('\n');

const [name, ...rest] = process.argv.slice(2);

async function run(): Promise<number> {
  if (name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const command = name === undefined ? undefined : COMMANDS[name];
  if (command) return command.run(rest);
  if (name === 'serve') process.argv.splice(2, 1);
  await import('../server/main.js');
  return -1;
}

run().then(
  (status) => {
    // Exit now: an idle PostgreSQL pool would otherwise hold the process for its idle timeout.
    if (status >= 0) process.exit(status);
  },
  async (error) => {
    const { failure } = await import('./import-export.js');
    const { status, message } = failure(error);
    process.stderr.write(`inventory-gateway: ${message}\n`);
    process.exit(status);
  },
);
