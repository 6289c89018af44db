// Scans: what a discovery scan proposes (added, removed, moved, replaced, changed field by field),
// approved or rejected after a confirmation. A create and a removal of the same type under the
// same parent are shown as one replaced part (a DIMM swapped: new serial, old serial).
import { useState } from 'react';
import { type GatewayError, request, useQuery } from '../client';
import { DiffTable, ErrorNote, formatTime, Loading, Section, Value } from '../components/common';
import { ConfirmDialog } from '../components/confirm';
import { graphql } from '../gql';
import { Link } from '../router';

const ScansQuery = graphql(`
  query Scans {
    scans(first: 100) { id status createdAt approvedAt }
  }
`);

const ScanQuery = graphql(`
  query Scan($id: ID!) {
    scan(id: $id) { id status createdAt approvedAt creates updates moves removals }
  }
`);

const ApproveScan = graphql(`
  mutation ApproveScan($id: ID!) { approveScan(id: $id) { id status approvedAt } }
`);

const RejectScan = graphql(`
  mutation RejectScan($id: ID!) { rejectScan(id: $id) { id status } }
`);

interface Parent {
  deviceId?: string;
  ref?: number;
  serialNumber: string | null;
  deviceType: string | null;
}
interface Create {
  ref: number;
  deviceType: string;
  serialNumber?: string | null;
  manufacturer?: string | null;
  partNumber?: string | null;
  name?: string | null;
  parent: Parent | null;
}
interface Existing {
  deviceId: string;
  serialNumber: string | null;
  deviceType: string;
}
interface Update extends Existing {
  changes: Array<{ field: string; from: unknown; to: unknown }>;
}
interface Move extends Existing {
  from: Parent | null;
  to: Parent;
}
interface Removal extends Existing {
  parent: Parent | null;
}

const parentKey = (p: Parent | null) => (p ? (p.deviceId ?? `ref-${p.ref}`) : 'root');

/** Pairs each removal with a create of the same type under the same parent: a replaced part. */
export function pairReplacements(creates: Create[], removals: Removal[]) {
  const left = [...creates];
  const replaced: Array<{ removed: Removal; added: Create }> = [];
  const removed: Removal[] = [];
  for (const removal of removals) {
    const i = left.findIndex((c) => c.deviceType === removal.deviceType && parentKey(c.parent) === parentKey(removal.parent));
    if (i >= 0) replaced.push({ removed: removal, added: left.splice(i, 1)[0] as Create });
    else removed.push(removal);
  }
  return { replaced, added: left, removed };
}

function ParentLink({ parent }: { parent: Parent | null }) {
  if (!parent) return <span className="muted">no parent</span>;
  if (parent.deviceId)
    return <Link to={`/devices/${parent.deviceId}`}>{`${parent.deviceType ?? 'device'} ${parent.serialNumber ?? ''}`}</Link>;
  return <span>{`new ${parent.deviceType ?? 'device'} ${parent.serialNumber ?? ''} (item ${parent.ref})`}</span>;
}

export function ScansPage() {
  const { data, error } = useQuery(ScansQuery, undefined, []);
  if (!data) return error ? <ErrorNote error={error} /> : <Loading what="Loading scans" />;
  return (
    <>
      <h1>Scans</h1>
      <p className="muted">Discovered hardware posted to /apis/collection/v1/scans; nothing changes until a scan is approved.</p>
      {data.scans.length === 0 ? (
        <p>No scan yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Scan</th>
              <th scope="col">Status</th>
              <th scope="col">Posted</th>
              <th scope="col">Approved</th>
            </tr>
          </thead>
          <tbody>
            {data.scans.map((scan) => (
              <tr key={scan.id}>
                <td>
                  <Link to={`/scans/${scan.id}`}>{scan.id}</Link>
                </td>
                <td>
                  <span className={`badge scan-${scan.status}`}>{scan.status}</span>
                </td>
                <td>{formatTime(scan.createdAt)}</td>
                <td>{formatTime(scan.approvedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function ScanPage({ id, canWrite }: { id: string; canWrite: boolean }) {
  const { data, error, reload } = useQuery(ScanQuery, { id }, [id]);
  const [confirm, setConfirm] = useState<'approve' | 'reject'>();
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<GatewayError>();
  const [done, setDone] = useState<string>();
  if (!data) return error ? <ErrorNote error={error} /> : <Loading what="Loading the scan" />;
  const scan = data.scan;
  if (!scan) return <p role="alert">No scan {id}.</p>;
  const creates = scan.creates as Create[];
  const { replaced, added, removed } = pairReplacements(creates, scan.removals as Removal[]);
  const updates = scan.updates as Update[];
  const moves = scan.moves as Move[];
  const total = creates.length + scan.removals.length + updates.length + moves.length;

  async function act(kind: 'approve' | 'reject') {
    setBusy(true);
    setActionError(undefined);
    try {
      if (kind === 'approve') await request(ApproveScan, { id });
      else await request(RejectScan, { id });
      setDone(kind === 'approve' ? 'The scan was applied.' : 'The scan was rejected; nothing changed.');
      reload();
    } catch (e) {
      setActionError(e as GatewayError);
    } finally {
      setBusy(false);
      setConfirm(undefined);
    }
  }

  return (
    <>
      <nav className="crumbs" aria-label="Scans">
        <Link to="/scans">Scans</Link> ›
      </nav>
      <h1>
        Scan <code>{scan.id.slice(0, 8)}</code> <span className={`badge scan-${scan.status}`}>{scan.status}</span>
      </h1>
      <p className="muted">
        Posted {formatTime(scan.createdAt)}
        {scan.approvedAt ? ` · applied ${formatTime(scan.approvedAt)}` : ''} · {total} proposed change{total === 1 ? '' : 's'}
      </p>
      {done ? (
        <p role="status" className="ok">
          {done}
        </p>
      ) : null}
      <ErrorNote error={actionError} />
      {scan.status === 'proposed' && canWrite ? (
        <div className="actions">
          <button type="button" className="primary" onClick={() => setConfirm('approve')} disabled={total === 0}>
            Approve…
          </button>
          <button type="button" onClick={() => setConfirm('reject')}>
            Reject…
          </button>
        </div>
      ) : null}
      <ConfirmDialog
        open={confirm !== undefined}
        title={confirm === 'approve' ? 'Apply this scan?' : 'Reject this scan?'}
        confirmLabel={confirm === 'approve' ? 'Apply the changes' : 'Reject the scan'}
        busy={busy}
        onCancel={() => setConfirm(undefined)}
        onConfirm={() => confirm && act(confirm)}
      >
        {confirm === 'approve' ? (
          <p>
            {total} change{total === 1 ? '' : 's'} will be written in one transaction ({replaced.length} replaced, {added.length} added,{' '}
            {removed.length} removed, {updates.length} changed, {moves.length} moved). A device changed since the scan makes the whole
            approval fail.
          </p>
        ) : (
          <p>The scan will be closed without changing the inventory.</p>
        )}
      </ConfirmDialog>
      {total === 0 ? <p>The scan matches the inventory: nothing to change.</p> : null}
      {replaced.length > 0 ? (
        <Section title={`Replaced (${replaced.length})`} id="scan-replaced">
          <table>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">In</th>
                <th scope="col">Old serial</th>
                <th scope="col">New serial</th>
              </tr>
            </thead>
            <tbody>
              {replaced.map(({ removed: r, added: a }) => (
                <tr key={r.deviceId}>
                  <td>{r.deviceType}</td>
                  <td>
                    <ParentLink parent={r.parent} />
                  </td>
                  <td className="from">
                    <Link to={`/devices/${r.deviceId}`}>{r.serialNumber ?? '—'}</Link>
                  </td>
                  <td className="to">{a.serialNumber ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      ) : null}
      {added.length > 0 ? (
        <Section title={`Added (${added.length})`} id="scan-added">
          <ul>
            {added.map((c) => (
              <li key={c.ref}>
                {c.deviceType} <strong>{c.serialNumber ?? c.name ?? `item ${c.ref}`}</strong> {c.manufacturer} {c.partNumber} in{' '}
                <ParentLink parent={c.parent} />
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {removed.length > 0 ? (
        <Section title={`Removed (${removed.length})`} id="scan-removed">
          <ul>
            {removed.map((r) => (
              <li key={r.deviceId}>
                {r.deviceType} <Link to={`/devices/${r.deviceId}`}>{r.serialNumber ?? r.deviceId}</Link> from{' '}
                <ParentLink parent={r.parent} />
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {moves.length > 0 ? (
        <Section title={`Moved (${moves.length})`} id="scan-moved">
          <ul>
            {moves.map((m) => (
              <li key={m.deviceId}>
                {m.deviceType} <Link to={`/devices/${m.deviceId}`}>{m.serialNumber ?? m.deviceId}</Link>: <ParentLink parent={m.from} /> →{' '}
                <ParentLink parent={m.to} />
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {updates.length > 0 ? (
        <Section title={`Changed (${updates.length})`} id="scan-changed">
          {updates.map((u) => (
            <div key={u.deviceId}>
              <h3>
                {u.deviceType} <Link to={`/devices/${u.deviceId}`}>{u.serialNumber ?? u.deviceId}</Link>
              </h3>
              <DiffTable changes={u.changes} />
            </div>
          ))}
        </Section>
      ) : null}
      <details>
        <summary>The diff as JSON</summary>
        <pre>
          <Value value={{ creates, updates, moves, removals: scan.removals }} />
        </pre>
      </details>
    </>
  );
}
