// The faults a simulated BMC can be told to show, and how the CLI spells them.
export type BmcFault =
  | { kind: 'slow'; delayMs: number }
  | { kind: 'server-error' }
  | { kind: 'bad-credentials' }
  | { kind: 'malformed-json' }
  /** Answers HTML like a switch's web page, on every path. */
  | { kind: 'not-redfish' };

export const FAULT_KINDS = ['slow', 'server-error', 'bad-credentials', 'malformed-json', 'not-redfish'] as const;

/** At most this long a slow BMC waits before it answers (a crawler's timeout is far shorter). */
export const MAX_DELAY_MS = 600_000;

/** Checks a fault given at run time (a typed caller can still pass anything from JSON). */
export function checkFault(fault: BmcFault): BmcFault {
  if (!FAULT_KINDS.includes(fault?.kind)) throw new TypeError(`unknown fault kind "${fault?.kind}" (one of ${FAULT_KINDS.join(', ')})`);
  if (fault.kind === 'slow' && !(Number.isInteger(fault.delayMs) && fault.delayMs >= 0 && fault.delayMs <= MAX_DELAY_MS)) {
    throw new RangeError(`a slow fault needs delayMs, an integer from 0 to ${MAX_DELAY_MS} (got ${fault.delayMs})`);
  }
  return fault;
}

/** Parses the CLI's "slow:2000", "server-error", "bad-credentials", "malformed-json" or "not-redfish". */
export function parseFault(text: string): BmcFault {
  const [kind, arg, ...extra] = text.split(':');
  if (extra.length) throw new TypeError(`"${text}" has more than one ":"`);
  if (kind === 'slow') {
    if (arg === undefined || !/^\d+$/.test(arg)) throw new TypeError(`"${text}": slow needs a delay in milliseconds, as slow:2000`);
    return checkFault({ kind, delayMs: Number(arg) });
  }
  if (arg !== undefined) throw new TypeError(`"${text}": ${kind} takes no argument`);
  return checkFault({ kind } as BmcFault);
}
