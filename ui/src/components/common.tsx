// Small pieces every page uses: loading and error states, state badges, JSON values, dates.
import type { ReactNode } from 'react';
import type { GatewayError } from '../client';

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="muted" aria-busy="true">
      {what}…
    </p>
  );
}

export function ErrorNote({ error }: { error: GatewayError | Error | undefined }) {
  if (!error) return null;
  const code = 'code' in error && error.code ? ` (${error.code}${'field' in error && error.field ? `, ${error.field}` : ''})` : '';
  return (
    <p className="error" role="alert">
      {error.message}
      {code}
    </p>
  );
}

/** SMD states drawn in one colour each, everywhere. */
export const STATE_CLASSES: Readonly<Record<string, string>> = {
  Ready: 'ready',
  On: 'on',
  Off: 'off',
  Standby: 'standby',
  Halt: 'off',
  Empty: 'empty',
  Populated: 'on',
  Unknown: 'unknown',
};

export function stateClass(state: string | null | undefined): string {
  return `state-${STATE_CLASSES[state ?? 'Unknown'] ?? 'unknown'}`;
}

export function StateBadge({ state, flag }: { state: string; flag?: string | null }) {
  return (
    <span className={`badge ${stateClass(state)}`}>
      {state}
      {flag && flag !== 'OK' ? <span className="flag"> · {flag}</span> : null}
    </span>
  );
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function Value({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  if (typeof value === 'object') return <code className="json">{JSON.stringify(value)}</code>;
  return <>{String(value)}</>;
}

export function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export function KeyValues({ rows }: { rows: Array<[string, ReactNode]> }) {
  return (
    <dl className="kv">
      {rows.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{value ?? <span className="muted">—</span>}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Field-level differences between two JSON rows (the change log's before and after). */
export function fieldDiff(before: unknown, after: unknown): Array<{ field: string; from: unknown; to: unknown }> {
  const a = (before && typeof before === 'object' ? before : {}) as Record<string, unknown>;
  const b = (after && typeof after === 'object' ? after : {}) as Record<string, unknown>;
  const ignored = new Set(['updatedAt', 'revision', 'createdAt']);
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((f) => !ignored.has(f)).sort();
  return fields.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f])).map((field) => ({ field, from: a[field], to: b[field] }));
}

export function DiffTable({ changes, caption }: { changes: Array<{ field: string; from: unknown; to: unknown }>; caption?: string }) {
  if (changes.length === 0) return <p className="muted">No field changed.</p>;
  return (
    <table className="diff">
      {caption ? <caption>{caption}</caption> : null}
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.field}>
            <th scope="row">{c.field}</th>
            <td className="from">
              <Value value={c.from} />
            </td>
            <td className="to">
              <Value value={c.to} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
