// Live: device and component (SMD state) changes as they commit, through the deviceChanged and
// componentChanged subscriptions (SSE), without reloading.
import { useState } from 'react';
import { useSubscription } from '../client';
import { StateBadge } from '../components/common';
import { devicePath, Link } from '../router';
import { ComponentChangedSubscription, DeviceChangedSubscription } from './overview';

const KEEP = 200;

interface LiveEvent {
  key: number;
  at: string;
  kind: 'device' | 'component';
  action: string;
  entityId: string;
  link?: string;
  label?: string;
  deviceType?: string;
  serialNumber?: string | null;
  state?: { state: string; flag: string };
}

let counter = 0;

export function LivePage() {
  const [events, setEvents] = useState<LiveEvent[]>([]);
  const add = (event: Omit<LiveEvent, 'key' | 'at'>) =>
    setEvents((list) => [{ ...event, key: ++counter, at: new Date().toLocaleTimeString() }, ...list].slice(0, KEEP));
  useSubscription(DeviceChangedSubscription, {}, ({ deviceChanged: e }) =>
    add({
      kind: 'device',
      action: e.action,
      entityId: e.entityId,
      link: e.device ? devicePath(e.device) : undefined,
      label: e.device ? (e.device.position?.xname ?? e.device.name ?? e.device.id) : undefined,
      deviceType: e.device?.deviceType,
      serialNumber: e.device?.serialNumber,
      state: e.device?.position ?? undefined,
    }),
  );
  useSubscription(ComponentChangedSubscription, {}, ({ componentChanged: e }) =>
    add({
      kind: 'component',
      action: e.action,
      entityId: e.entityId,
      link: e.component ? `/devices/${encodeURIComponent(e.component.xname)}` : undefined,
      label: e.component?.xname,
      deviceType: e.component?.type,
      serialNumber: e.component?.device?.serialNumber,
      state: e.component ?? undefined,
    }),
  );
  return (
    <>
      <h1>Live</h1>
      <p className="muted">Device and component writes appear here as they commit (the last {KEEP} are kept).</p>
      <ol className="live" aria-live="polite" aria-label="Changes">
        {events.length === 0 ? <li className="muted">Waiting for changes…</li> : null}
        {events.map((e) => (
          <li key={e.key}>
            <time>{e.at}</time> <strong>{e.action}</strong> <span className="muted">{e.kind}</span>{' '}
            {e.link ? <Link to={e.link}>{e.label}</Link> : <span>{e.entityId}</span>}{' '}
            {e.deviceType ? <span className="type">{e.deviceType}</span> : null}{' '}
            {e.serialNumber ? <span className="serial">{e.serialNumber}</span> : null}
            {e.state ? <StateBadge state={e.state.state} flag={e.state.flag} /> : null}
          </li>
        ))}
      </ol>
    </>
  );
}
