// Every device, a page of 200 at a time as the list scrolls (cursor paging), drawn virtualised.
import { useCallback, useEffect, useRef, useState } from 'react';
import { type GatewayError, request } from '../client';
import { ErrorNote, Loading, StateBadge } from '../components/common';
import { VirtualList } from '../components/virtual-list';
import { graphql } from '../gql';
import type { DeviceListQuery } from '../gql/graphql';
import { devicePath, Link } from '../router';

const DeviceListQueryDoc = graphql(`
  query DeviceList($after: String, $types: [String!]) {
    devices(first: 200, after: $after, filter: { deviceType: $types }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name deviceType serialNumber position { xname state flag } } }
    }
  }
`);

type Row = DeviceListQuery['devices']['edges'][number]['node'];

export function DevicesPage({ type }: { type: string }) {
  const [rows, setRows] = useState<Row[]>([]);
  const [total, setTotal] = useState<number>();
  const [error, setError] = useState<GatewayError>();
  const cursor = useRef<{ after: string | null; more: boolean; busy: boolean }>({ after: null, more: true, busy: false });

  const more = useCallback(() => {
    const state = cursor.current;
    if (!state.more || state.busy) return;
    state.busy = true;
    request(DeviceListQueryDoc, { after: state.after, types: type ? [type] : null }).then(
      (data) => {
        state.after = data.devices.pageInfo.endCursor ?? null;
        state.more = data.devices.pageInfo.hasNextPage;
        state.busy = false;
        setTotal(data.devices.totalCount);
        setRows((list) => [...list, ...data.devices.edges.map((e) => e.node)]);
      },
      (e: GatewayError) => {
        state.busy = false;
        state.more = false;
        setError(e);
      },
    );
  }, [type]);

  useEffect(() => {
    cursor.current = { after: null, more: true, busy: false };
    setRows([]);
    more();
  }, [more]);

  return (
    <>
      <h1>Devices{type ? `: ${type}` : ''}</h1>
      <ErrorNote error={error} />
      {total === undefined ? (
        <Loading />
      ) : (
        <p className="muted">
          {rows.length.toLocaleString()} of {total.toLocaleString()} loaded; more load as you scroll.
        </p>
      )}
      <VirtualList
        items={rows}
        label="Devices"
        height={560}
        onEnd={more}
        render={(d) => (
          <div className="hit">
            <Link to={devicePath(d)}>{d.position?.xname ?? d.name ?? d.id}</Link> <span className="type">{d.deviceType}</span>{' '}
            {d.position && d.name !== d.position.xname ? d.name : null} <span className="serial">{d.serialNumber}</span>
            {d.position ? <StateBadge state={d.position.state} flag={d.position.flag} /> : null}
          </div>
        )}
      />
    </>
  );
}
