// JSON text with object keys sorted, for comparing values regardless of key order (PostgreSQL's
// jsonb does not keep the order they were written in). A bigint (a BIGINT column: NIDs) is
// written as the number it is.
export function stableJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v) =>
    typeof v === 'bigint'
      ? Number(v)
      : v !== null && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
        : v,
  );
}
