// Device page: the tree below the device (expanded level by level, on demand), its properties,
// position and SMD state, interfaces and addresses, cables with both ends linked, groups, and a
// history timeline (this device and its children) with field-level diffs.
import { useState } from 'react';
import { useQuery, useSubscription } from '../client';
import { DiffTable, ErrorNote, fieldDiff, formatTime, KeyValues, Loading, Section, StateBadge, Value } from '../components/common';
import { graphql } from '../gql';
import { devicePath, Link } from '../router';

// Through the position (an indexed xname lookup), not a device filter that joins installations.
const DeviceByXnameQuery = graphql(`
  query DeviceByXname($xname: String!) {
    component(xname: $xname) { device { id } }
  }
`);

const DevicePageQuery = graphql(`
  query DevicePage($id: ID!) {
    device(id: $id) {
      id uuid name deviceType manufacturer model partNumber serialNumber assetTag status role description
      properties revision createdAt updatedAt rackPosition rackFace deletedAt
      rack { id name }
      location { id name }
      ancestors { id name deviceType position { xname } }
      position {
        xname type state flag enabled nid role subRole arch softwareStatus
        groups { name kind }
        interfaces {
          id name kind macAddress mgmtOnly enabled ipAddresses { address network }
          device { id name }
          cable {
            id label cableType status
            terminations { end interface { id name macAddress device { id name deviceType position { xname } } } }
          }
        }
      }
      childrenConnection(first: 200) {
        totalCount
        edges { node { id name deviceType serialNumber manufacturer position { xname state flag } childrenConnection(first: 1) { totalCount } } }
      }
      interfaces { id name kind macAddress mgmtOnly enabled ipAddresses { address network } device { id name } }
      cables {
        id label cableType status
        terminations { end interface { id name macAddress device { id name deviceType position { xname } } } }
      }
      groups { name kind }
      installations { id installedAt removedAt source component { xname } }
      history(last: 40) { seq action occurredAt source actor before after }
      children { id name serialNumber deviceType history(last: 5) { seq action occurredAt source actor before after } }
    }
  }
`);

const DeviceChildrenQuery = graphql(`
  query DeviceChildren($id: ID!) {
    device(id: $id) {
      childrenConnection(first: 200) {
        totalCount
        edges { node { id name deviceType serialNumber manufacturer position { xname state flag } childrenConnection(first: 1) { totalCount } } }
      }
    }
  }
`);

const DeviceWatch = graphql(`
  subscription DeviceWatch($id: ID!) {
    deviceChanged(subtreeOf: $id) { seq action entityId }
  }
`);

interface TreeRow {
  id: string;
  name?: string | null;
  deviceType: string;
  serialNumber?: string | null;
  manufacturer?: string | null;
  position?: { xname: string; state: string; flag: string } | null;
  childrenConnection: { totalCount: number };
}

function TreeNode({ row }: { row: TreeRow }) {
  const [open, setOpen] = useState(false);
  const hasChildren = row.childrenConnection.totalCount > 0;
  const { data, error, loading } = useQuery(DeviceChildrenQuery, { id: row.id }, [row.id], !open);
  const children = data?.device?.childrenConnection.edges.map((e) => e.node) ?? [];
  return (
    <li>
      {hasChildren ? (
        <button
          type="button"
          className="twisty"
          aria-expanded={open}
          aria-label={`${open ? 'Collapse' : 'Expand'} ${row.name ?? row.serialNumber ?? row.id}`}
          onClick={() => setOpen(!open)}
        >
          {open ? '▾' : '▸'}
        </button>
      ) : (
        <span className="twisty" aria-hidden="true">
          ·
        </span>
      )}
      <Link to={devicePath(row)}>{row.name ?? row.serialNumber ?? row.deviceType}</Link> <span className="type">{row.deviceType}</span>
      {row.serialNumber ? <span className="serial"> {row.serialNumber}</span> : null}
      {row.position ? <StateBadge state={row.position.state} flag={row.position.flag} /> : null}
      {open ? (
        loading && !data ? (
          <Loading />
        ) : (
          <>
            <ErrorNote error={error} />
            <ul className="tree">
              {children.map((child) => (
                <TreeNode key={child.id} row={child} />
              ))}
            </ul>
          </>
        )
      ) : null}
    </li>
  );
}

interface HistoryEntry {
  seq: number;
  action: string;
  occurredAt: string;
  source: string;
  actor?: string | null;
  before?: unknown;
  after?: unknown;
  subject?: string;
}

function Timeline({ entries }: { entries: HistoryEntry[] }) {
  if (entries.length === 0) return <p className="muted">No recorded change.</p>;
  return (
    <ol className="timeline">
      {entries.map((entry) => (
        <li key={`${entry.seq}-${entry.subject ?? ''}`}>
          <p>
            <strong>{entry.action}</strong> {entry.subject ? <span className="type">{entry.subject}</span> : null} ·{' '}
            {formatTime(entry.occurredAt)} · {entry.actor ?? entry.source} <span className="muted">#{entry.seq}</span>
          </p>
          {entry.action === 'updated' || entry.action === 'moved' ? (
            <DiffTable changes={fieldDiff(entry.before, entry.after)} />
          ) : entry.action === 'created' ? (
            <p className="muted">
              serial <Value value={(entry.after as { serialNumber?: string } | null)?.serialNumber} />
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

function DeviceDetail({ id }: { id: string }) {
  const { data, error, loading, reload } = useQuery(DevicePageQuery, { id }, [id]);
  useSubscription(DeviceWatch, { id }, () => reload());
  if (!data) return error ? <ErrorNote error={error} /> : <Loading what="Loading the device" />;
  const device = data.device;
  if (!device) return <p role="alert">No device {id}.</p>;
  const title = device.name ?? device.position?.xname ?? device.uuid;
  const history: HistoryEntry[] = [
    ...device.history,
    ...device.children.flatMap((child) =>
      child.history.map((h) => ({ ...h, subject: child.name ?? child.serialNumber ?? child.deviceType })),
    ),
  ].sort((a, b) => b.seq - a.seq);
  const crumbs = [...device.ancestors].reverse();
  // A node's NICs are often devices of their own whose interfaces belong to the node's position:
  // show the position's interfaces and their cables here too.
  const positionInterfaces = device.position?.interfaces ?? [];
  const interfaces = [...device.interfaces, ...positionInterfaces].filter((nic, i, all) => all.findIndex((o) => o.id === nic.id) === i);
  const cables = [...device.cables, ...positionInterfaces.flatMap((nic) => (nic.cable ? [nic.cable] : []))].filter(
    (cable, i, all) => all.findIndex((o) => o.id === cable.id) === i,
  );
  const groups = [...device.groups, ...(device.position?.groups ?? [])].filter(
    (g, i, all) => all.findIndex((o) => o.name === g.name && o.kind === g.kind) === i,
  );
  return (
    <>
      <nav aria-label="Parents" className="crumbs">
        {crumbs.map((a) => (
          <span key={a.id}>
            <Link to={devicePath(a)}>{a.name ?? a.deviceType}</Link> ›{' '}
          </span>
        ))}
      </nav>
      <h1>
        {title} <span className="type">{device.deviceType}</span>
        {loading ? <span className="muted"> · refreshing</span> : null}
      </h1>
      {device.deletedAt ? <p className="error">Deleted {formatTime(device.deletedAt)}</p> : null}
      <div className="grid two">
        <Section title="Device" id="device-fields">
          <KeyValues
            rows={[
              [
                'Serial number',
                <span key="serial" data-testid="serial">
                  {device.serialNumber}
                </span>,
              ],
              ['Manufacturer', device.manufacturer],
              ['Model', device.model],
              ['Part number', device.partNumber],
              ['Asset tag', device.assetTag],
              ['Status', device.status],
              ['Role', device.role],
              [
                'Rack',
                device.rack ? (
                  <Link
                    key="rack"
                    to={`/machine-room/racks/${device.rack.id}`}
                  >{`${device.rack.name} U${device.rackPosition ?? '?'} ${device.rackFace ?? ''}`}</Link>
                ) : null,
              ],
              ['Location', device.location?.name],
              ['UUID', <code key="uuid">{device.uuid}</code>],
              ['Revision', device.revision],
              ['Updated', formatTime(device.updatedAt)],
            ]}
          />
          <div className="links">
            {device.position && device.position.type === 'Node' ? <Link to={`/boot/${device.position.xname}`}>Boot documents</Link> : null}
          </div>
        </Section>
        <Section title="Position and state" id="device-position">
          {device.position ? (
            <KeyValues
              rows={[
                ['xname', <code key="xname">{device.position.xname}</code>],
                ['State', <StateBadge key="state" state={device.position.state} flag={device.position.flag} />],
                ['Enabled', String(device.position.enabled)],
                ['NID', device.position.nid],
                ['Role', [device.position.role, device.position.subRole].filter(Boolean).join(' / ')],
                ['Arch', device.position.arch],
                ['Software status', device.position.softwareStatus],
              ]}
            />
          ) : (
            <p className="muted">Not installed in an xname position.</p>
          )}
          {device.installations.length > 0 ? (
            <table>
              <caption>Installations</caption>
              <thead>
                <tr>
                  <th scope="col">Position</th>
                  <th scope="col">Installed</th>
                  <th scope="col">Removed</th>
                </tr>
              </thead>
              <tbody>
                {device.installations.map((i) => (
                  <tr key={i.id}>
                    <td>{i.component.xname}</td>
                    <td>{formatTime(i.installedAt)}</td>
                    <td>{formatTime(i.removedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </Section>
      </div>
      <Section title={`Contents (${device.childrenConnection.totalCount})`} id="device-tree">
        {device.childrenConnection.totalCount === 0 ? (
          <p className="muted">No child devices.</p>
        ) : (
          <ul className="tree" aria-label="Devices below">
            {device.childrenConnection.edges.map(({ node }) => (
              <TreeNode key={node.id} row={node} />
            ))}
          </ul>
        )}
      </Section>
      <div className="grid two">
        <Section title="Interfaces" id="device-interfaces">
          {interfaces.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col">On</th>
                  <th scope="col">MAC</th>
                  <th scope="col">Addresses</th>
                </tr>
              </thead>
              <tbody>
                {interfaces.map((nic) => (
                  <tr key={nic.id}>
                    <td>{nic.name}</td>
                    <td>
                      {nic.kind}
                      {nic.mgmtOnly ? ' (mgmt)' : ''}
                    </td>
                    <td>
                      {nic.device && nic.device.id !== device.id ? (
                        <Link to={`/devices/${nic.device.id}`}>{nic.device.name ?? 'device'}</Link>
                      ) : (
                        'this device'
                      )}
                    </td>
                    <td>
                      <code>{nic.macAddress}</code>
                    </td>
                    <td>{nic.ipAddresses.map((a) => `${a.address}${a.network ? ` (${a.network})` : ''}`).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>
        <Section title="Cables" id="device-cables">
          {cables.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ul className="cables">
              {cables.map((cable) => (
                <li key={cable.id}>
                  <strong>{cable.label ?? cable.cableType ?? 'cable'}</strong> ({cable.status}):{' '}
                  {cable.terminations
                    .slice()
                    .sort((a, b) => a.end.localeCompare(b.end))
                    .map((t, i) => (
                      <span key={t.end}>
                        {i > 0 ? ' ⇄ ' : ''}
                        {t.end}:{' '}
                        {t.interface.device ? (
                          <Link to={devicePath(t.interface.device)}>{t.interface.device.name ?? t.interface.device.id.slice(0, 8)}</Link>
                        ) : (
                          '—'
                        )}{' '}
                        {t.interface.name}
                      </span>
                    ))}
                </li>
              ))}
            </ul>
          )}
        </Section>
      </div>
      <div className="grid two">
        <Section title="Properties" id="device-properties">
          <KeyValues rows={Object.entries(device.properties).map(([k, v]) => [k, <Value key={k} value={v} />])} />
        </Section>
        <Section title="Groups" id="device-groups">
          {groups.length === 0 ? (
            <p className="muted">Member of no group.</p>
          ) : (
            <ul className="chips">
              {groups.map((g) => (
                <li key={`${g.kind}-${g.name}`}>
                  <Link to={`/search?q=${encodeURIComponent(g.name)}`}>{g.name}</Link> <span className="muted">{g.kind}</span>
                </li>
              ))}
            </ul>
          )}
        </Section>
      </div>
      <Section title="History" id="device-history">
        <Timeline entries={history} />
      </Section>
    </>
  );
}

const XNAME = /^x\d+/;

export function DevicePage({ reference }: { reference: string }) {
  const byXname = XNAME.test(reference);
  const lookup = useQuery(DeviceByXnameQuery, { xname: reference }, [reference], !byXname);
  if (!byXname) return <DeviceDetail id={reference} />;
  if (lookup.error) return <ErrorNote error={lookup.error} />;
  if (!lookup.data) return <Loading what={`Finding ${reference}`} />;
  const found = lookup.data.component?.device;
  if (!found) return <p role="alert">No device is installed at {reference}.</p>;
  return <DeviceDetail id={found.id} />;
}
