// Flag parsing shared by every command: node:util's parseArgs, strict, with -h/--help added,
// and its complaints turned into UsageError (exit status 2 and "Run with --help").
import { parseArgs } from 'node:util';

/** A mistake in the command line: the message says which flag and why. */
export class UsageError extends Error {}

export type Flags = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

export type FlagValues = Record<string, string | string[] | boolean | undefined>;

export function parseFlags(argv: string[], options: Flags, { positionals = false } = {}): { values: FlagValues; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: positionals,
      strict: true,
    });
    return { values: parsed.values as FlagValues, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
