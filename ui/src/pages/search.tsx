// Search as you type: xname (prefix), name, serial, MAC, IP and group, one request per pause in
// typing; only the lookups the text could match are asked (a MAC lookup for MAC-like text …).
import { useEffect, useState } from 'react';
import { useQuery } from '../client';
import { ErrorNote, StateBadge } from '../components/common';
import { VirtualList } from '../components/virtual-list';
import { graphql } from '../gql';
import { devicePath, Link, navigate } from '../router';

const SearchQuery = graphql(`
  query Search(
    $q: String!
    $mac: String
    $ip: String
    $isXname: Boolean!
    $isMac: Boolean!
    $isIp: Boolean!
    $isGroup: Boolean!
  ) {
    byXname: devices(first: 50, filter: { xnamePrefix: $q }) @include(if: $isXname) {
      totalCount
      edges { node { id name deviceType serialNumber position { xname state flag } } }
    }
    byName: devices(first: 20, filter: { name: $q }) { edges { node { id name deviceType serialNumber position { xname state flag } } } }
    bySerial: devices(first: 20, filter: { serialNumber: $q }) { edges { node { id name deviceType serialNumber position { xname state flag } } } }
    byMac: interfaces(first: 20, macAddress: $mac) @include(if: $isMac) {
      edges { node { id name macAddress component { xname } ipAddresses { address } device { id name deviceType serialNumber position { xname state flag } } } }
    }
    byIp: interfaces(first: 20, ipAddress: $ip) @include(if: $isIp) {
      edges { node { id name macAddress component { xname } ipAddresses { address } device { id name deviceType serialNumber position { xname state flag } } } }
    }
    group(name: $q) @include(if: $isGroup) { id name kind memberCount description }
  }
`);

/** aa:bb:cc:dd:ee:ff from any common spelling, or undefined when the text is not a MAC. */
export function macOf(text: string): string | undefined {
  const hex = text.toLowerCase().replace(/[-:.\s]/g, '');
  if (!/^[0-9a-f]{12}$/.test(hex)) return undefined;
  return hex.match(/../g)?.join(':');
}

const IPV4 = /^(\d{1,3})(\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-f:]+:[0-9a-f:]*$/i;

export function searchVariables(text: string) {
  const q = text.trim();
  const mac = macOf(q);
  const ip = IPV4.test(q) || (IPV6.test(q) && q.includes('::')) ? q.toLowerCase() : undefined;
  return {
    q,
    mac,
    ip,
    isXname: /^x\d+/i.test(q),
    isMac: mac !== undefined,
    isIp: ip !== undefined,
    isGroup: /^[-a-z0-9:._]+$/.test(q.toLowerCase()),
  };
}

interface Hit {
  key: string;
  match: string;
  device?: {
    id: string;
    name?: string | null;
    deviceType: string;
    serialNumber?: string | null;
    position?: { xname: string; state: string; flag: string } | null;
  } | null;
  group?: { name: string; kind: string; memberCount: number };
  detail?: string;
  /** The position an interface belongs to (its SMD ComponentID). */
  position?: string;
}

function useDebounced(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function SearchPage({ initial }: { initial: string }) {
  const [text, setText] = useState(initial);
  const settled = useDebounced(text, 200);
  const variables = searchVariables(settled);
  useEffect(() => {
    navigate(settled ? `/search?q=${encodeURIComponent(settled)}` : '/search', { replace: true });
  }, [settled]);
  const { data, error, loading } = useQuery(SearchQuery, variables, [settled], variables.q === '');
  const hits: Hit[] = [];
  if (data && variables.q) {
    const seen = new Set<string>();
    const add = (hit: Hit) => {
      const key = hit.device ? `d-${hit.device.id}` : hit.key;
      if (seen.has(key)) return;
      seen.add(key);
      hits.push({ ...hit, key });
    };
    if (data.group) add({ key: `g-${data.group.id}`, match: 'group', group: data.group, detail: data.group.description ?? undefined });
    for (const e of data.byMac?.edges ?? [])
      add({
        key: e.node.id,
        match: `MAC ${e.node.macAddress}`,
        device: e.node.device,
        detail: e.node.name ?? undefined,
        position: e.node.component?.xname,
      });
    for (const e of data.byIp?.edges ?? [])
      add({
        key: e.node.id,
        match: `IP ${e.node.ipAddresses.map((a) => a.address).join(', ')}`,
        device: e.node.device,
        detail: e.node.name ?? undefined,
        position: e.node.component?.xname,
      });
    for (const e of data.bySerial.edges) add({ key: e.node.id, match: 'serial', device: e.node });
    for (const e of data.byName.edges) add({ key: e.node.id, match: 'name', device: e.node });
    for (const e of data.byXname?.edges ?? []) add({ key: e.node.id, match: 'xname', device: e.node });
  }
  return (
    <>
      <h1>Search</h1>
      <search>
        <form onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="search-box">xname, name, serial, MAC, IP or group</label>
          <input
            id="search-box"
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="x1000c0s0b0n0, 02:00:…, 10.1.0.5, compute"
            autoComplete="off"
            spellCheck={false}
          />
        </form>
      </search>
      <ErrorNote error={error} />
      <p className="muted" aria-live="polite" data-testid="search-status">
        {variables.q === ''
          ? 'Type to search.'
          : loading
            ? 'Searching…'
            : `${hits.length} match${hits.length === 1 ? '' : 'es'} for “${variables.q}”`}
      </p>
      {hits.length > 0 ? (
        <VirtualList
          items={hits}
          label="Search results"
          rowHeight={40}
          height={Math.min(520, hits.length * 40 + 4)}
          render={(hit) =>
            hit.group ? (
              <div className="hit">
                <span className="match">{hit.match}</span>
                <strong>{hit.group.name}</strong>{' '}
                <span className="muted">
                  {hit.group.kind}, {hit.group.memberCount} members
                </span>{' '}
                {hit.detail}
              </div>
            ) : hit.device ? (
              <div className="hit">
                <span className="match">{hit.match}</span>
                <Link to={devicePath(hit.device)}>{hit.device.position?.xname ?? hit.device.name ?? hit.device.id}</Link>{' '}
                <span className="type">{hit.device.deviceType}</span> {hit.device.name && hit.device.position ? hit.device.name : null}{' '}
                <span className="serial">{hit.device.serialNumber}</span>
                {hit.device.position ? <StateBadge state={hit.device.position.state} flag={hit.device.position.flag} /> : null}
                {hit.detail ? <span className="muted"> · {hit.detail}</span> : null}
                {hit.position ? (
                  <>
                    {' '}
                    on <Link to={`/devices/${hit.position}`}>{hit.position}</Link>
                  </>
                ) : null}
              </div>
            ) : (
              <div className="hit">
                <span className="match">{hit.match}</span> {hit.detail} <span className="muted">(interface on no device)</span>
              </div>
            )
          }
        />
      ) : null}
    </>
  );
}
