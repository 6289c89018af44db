// Live: device changes as they commit, through the deviceChanged subscription (SSE), without reloading.
import { useState } from 'react';
import { useSubscription } from '../client';
import { StateBadge } from '../components/common';
import type { DeviceChangedSubscription as Change } from '../gql/graphql';
import { devicePath, Link } from '../router';
import { DeviceChangedSubscription } from './overview';

const KEEP = 200;

export function LivePage() {
  const [events, setEvents] = useState<Array<Change['deviceChanged'] & { at: string; key: number }>>([]);
  useSubscription(DeviceChangedSubscription, {}, (data) =>
    setEvents((list) => [{ ...data.deviceChanged, at: new Date().toLocaleTimeString(), key: Math.random() }, ...list].slice(0, KEEP)),
  );
  return (
    <>
      <h1>Live</h1>
      <p className="muted">Device writes appear here as they commit (the last {KEEP} are kept).</p>
      <ol className="live" aria-live="polite" aria-label="Device changes">
        {events.length === 0 ? <li className="muted">Waiting for changes…</li> : null}
        {events.map((e) => (
          <li key={e.key}>
            <time>{e.at}</time> <strong>{e.action}</strong>{' '}
            {e.device ? (
              <>
                <Link to={devicePath(e.device)}>{e.device.position?.xname ?? e.device.name ?? e.device.id}</Link>{' '}
                <span className="type">{e.device.deviceType}</span> <span className="serial">{e.device.serialNumber}</span>
                {e.device.position ? <StateBadge state={e.device.position.state} flag={e.device.position.flag} /> : null}
              </>
            ) : (
              <span>{e.entityId}</span>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}
