// The console's frame: navigation, the token prompt when the gateway wants one, and the page the
// path names. Every page is a deep link under /ui/.
import { type FormEvent, useState } from 'react';
import { ErrorNote, Loading } from './components/common';
import { BootPage } from './pages/boot';
import { DevicePage } from './pages/device';
import { DevicesPage } from './pages/devices';
import { LivePage } from './pages/live';
import { CabinetPage, MachineRoomPage, RackPage } from './pages/machine-room';
import { OverviewPage } from './pages/overview';
import { ScanPage, ScansPage } from './pages/scans';
import { SearchPage } from './pages/search';
import { TimeTravelPage } from './pages/time-travel';
import { Link, useRoute } from './router';
import { type Session, setToken, storedToken, useSession } from './session';

const NAV: Array<[string, string]> = [
  ['/', 'Overview'],
  ['/machine-room', 'Machine room'],
  ['/devices', 'Devices'],
  ['/search', 'Search'],
  ['/scans', 'Scans'],
  ['/history', 'Time travel'],
  ['/boot', 'Boot'],
  ['/live', 'Live'],
];

function TokenForm({ session }: { session: Session }) {
  const [value, setValue] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setToken(value);
  };
  return (
    <section className="panel token" aria-labelledby="token-title">
      <h1 id="token-title">Sign in with a bearer token</h1>
      <p>This gateway requires a JWT. Paste an access token; it is kept for this browser tab only (sessionStorage).</p>
      {session.caller === 'rejected' ? (
        <p className="error" role="alert">
          The token was refused: {session.reason}
        </p>
      ) : null}
      {session.caller === 'unverifiable' ? (
        <p className="error" role="alert">
          The gateway cannot verify tokens right now (its key set is unreachable).
        </p>
      ) : null}
      <form onSubmit={submit}>
        <label htmlFor="token-input">Bearer token</label>
        <textarea
          id="token-input"
          rows={4}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          required
          spellCheck={false}
          autoComplete="off"
        />
        <button type="submit" className="primary">
          Use this token
        </button>
      </form>
    </section>
  );
}

function Page({ session }: { session: Session }) {
  const { path, query } = useRoute();
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second, third] = parts;
  switch (first) {
    case undefined:
      return <OverviewPage />;
    case 'machine-room':
      if (second === 'racks' && third) return <RackPage id={third} />;
      if (second === 'cabinets' && third) return <CabinetPage xname={third} />;
      return <MachineRoomPage />;
    case 'devices':
      return second ? <DevicePage key={second} reference={second} /> : <DevicesPage type={query.get('type') ?? ''} />;
    case 'search':
      return <SearchPage initial={query.get('q') ?? ''} />;
    case 'scans':
      return second ? <ScanPage key={second} id={second} canWrite={session.canWrite} /> : <ScansPage />;
    case 'history':
      return <TimeTravelPage key={query.toString()} query={query} />;
    case 'boot':
      return <BootPage key={second ?? ''} xname={second ?? ''} />;
    case 'live':
      return <LivePage />;
    default:
      return (
        <p role="alert">
          No page at {path}. <Link to="/">Back to the overview</Link>
        </p>
      );
  }
}

export function App() {
  const { session, error } = useSession();
  const { path } = useRoute();
  const section = `/${path.split('/')[1] ?? ''}`;
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          Inventory console
        </Link>
        <nav aria-label="Pages">
          <ul>
            {NAV.map(([to, label]) => (
              <li key={to}>
                <Link to={to} aria-current={section === to ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          {session?.auth && session.caller === 'token' ? (
            <>
              <span>
                {session.subject}
                {session.canWrite ? '' : ' (read-only)'}
              </span>{' '}
              <button type="button" onClick={() => setToken(null)}>
                Sign out
              </button>
            </>
          ) : session && !session.auth ? (
            <span className="muted">auth off</span>
          ) : null}
        </div>
      </header>
      <main id="main">
        {error ? (
          <ErrorNote error={new Error(error)} />
        ) : !session ? (
          <Loading />
        ) : session.auth && !session.canRead ? (
          <TokenForm key={storedToken() ?? ''} session={session} />
        ) : (
          <Page session={session} />
        )}
      </main>
    </>
  );
}
