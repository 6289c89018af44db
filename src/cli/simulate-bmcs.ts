// `inventory-gateway simulate-bmcs`: serves simulated Redfish BMCs (the synthetic cluster's
// hardware) for tests, demos and the discovery bench, and prints one JSON line per BMC, ready
// to register through SMD's POST /Inventory/RedfishEndpoints (FQDN = address).
import { writeFileSync } from 'node:fs';
// The simulator itself (and the synthetic cluster it reads) loads only once the flags are good.
import { listenAddresses } from '../simulator/redfish/addresses.js';
import { DEFAULT_LISTEN, DEFAULT_PASSWORD, DEFAULT_USER, MAX_BMCS } from '../simulator/redfish/defaults.js';
import { type BmcFault, FAULT_KINDS, parseFault } from '../simulator/redfish/faults.js';
import type { BmcSimulator, BmcSimulatorOptions } from '../simulator/redfish/index.js';
import { BMC_VENDORS, type BmcVendor } from '../simulator/redfish/vendors.js';
import { parseFlags, UsageError } from './flags.js';

export const SIMULATE_BMCS_USAGE = () => `Serve simulated Redfish BMCs over HTTPS, one address each, for tests and demos.

usage: inventory-gateway simulate-bmcs --count N [--listen IP] [--port P] [--user U --password P]
           [--vendors hpe-cray,dell-idrac] [--fault XNAME=KIND[:ARG]]... [--stop-after DURATION]
           [--seed N] [--certificate-out FILE]

  --count N               how many BMCs, 1 to ${MAX_BMCS}: the first N blades of the synthetic cluster
  --listen IP             the first address; one per BMC upward, skipping .0 and .255 (default ${DEFAULT_LISTEN};
                          all of 127.0.0.0/8 is loopback on Linux, nothing to set up)
  --port P                the HTTPS port on every address (default 443; 0 picks one free on all of them)
  --user U, --password P  the credentials every BMC takes (default ${DEFAULT_USER} / ${DEFAULT_PASSWORD})
  --vendors LIST          Redfish shapes, assigned round robin: ${BMC_VENDORS.join(', ')} (default hpe-cray)
  --fault XNAME=KIND      a fault for one BMC, repeatable; KIND is slow:MILLISECONDS, ${FAULT_KINDS.filter((k) => k !== 'slow').join(', ')}
  --stop-after DURATION   stop by itself after 90s, 10m, 1h (a bare number is seconds); default: run until stopped
  --seed N                the synthetic cluster's seed (default 1, as the demo)
  --certificate-out FILE  write the self-signed certificate (PEM) there, for a CA bundle

Prints one line per BMC on standard output once all listen:
  {"xname":"x1000c0s0b0","address":"127.0.10.1","user":"${DEFAULT_USER}","password":"${DEFAULT_PASSWORD}"}
(the address carries ":PORT" when the port is not 443); logs go to standard error, the
certificate's SHA-256 fingerprint among them. Stops on SIGINT or SIGTERM.
Exit status: 0 stopped, 1 could not start, 2 bad arguments.`;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const MAX_TIMER_MS = 2 ** 31 - 1;

export function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim());
  const ms = match ? Number(match[1]) * (UNIT_MS[match[2] ?? 's'] as number) : Number.NaN;
  if (!(ms > 0 && ms <= MAX_TIMER_MS))
    throw new UsageError(`--stop-after "${text}" is not a duration from 1ms to 24 days (as 90s, 10m, 1h)`);
  return Math.round(ms);
}

function integer(flag: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max)
    throw new UsageError(`${flag} "${text}" is not an integer from ${min} to ${max}`);
  return Number(text);
}

interface Parsed {
  options: BmcSimulatorOptions;
  certificateOut?: string;
}

function parse(argv: string[]): Parsed | undefined {
  const values = parseFlags(argv, {
    count: { type: 'string' },
    listen: { type: 'string' },
    port: { type: 'string' },
    user: { type: 'string' },
    password: { type: 'string' },
    vendors: { type: 'string' },
    fault: { type: 'string', multiple: true },
    'stop-after': { type: 'string' },
    seed: { type: 'string' },
    'certificate-out': { type: 'string' },
  }).values as Record<string, string | string[] | boolean | undefined>;
  if (values.help) return undefined;
  const str = (flag: string) => values[flag] as string | undefined;
  const count = integer('--count', str('count'), 1, MAX_BMCS);
  if (count === undefined) throw new UsageError('--count N is required (how many BMCs to simulate)');
  const vendors = str('vendors')
    ?.split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  for (const vendor of vendors ?? []) {
    if (!BMC_VENDORS.includes(vendor as BmcVendor))
      throw new UsageError(`--vendors: unknown vendor "${vendor}" (one of ${BMC_VENDORS.join(', ')})`);
  }
  if (vendors && !vendors.length) throw new UsageError('--vendors names no vendor');
  const faults: Record<string, BmcFault> = {};
  for (const spec of (values.fault as string[] | undefined) ?? []) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError(`--fault "${spec}" is not XNAME=KIND (as x1000c0s0b0=slow:2000)`);
    try {
      faults[spec.slice(0, eq)] = parseFault(spec.slice(eq + 1));
    } catch (error) {
      throw new UsageError(`--fault ${(error as Error).message}`);
    }
  }
  for (const flag of ['user', 'password', 'listen', 'certificate-out']) {
    if (str(flag) === '') throw new UsageError(`--${flag} is empty`);
  }
  try {
    listenAddresses(str('listen') ?? DEFAULT_LISTEN, count);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (str('user')?.includes(':')) throw new UsageError('--user must not contain ":" (basic authentication splits on it)');
  const stopAfter = str('stop-after');
  return {
    options: {
      count,
      listen: str('listen'),
      port: integer('--port', str('port'), 0, 65535),
      user: str('user'),
      password: str('password'),
      vendors: vendors as BmcVendor[] | undefined,
      faults,
      stopAfterMs: stopAfter === undefined ? undefined : parseDuration(stopAfter),
      seed: integer('--seed', str('seed'), 0, 2 ** 31 - 1),
    },
    certificateOut: str('certificate-out'),
  };
}

const log = (line: string) => process.stderr.write(`simulate-bmcs: ${line}\n`);

export async function simulateBmcsCommand(argv: string[]): Promise<number> {
  let parsed: Parsed | undefined;
  try {
    parsed = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`inventory-gateway simulate-bmcs: ${error.message}\nRun with --help for the flags.\n`);
    return 2;
  }
  if (!parsed) {
    process.stdout.write(`${SIMULATE_BMCS_USAGE()}\n`);
    return 0;
  }
  const { options } = parsed;
  let sim: BmcSimulator;
  try {
    const { startBmcSimulator } = await import('../simulator/redfish/index.js');
    sim = await startBmcSimulator(options);
  } catch (error) {
    // Unknown fault xnames, addresses past the /8, a port in use: the options are fine as flags but cannot be served.
    process.stderr.write(`inventory-gateway simulate-bmcs: ${(error as Error).message}\n`);
    return error instanceof RangeError ? 2 : 1;
  }
  if (parsed.certificateOut) writeFileSync(parsed.certificateOut, sim.certificatePem);
  const stop = (signal: string) => {
    log(`${signal}: stopping`);
    void sim.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.on('error', () => {}); // a reader that went away must not stop the BMCs
  const first = sim.bmcs[0];
  const last = sim.bmcs[sim.bmcs.length - 1];
  log(
    `${sim.bmcs.length} BMCs on ${first?.host}…${last?.host} port ${first?.port} (${[...new Set(sim.bmcs.map((b) => b.vendor))].join(', ')}); ` +
      `certificate SHA-256 ${sim.fingerprint256}${parsed.certificateOut ? ` written to ${parsed.certificateOut}` : ''}`,
  );
  for (const [xname, fault] of Object.entries(options.faults ?? {})) log(`fault on ${xname}: ${JSON.stringify(fault)}`);
  log(
    options.stopAfterMs
      ? `stopping by itself after ${options.stopAfterMs / 1000}s, or on SIGINT/SIGTERM`
      : 'running until SIGINT or SIGTERM',
  );
  process.stdout.write(
    sim.bmcs.map((b) => `${JSON.stringify({ xname: b.xname, address: b.address, user: b.user, password: b.password })}\n`).join(''),
  );
  await sim.closed;
  log(`stopped after ${sim.requestCount()} requests`);
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  return 0;
}
