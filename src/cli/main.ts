// The `inventory-gateway` command: `serve` (the default) starts the gateway; `import` and
// `export` move a site's inventory in and out; `rotate-key` re-encrypts the stored secrets.
import { EXPORT_USAGE, exportCommand, failure, IMPORT_USAGE, importCommand } from './import-export.js';
import { ROTATE_KEY_USAGE, rotateKeyCommand } from './rotate-key.js';

const USAGE = `usage: inventory-gateway [serve] [flags]       start the gateway (serve --help for its flags)
       inventory-gateway import <format> <source> [--dry-run]
       inventory-gateway export <format> [--output FILE]
       inventory-gateway rotate-key [--reencrypt-only | --drop-old]

Run a command with --help for its flags.`;

const [command, ...rest] = process.argv.slice(2);

async function run(): Promise<number> {
  switch (command) {
    case 'import':
      return importCommand(rest);
    case 'export':
      return exportCommand(rest);
    case 'rotate-key':
      return rotateKeyCommand(rest);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n\n${IMPORT_USAGE()}\n\n${EXPORT_USAGE()}\n\n${ROTATE_KEY_USAGE()}\n`);
      return 0;
    case 'serve':
      process.argv.splice(2, 1);
      await import('../server/main.js');
      return -1;
    default:
      await import('../server/main.js');
      return -1;
  }
}

run().then(
  (status) => {
    // Exit now: an idle PostgreSQL pool would otherwise hold the process for its idle timeout.
    if (status >= 0) process.exit(status);
  },
  (error) => {
    const { status, message } = failure(error);
    process.stderr.write(`inventory-gateway: ${message}\n`);
    process.exit(status);
  },
);
