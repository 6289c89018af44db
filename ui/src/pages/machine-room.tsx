// Machine room: locations and their racks; a rack drawn as its elevation (front and rear, each
// device in its U slot); a cabinet drawn as its chassis, their slots and the blades and nodes in them.
import { useQuery } from '../client';
import { ErrorNote, Loading, Section, StateBadge, stateClass } from '../components/common';
import { graphql } from '../gql';
import type { RackElevationQuery } from '../gql/graphql';
import { devicePath, Link } from '../router';

const RoomQuery = graphql(`
  query MachineRoom {
    locations(first: 200) {
      totalCount
      edges { node { id name locationType parent { id name } racks { id name uHeight } } }
    }
    cabinets: devices(first: 200, filter: { deviceType: ["Cabinet"] }) {
      totalCount
      edges { node { id name position { xname state flag } rack { id name } } }
    }
  }
`);

const RackQuery = graphql(`
  query RackElevation($id: ID!) {
    rack(id: $id) {
      id name uHeight status serial
      location { id name }
      devices { id name deviceType rackPosition rackFace serialNumber parent { id } position { xname state flag } }
    }
  }
`);

const CabinetQuery = graphql(`
  query CabinetLayout($xname: String!) {
    devices(first: 1, filter: { xname: $xname }) {
      edges {
        node {
          id name deviceType serialNumber rack { id name }
          position { xname state flag }
          children {
            id name deviceType position { xname state flag }
            children {
              id name deviceType serialNumber position { xname state flag }
              children { id name deviceType position { xname state flag } }
            }
          }
        }
      }
    }
  }
`);

export function MachineRoomPage() {
  const { data, error } = useQuery(RoomQuery, undefined, []);
  if (!data) return error ? <ErrorNote error={error} /> : <Loading what="Loading the machine room" />;
  const withRacks = data.locations.edges.map((e) => e.node).filter((l) => l.racks.length > 0);
  return (
    <>
      <h1>Machine room</h1>
      {withRacks.map((location) => (
        <Section key={location.id} title={`${location.name} (${location.locationType})`} id={`loc-${location.id}`}>
          {location.parent ? <p className="muted">in {location.parent.name}</p> : null}
          <ul className="rack-row">
            {location.racks.map((rack) => (
              <li key={rack.id}>
                <Link to={`/machine-room/racks/${rack.id}`} className="rack-tile">
                  <strong>{rack.name}</strong>
                  <small>{rack.uHeight}U</small>
                </Link>
              </li>
            ))}
          </ul>
        </Section>
      ))}
      {withRacks.length === 0 ? <p className="muted">No location holds a rack.</p> : null}
      <Section title={`Cabinets (${data.cabinets.totalCount})`} id="cabinets">
        <ul className="rack-row">
          {data.cabinets.edges.map(({ node }) => (
            <li key={node.id}>
              <Link to={node.position ? `/machine-room/cabinets/${node.position.xname}` : devicePath(node)} className="rack-tile">
                <strong>{node.position?.xname ?? node.name}</strong>
                <small>{node.rack?.name ?? ''}</small>
              </Link>
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}

type RackDevice = NonNullable<RackElevationQuery['rack']>['devices'][number];

function Elevation({ face, height, devices }: { face: 'front' | 'rear'; height: number; devices: RackDevice[] }) {
  const byUnit = new Map<number, RackDevice[]>();
  for (const d of devices) {
    if (d.rackPosition == null) continue;
    const onFace = (d.rackFace ?? 'front') === face || d.rackFace === 'both';
    if (onFace) byUnit.set(d.rackPosition, [...(byUnit.get(d.rackPosition) ?? []), d]);
  }
  const units = Array.from({ length: height }, (_, i) => height - i);
  return (
    <figure className="elevation">
      <figcaption>{face === 'front' ? 'Front' : 'Rear'}</figcaption>
      <ol aria-label={`${face} elevation`}>
        {units.map((u) => {
          const here = byUnit.get(u) ?? [];
          return (
            <li key={u} className={here.length ? 'used' : 'empty'}>
              <span className="unit">U{u}</span>
              {here.map((d) => (
                <Link key={d.id} to={devicePath(d)} className={d.position ? stateClass(d.position.state) : ''}>
                  {d.name ?? d.deviceType} <span className="type">{d.deviceType}</span>
                </Link>
              ))}
            </li>
          );
        })}
      </ol>
    </figure>
  );
}

export function RackPage({ id }: { id: string }) {
  const { data, error } = useQuery(RackQuery, { id }, [id]);
  if (!data) return error ? <ErrorNote error={error} /> : <Loading what="Loading the rack" />;
  const rack = data.rack;
  if (!rack) return <p role="alert">No rack {id}.</p>;
  const inRack = new Set(rack.devices.map((d) => d.id));
  const unplaced = rack.devices.filter((d) => d.rackPosition == null && !(d.parent && inRack.has(d.parent.id)));
  return (
    <>
      <nav className="crumbs" aria-label="Machine room">
        <Link to="/machine-room">Machine room</Link> › {rack.location?.name ?? ''}
      </nav>
      <h1>
        Rack {rack.name} <span className="type">{rack.uHeight}U</span>
      </h1>
      <div className="elevations">
        <Elevation face="front" height={rack.uHeight} devices={rack.devices} />
        <Elevation face="rear" height={rack.uHeight} devices={rack.devices} />
      </div>
      {unplaced.length > 0 ? (
        <Section title="In the rack without a U position" id="rack-unplaced">
          <ul>
            {unplaced.map((d) => (
              <li key={d.id}>
                <Link to={d.deviceType === 'Cabinet' && d.position ? `/machine-room/cabinets/${d.position.xname}` : devicePath(d)}>
                  {d.name ?? d.deviceType}
                </Link>{' '}
                <span className="type">{d.deviceType}</span>{' '}
                {d.position ? <StateBadge state={d.position.state} flag={d.position.flag} /> : null}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </>
  );
}

const slotOf = (xname: string | undefined) => Number(/s(\d+)$/.exec(xname ?? '')?.[1] ?? Number.NaN);

export function CabinetPage({ xname }: { xname: string }) {
  const { data, error } = useQuery(CabinetQuery, { xname }, [xname]);
  if (!data) return error ? <ErrorNote error={error} /> : <Loading what={`Loading cabinet ${xname}`} />;
  const cabinet = data.devices.edges[0]?.node;
  if (!cabinet) return <p role="alert">No cabinet is installed at {xname}.</p>;
  const chassis = cabinet.children.filter((c) => c.deviceType === 'Chassis');
  const others = cabinet.children.filter((c) => c.deviceType !== 'Chassis');
  return (
    <>
      <nav className="crumbs" aria-label="Machine room">
        <Link to="/machine-room">Machine room</Link> ›{' '}
        {cabinet.rack ? <Link to={`/machine-room/racks/${cabinet.rack.id}`}>{cabinet.rack.name}</Link> : null}
      </nav>
      <h1>
        Cabinet {xname} <span className="type">{cabinet.serialNumber}</span>
      </h1>
      <p>
        <Link to={devicePath(cabinet)}>Device page</Link>
        {others.length > 0 ? (
          <>
            {' '}
            · also in it:{' '}
            {others.map((o) => (
              <Link key={o.id} to={devicePath(o)}>
                {o.position?.xname ?? o.name} ({o.deviceType}){' '}
              </Link>
            ))}
          </>
        ) : null}
      </p>
      <div className="cabinet">
        {chassis.map((ch) => {
          const blades = [...ch.children].sort((a, b) => slotOf(a.position?.xname) - slotOf(b.position?.xname));
          return (
            <section key={ch.id} className="chassis" aria-label={`Chassis ${ch.position?.xname ?? ch.name}`}>
              <h2>
                <Link to={devicePath(ch)}>{ch.position?.xname ?? ch.name}</Link>
              </h2>
              <ol className="slots">
                {blades.map((blade) => (
                  <li key={blade.id} className="slot">
                    <Link to={devicePath(blade)} className="blade">
                      {blade.position?.xname.replace(ch.position?.xname ?? '', '') ?? blade.name}
                    </Link>
                    <ul className="nodes">
                      {blade.children.map((n) => (
                        <li key={n.id}>
                          <Link
                            to={devicePath(n)}
                            className={`node ${n.position ? stateClass(n.position.state) : ''}`}
                            title={n.position ? `${n.position.xname}: ${n.position.state}` : (n.name ?? '')}
                          >
                            {n.position?.xname.replace(blade.position?.xname ?? '', '') ?? n.name}{' '}
                            <span className="visually-hidden">{n.position?.state}</span>
                          </Link>
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ol>
            </section>
          );
        })}
      </div>
      <p className="legend">
        {['Ready', 'On', 'Off', 'Standby', 'Empty', 'Unknown'].map((s) => (
          <span key={s} className={`badge ${stateClass(s)}`}>
            {s}
          </span>
        ))}
      </p>
    </>
  );
}
