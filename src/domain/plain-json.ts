// Plain JSON values from anything JSON.stringify accepts: dates as ISO text, no undefined.
/**
 * `value` as JSON.parse(JSON.stringify(value)) would give it, without writing the text (an
 * import snapshots every row it writes; the round trip through text was ~3% of its time). A
 * bigint, which JSON cannot hold, is kept as a number (NIDs are BIGINT columns).
 */
export function plainJson(value: unknown): unknown {
  if (value === null) return null;
  if (typeof value !== 'object') {
    if (typeof value === 'bigint') return Number(value);
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    return typeof value === 'string' || typeof value === 'boolean' ? value : undefined;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return plainJson((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) return value.map((item) => plainJson(item) ?? null);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = plainJson((value as Record<string, unknown>)[key]);
    if (item !== undefined) out[key] = item;
  }
  return out;
}
