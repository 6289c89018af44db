// xnames: the positional names HPE/Cray and OpenCHAMI hardware uses (x1000c0s7b0n1).
// Normalised as SMD does (trimmed, lowercase, leading zeros stripped), then typed by the
// first HMS type pattern that matches, per Cray-HPE/hms-xname.

const N = '(0|[1-9][0-9]*)';
const P = '([1-9][0-9]*)';
const X = 'x(0|[1-9][0-9]{0,3})';
const C = `${X}c[0-7]`;
const S = `${C}s${N}`;
const B = `${S}b${N}`;
const NODE = `${B}n${N}`;
const R = `${C}r${N}`;
const M = `${X}m[0-3]`;

/** HMS types in matching order, each with its anchored pattern. */
const TYPES: ReadonlyArray<readonly [string, string]> = [
  ['System', 's0'],
  ['Partition', `p${N}(\\.${N})?`],
  ['SMSBox', `sms${N}`],
  ['CDU', `d${N}`],
  ['CDUMgmtSwitch', `d${N}w${N}`],
  ['Cabinet', X],
  ['CabinetCDU', `${X}d[0-1]`],
  ['CabinetBMC', `${X}b0`],
  ['CEC', `${X}e[0-1]`],
  ['CabinetPDUController', M],
  ['CabinetPDU', `${M}p[0-7]`],
  ['CabinetPDUNic', `${M}i[0-3]`],
  ['CabinetPDUPowerConnector', `${M}p[0-7]v${P}`],
  ['CabinetPDUOutlet', `${M}p[0-7]j${P}`],
  ['Chassis', C],
  ['ChassisBMC', `${C}b0`],
  ['ChassisBMCNic', `${C}b0i[0-3]`],
  ['CMMRectifier', `${C}t[0-9]`],
  ['CMMFpga', `${C}f0`],
  ['ComputeModule', S],
  ['RouterModule', R],
  ['MgmtSwitch', `${C}w${P}`],
  ['MgmtSwitchConnector', `${C}w${P}j${P}`],
  ['MgmtHLSwitchEnclosure', `${C}h${P}`],
  ['MgmtHLSwitch', `${C}h${P}s[1-9]`],
  ['NodeBMC', B],
  ['NodeBMCNic', `${B}i[0-3]`],
  ['NodeFpga', `${B}f0`],
  ['NodeEnclosure', `${S}e${N}`],
  ['NodeEnclosurePowerSupply', `${S}e${N}t${N}`],
  ['NodePowerConnector', `${S}[jv][1-2]`],
  ['Node', NODE],
  ['VirtualNode', `${NODE}v${N}`],
  ['Processor', `${NODE}p[0-3]`],
  ['NodeAccel', `${NODE}a${N}`],
  ['NodeAccelRiser', `${NODE}r[0-7]`],
  ['Memory', `${NODE}d${N}`],
  ['NodeNic', `${NODE}i[0-3]`],
  ['NodeHsnNic', `${NODE}h[0-3]`],
  ['StorageGroup', `${NODE}g${N}`],
  ['Drive', `${NODE}g${N}k${N}`],
  ['RouterBMC', `${R}b${N}`],
  ['RouterBMCNic', `${R}b${N}i[0-3]`],
  ['RouterFpga', `${R}f[0-1]`],
  ['RouterTOR', `${R}t${N}`],
  ['RouterTORFpga', `${R}t${N}f[0-1]`],
  ['RouterPowerConnector', `${R}v[1-2]`],
  ['HSNBoard', `${R}e${N}`],
  ['HSNAsic', `${R}a[0-3]`],
  ['HSNLink', `${R}a[0-3]l${N}`],
  ['HSNConnector', `${R}j${P}`],
  ['HSNConnectorPort', `${R}j${P}p[0-2]`],
];

const MATCHERS = TYPES.map(([type, pattern]) => [type, new RegExp(`^${pattern}$`)] as const);

/** Every HMS type name an xname can have. */
export const HMS_TYPES: readonly string[] = TYPES.map(([type]) => type);

/**
 * SMD's normalisation: trim, lower-case, strip leading zeros from every number. The zeros are
 * stripped as text: through a JS number, digits past 2^53 would change (s9007199254740993 would
 * become s9007199254740992, another position) and past 1e21 become exponent notation.
 */
export function normalizeXname(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, ''));
}

/** The HMS type of a normalised xname, or undefined when it is not a valid xname. */
export function xnameType(xname: string): string | undefined {
  for (const [type, matcher] of MATCHERS) if (matcher.test(xname)) return type;
  return undefined;
}

export interface ParsedXname {
  xname: string;
  type: string;
}

/** Normalises and types an xname; undefined when it matches no HMS type. */
export function parseXname(raw: string): ParsedXname | undefined {
  const xname = normalizeXname(raw);
  const type = xnameType(xname);
  return type ? { xname, type } : undefined;
}

/** The xname one level up (x1c0s2b0n3 → x1c0s2b0), or undefined at the top. */
export function parentXname(xname: string): string | undefined {
  const parent = xname.replace(/[a-z]+\d+$/, '');
  return parent && parent !== xname ? parent : undefined;
}
