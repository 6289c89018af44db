// Time travel: the device inventory as the change log had it at a date, and the diff between two
// snapshots (or two dates), field by field — the History API's devicesAsOf and inventoryDiff.
import { useState } from 'react';
import { useQuery } from '../client';
import { DiffTable, ErrorNote, formatTime, Loading, Section } from '../components/common';
import { VirtualList } from '../components/virtual-list';
import { graphql } from '../gql';
import { Link, navigate } from '../router';

const SnapshotsQuery = graphql(`
  query Snapshots { snapshots { id name seq takenAt pinned description } }
`);

const AsOfQuery = graphql(`
  query DevicesAsOf($time: DateTime!) { devicesAsOf(time: $time) }
`);

const DiffQuery = graphql(`
  query InventoryDiff($from: String!, $to: String!) {
    inventoryDiff(from: $from, to: $to) {
      from { seq time snapshot { name } }
      to { seq time snapshot { name } }
      added removed
      changed { id changes { field from to } }
    }
  }
`);

interface AsOfRow {
  id: string;
  name?: string | null;
  deviceType?: string;
  serialNumber?: string | null;
}

/** <input type="datetime-local"> speaks local time without a zone; the API wants RFC 3339. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : '');
const toLocal = (iso: string) => {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
};

function AsOf({ at }: { at: string }) {
  const { data, error, loading } = useQuery(AsOfQuery, { time: at }, [at], !at);
  if (!at) return null;
  if (!data) return error ? <ErrorNote error={error} /> : <Loading what="Rebuilding the inventory from the log" />;
  const rows = (data.devicesAsOf as AsOfRow[]).slice().sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
  return (
    <Section title={`Inventory as of ${formatTime(at)}: ${rows.length.toLocaleString()} devices`} id="as-of">
      {loading ? <p className="muted">refreshing…</p> : null}
      <VirtualList
        items={rows}
        label="Devices as of the date"
        render={(row) => (
          <div className="hit">
            <Link to={`/devices/${row.id}`}>{row.name ?? row.id}</Link> <span className="type">{row.deviceType}</span>{' '}
            <span className="serial">{row.serialNumber}</span>
          </div>
        )}
      />
    </Section>
  );
}

function Diff({ from, to }: { from: string; to: string }) {
  const { data, error } = useQuery(DiffQuery, { from, to }, [from, to], !from || !to);
  if (!from || !to) return null;
  if (!data) return error ? <ErrorNote error={error} /> : <Loading what="Comparing" />;
  const diff = data.inventoryDiff;
  const label = (p: { seq: number; time?: string | null; snapshot?: { name: string } | null }) =>
    p.snapshot?.name ?? `${formatTime(p.time)} (#${p.seq})`;
  const rowLabel = (row: unknown) => {
    const r = row as AsOfRow;
    return (
      <>
        <Link to={`/devices/${r.id}`}>{r.name ?? r.id}</Link> <span className="type">{r.deviceType}</span>{' '}
        <span className="serial">{r.serialNumber}</span>
      </>
    );
  };
  return (
    <Section title={`From ${label(diff.from)} to ${label(diff.to)}`} id="diff">
      <p data-testid="diff-summary">
        {diff.added.length} added · {diff.removed.length} removed · {diff.changed.length} changed
      </p>
      {diff.added.length > 0 ? (
        <>
          <h3>Added</h3>
          <ul>
            {diff.added.map((row) => (
              <li key={(row as AsOfRow).id}>{rowLabel(row)}</li>
            ))}
          </ul>
        </>
      ) : null}
      {diff.removed.length > 0 ? (
        <>
          <h3>Removed</h3>
          <ul>
            {diff.removed.map((row) => (
              <li key={(row as AsOfRow).id}>{rowLabel(row)}</li>
            ))}
          </ul>
        </>
      ) : null}
      {diff.changed.map((c) => (
        <div key={c.id}>
          <h3>
            <Link to={`/devices/${c.id}`}>{c.id}</Link>
          </h3>
          <DiffTable changes={c.changes} />
        </div>
      ))}
    </Section>
  );
}

export function TimeTravelPage({ query }: { query: URLSearchParams }) {
  const snapshots = useQuery(SnapshotsQuery, undefined, []);
  const at = query.get('at') ?? '';
  const from = query.get('from') ?? '';
  const to = query.get('to') ?? '';
  const [atInput, setAtInput] = useState(at ? toLocal(at) : '');
  const [fromInput, setFromInput] = useState(from);
  const [toInput, setToInput] = useState(to);
  const go = (next: Record<string, string>) => {
    const params = new URLSearchParams({ at, from, to, ...next });
    for (const [k, v] of [...params.entries()]) if (!v) params.delete(k);
    navigate(`/history?${params}`);
  };
  const list = snapshots.data?.snapshots ?? [];
  return (
    <>
      <h1>Time travel</h1>
      <ErrorNote error={snapshots.error} />
      <div className="grid two">
        <Section title="Inventory as of a date" id="as-of-form">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              go({ at: toIso(atInput) });
            }}
          >
            <label htmlFor="as-of-time">Date and time</label>
            <input id="as-of-time" type="datetime-local" step="1" value={atInput} onChange={(e) => setAtInput(e.target.value)} required />
            <button type="submit">Show</button>
          </form>
        </Section>
        <Section title="Compare two points" id="diff-form">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              go({ from: fromInput, to: toInput });
            }}
          >
            <label htmlFor="diff-from">From (snapshot or RFC 3339 time)</label>
            <input id="diff-from" list="snapshot-ids" value={fromInput} onChange={(e) => setFromInput(e.target.value)} required />
            <label htmlFor="diff-to">To</label>
            <input id="diff-to" list="snapshot-ids" value={toInput} onChange={(e) => setToInput(e.target.value)} required />
            <datalist id="snapshot-ids">
              {list.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </datalist>
            <button type="submit">Compare</button>
          </form>
        </Section>
      </div>
      <Section title={`Snapshots (${list.length})`} id="snapshots">
        {list.length === 0 ? (
          <p className="muted">No snapshot yet (POST /apis/history/v1/snapshots takes one). Dates work without one.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Taken</th>
                <th scope="col">Seq</th>
                <th scope="col">Use</th>
              </tr>
            </thead>
            <tbody>
              {list.map((s, i) => (
                <tr key={s.id}>
                  <td>
                    {s.name}
                    {s.pinned ? ' 📌' : ''}
                  </td>
                  <td>{formatTime(s.takenAt)}</td>
                  <td>{s.seq}</td>
                  <td>
                    <button type="button" onClick={() => go({ at: s.takenAt })}>
                      View
                    </button>{' '}
                    {i > 0 ? (
                      <button type="button" onClick={() => go({ from: list[i - 1]?.id ?? '', to: s.id })}>
                        Diff with previous
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Diff from={from} to={to} />
      <AsOf at={at} />
    </>
  );
}
