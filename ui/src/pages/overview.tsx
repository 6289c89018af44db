// Overview: counts by type, state and flag, a per-cabinet map of SMD state and the latest
// changes. Aggregates only (Query.inventoryCounts): a 10,000-node site draws as fast as a small one.
import { useRef } from 'react';
import { useQuery, useSubscription } from '../client';
import { ErrorNote, formatTime, Loading, Section, stateClass } from '../components/common';
import { graphql } from '../gql';
import { Link } from '../router';

const OverviewQuery = graphql(`
  query Overview {
    inventoryCounts {
      devices
      devicesByType { key count }
      componentsByState { key count }
      componentsByFlag { key count }
      cabinets { xname total states { key count } }
    }
    changes(first: 12) {
      edges { node { seq action entityType entityId source actor occurredAt after before } }
    }
  }
`);

export const DeviceChangedSubscription = graphql(`
  subscription DeviceChanged {
    deviceChanged { seq action entityId device { id name deviceType serialNumber position { xname state flag } } }
  }
`);

export const ComponentChangedSubscription = graphql(`
  subscription ComponentChanged {
    componentChanged { seq action entityId component { id xname type state flag device { id name deviceType serialNumber } } }
  }
`);

function Counts({ title, buckets }: { title: string; buckets: Array<{ key: string; count: number }> }) {
  return (
    <Section title={title} id={`counts-${title.replace(/\W+/g, '-').toLowerCase()}`}>
      <table className="counts">
        <tbody>
          {buckets.map((b) => (
            <tr key={b.key}>
              <th scope="row">{b.key || '(none)'}</th>
              <td>{b.count.toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

/** What the change is about, linked where the console has a page for it. */
export function changeSubject(change: { entityType: string; entityId: string; after?: unknown; before?: unknown }) {
  const row = (change.after ?? change.before ?? {}) as { name?: string; xname?: string };
  const label = row.xname ?? row.name ?? change.entityId.slice(0, 8);
  if (change.entityType === 'Device') return <Link to={`/devices/${encodeURIComponent(change.entityId)}`}>{label}</Link>;
  if (change.entityType === 'Component' && row.xname) return <Link to={`/devices/${encodeURIComponent(row.xname)}`}>{label}</Link>;
  if (change.entityType === 'Scan') return <Link to={`/scans/${encodeURIComponent(change.entityId)}`}>{label}</Link>;
  return <>{label}</>;
}

export function OverviewPage() {
  const { data, error, loading, reload } = useQuery(OverviewQuery, undefined, []);
  // Live: a committed device or component change (a node's state) refreshes the counts, at most twice a second.
  const pending = useRef<number>(undefined);
  const refresh = () => {
    if (pending.current !== undefined) return;
    pending.current = window.setTimeout(() => {
      pending.current = undefined;
      reload();
    }, 500);
  };
  useSubscription(DeviceChangedSubscription, {}, refresh);
  useSubscription(ComponentChangedSubscription, {}, refresh);
  if (!data) return error ? <ErrorNote error={error} /> : <Loading what="Counting the inventory" />;
  const counts = data.inventoryCounts;
  const nodes = counts.componentsByState.reduce((sum, b) => sum + b.count, 0);
  return (
    <>
      <h1>Overview</h1>
      <ErrorNote error={error} />
      <p className="lead" data-testid="overview-summary">
        {counts.devices.toLocaleString()} devices · {nodes.toLocaleString()} nodes · {counts.cabinets.length} cabinets
        {loading ? <span className="muted"> · refreshing</span> : null}
      </p>
      <div className="grid three">
        <Counts title="Devices by type" buckets={counts.devicesByType} />
        <Counts title="Nodes by state" buckets={counts.componentsByState} />
        <Counts title="Nodes by flag" buckets={counts.componentsByFlag} />
      </div>
      <Section title="Cabinets by node state" id="cabinet-map">
        <ul className="cabinet-map">
          {counts.cabinets.map((cabinet) => (
            <li key={cabinet.xname}>
              <Link to={`/machine-room/cabinets/${cabinet.xname}`} className="cabinet-tile">
                <strong>{cabinet.xname}</strong>
                <span className="stack" aria-hidden="true">
                  {cabinet.states.map((s) => (
                    <span key={s.key} className={stateClass(s.key)} style={{ flexGrow: s.count }} title={`${s.count} ${s.key}`} />
                  ))}
                </span>
                <small>{cabinet.states.map((s) => `${s.count} ${s.key}`).join(' · ')}</small>
              </Link>
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Latest changes" id="latest-changes">
        <table className="changes">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">When</th>
              <th scope="col">What</th>
              <th scope="col">Subject</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {data.changes.edges.map(({ node: change }) => (
              <tr key={change.seq}>
                <td>{change.seq}</td>
                <td>{formatTime(change.occurredAt)}</td>
                <td>
                  {change.entityType} {change.action}
                </td>
                <td>{changeSubject(change)}</td>
                <td>{change.actor ?? change.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </>
  );
}
