// Who the console is for: the gateway's /ui/session says whether auth is on and what the bearer
// token (kept in sessionStorage: gone when the tab closes) may do. A read-only token sees no
// write controls; the gateway refuses its writes anyway.
import { useEffect, useState } from 'react';

const TOKEN_KEY = 'inventory-console.token';

export interface Session {
  auth: boolean;
  caller: string;
  subject: string | null;
  canRead: boolean;
  canWrite: boolean;
  reason: string | null;
}

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function authHeaders(): Record<string, string> {
  const token = storedToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

const listeners = new Set<() => void>();

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token.trim());
  else sessionStorage.removeItem(TOKEN_KEY);
  for (const listener of listeners) listener();
}

export async function fetchSession(): Promise<Session> {
  const response = await fetch('/ui/session', { headers: authHeaders() });
  if (!response.ok) throw new Error(`the gateway answered ${response.status} for /ui/session`);
  return (await response.json()) as Session;
}

/** Asked for as the script loads, before React mounts: the first page waits one round trip less. */
let first: Promise<Session> | undefined = fetchSession();

/** The session, refetched whenever the token changes; undefined while loading. */
export function useSession(): { session: Session | undefined; error: string | undefined } {
  const [session, setSession] = useState<Session>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    const load = () => {
      const pending = first ?? fetchSession();
      first = undefined;
      return pending.then(
        (s) => {
          setSession(s);
          setError(undefined);
        },
        (e: Error) => setError(e.message),
      );
    };
    load();
    listeners.add(load);
    return () => {
      listeners.delete(load);
    };
  }, []);
  return { session, error };
}
