// One BMC's Redfish service over HTTPS (node:https): basic or session authentication, TLS
// verified against a CA bundle, pinned SHA-256 fingerprints, or not at all (BMCs ship
// self-signed certificates); a timeout per request, retries with exponential backoff for
// what may pass (timeouts, resets, 5xx, 429), and a bound on every answer's size.
import { Agent, type AgentOptions, request as httpsRequest } from 'node:https';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { TargetError } from './target-error.js';

export type TlsPolicy =
  | { verify: 'off' }
  /** PEM certificates the BMCs' certificates must chain to (host names are not checked: BMCs are reached by address). */
  | { verify: 'ca'; ca: string }
  /** SHA-256 fingerprints ("AB:CD:…" or hex) of the certificates accepted. */
  | { verify: 'pinned'; fingerprints: string[] };

export interface RedfishClientOptions {
  /** "host", "host:port" or "[v6]:port"; HTTPS on 443 unless a port is given. */
  address: string;
  username?: string | null;
  password?: string | null;
  auth?: 'basic' | 'session';
  tls?: TlsPolicy;
  timeoutMs?: number;
  /** Attempts after the first for a transient failure. */
  retries?: number;
  /** The first retry's delay; each next one doubles it (with jitter). */
  backoffMs?: number;
  maxResponseBytes?: number;
  /** Connections at once to this BMC. */
  maxSockets?: number;
}

export const CLIENT_DEFAULTS = {
  auth: 'basic',
  timeoutMs: 10_000,
  retries: 2,
  backoffMs: 250,
  maxResponseBytes: 4 * 1024 * 1024,
  // One keep-alive connection per BMC: BMCs serve few connections, a TLS handshake costs more
  // than the requests that queue behind it, and a crawl keeps many BMCs busy at once (1,000
  // simulated BMCs at concurrency 64: half the client CPU of four connections each).
  maxSockets: 1,
} as const;

/** "AB:CD:…" or "abcd…" as lowercase hex without separators. */
export const normalizeFingerprint = (text: string) => text.replace(/[^0-9a-f]/gi, '').toLowerCase();

type ConnectionCallback = (error: Error | null, socket?: TLSSocket) => void;

/**
 * An agent whose connections are handed to a request only once the certificate's fingerprint
 * is found pinned: no request byte (credentials included) reaches a server not pinned.
 */
function pinningAgent(options: AgentOptions, pins: Set<string>): Agent {
  const agent = new Agent(options);
  // Node's Agent takes a createConnection that answers through its callback (async).
  (agent as unknown as { createConnection: (o: object, cb: ConnectionCallback) => undefined }).createConnection = (o, callback) => {
    const socket = tlsConnect({ ...o, rejectUnauthorized: false });
    let settled = false;
    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      if (error) socket.destroy();
      callback(error, error ? undefined : socket);
    };
    socket.once('secureConnect', () => {
      const fingerprint = normalizeFingerprint(socket.getPeerCertificate().fingerprint256 ?? '');
      if (pins.has(fingerprint)) settle(null);
      else settle(new TargetError('bad-tls', `the certificate's SHA-256 fingerprint ${fingerprint || '(none)'} is not pinned`));
    });
    socket.once('error', settle);
    return undefined;
  };
  return agent;
}

function agentFor(tls: TlsPolicy, maxSockets: number): Agent {
  const base: AgentOptions = { keepAlive: true, maxSockets, scheduling: 'fifo' };
  if (tls.verify === 'pinned') return pinningAgent(base, new Set(tls.fingerprints.map(normalizeFingerprint)));
  if (tls.verify === 'ca') return new Agent({ ...base, ca: tls.ca, rejectUnauthorized: true, checkServerIdentity: () => undefined });
  return new Agent({ ...base, rejectUnauthorized: false });
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|SSL|TLS|EPROTO|ERR_TLS/;

function networkError(error: NodeJS.ErrnoException, address: string): TargetError {
  if (error instanceof TargetError) return error;
  const code = error.code ?? '';
  if (TLS_CODES.test(code) || /certificate|ssl|tls/i.test(error.message))
    return new TargetError('bad-tls', `TLS with ${address} failed: ${error.message}`);
  const transient = !['ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNREFUSED'].includes(code);
  return new TargetError('unreachable', `${address}: ${code || error.message}`, transient);
}

export interface RedfishAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class RedfishClient {
  private readonly options: Required<Omit<RedfishClientOptions, 'username' | 'password'>> &
    Pick<RedfishClientOptions, 'username' | 'password'>;
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;
  private session?: { token: string; location?: string };
  /**
   * Stops each request sent and not yet answered. A read that fails (refused credentials, not a
   * BMC …) may leave sibling requests queued for the one connection; close() stops them rather
   * than let them reach the BMC after the read is over (with credentials it has just refused).
   */
  private readonly unanswered = new Set<() => void>();
  private closed = false;
  /** Requests sent, retries included. */
  requests = 0;

  constructor(options: RedfishClientOptions) {
    this.options = { ...CLIENT_DEFAULTS, tls: { verify: 'off' }, ...options };
    const match = /^\[(.+)\](?::(\d+))?$/.exec(options.address) ?? /^([^:]+)(?::(\d+))?$/.exec(options.address);
    if (!match) throw new TargetError('unreachable', `"${options.address}" is not a host or host:port`);
    this.host = match[1];
    this.port = match[2] ? Number(match[2]) : 443;
    this.agent = agentFor(this.options.tls, this.options.maxSockets);
  }

  get address(): string {
    return this.options.address;
  }

  /** Logs in when session authentication is asked for (the service root needs no credentials). */
  async login(): Promise<void> {
    if (this.options.auth !== 'session' || this.session) return;
    this.requireCredentials();
    const answer = await this.send('POST', '/redfish/v1/SessionService/Sessions', {
      UserName: this.options.username,
      Password: this.options.password,
    });
    this.refuseAuthFailure(answer, '/redfish/v1/SessionService/Sessions');
    const token = answer.headers['x-auth-token'];
    if (answer.status >= 300 || typeof token !== 'string')
      throw new TargetError('refused-credentials', `session login answered HTTP ${answer.status} without an X-Auth-Token`);
    const location = answer.headers.location;
    this.session = { token, location: typeof location === 'string' ? location : undefined };
  }

  /** GET `path` as JSON; `authenticated` false for the service root. */
  async get(path: string, authenticated = true): Promise<Record<string, unknown>> {
    if (authenticated) this.requireCredentials();
    const answer = await this.send('GET', path, undefined, authenticated);
    if (authenticated) this.refuseAuthFailure(answer, path);
    if (answer.status === 404) throw new TargetError('malformed-answer', `${path}: HTTP 404`);
    if (answer.status >= 400) throw new TargetError('bmc-error', `${path}: HTTP ${answer.status}`);
    return parseJson(answer.body, path);
  }

  /** Stops the requests not answered yet, ends the session (when there is one) and closes the connections. */
  async close(): Promise<void> {
    for (const stop of [...this.unanswered]) stop();
    if (this.session?.location) {
      const path = this.session.location.replace(/^https?:\/\/[^/]+/, '');
      await this.send('DELETE', path).catch(() => undefined);
    }
    this.session = undefined;
    this.closed = true;
    this.agent.destroy();
  }

  private requireCredentials(): void {
    if (!this.options.username || this.options.password == null)
      throw new TargetError(
        'refused-credentials',
        'no credentials: the endpoint has no user and password, and no credential reference was given',
      );
  }

  private refuseAuthFailure(answer: RedfishAnswer, path: string): void {
    if (answer.status === 401 || answer.status === 403)
      throw new TargetError('refused-credentials', `${path}: HTTP ${answer.status}: the BMC refused the credentials`);
  }

  /** One request with retries: transient failures and 5xx/429 answers are tried again after a backoff. */
  async send(method: string, path: string, body?: unknown, authenticated = true): Promise<RedfishAnswer> {
    const { retries, backoffMs } = this.options;
    for (let attempt = 0; ; attempt += 1) {
      let answer: RedfishAnswer | undefined;
      let failure: TargetError | undefined;
      try {
        answer = await this.once(method, path, body, authenticated);
      } catch (error) {
        failure = error as TargetError;
      }
      const retryable = failure ? failure.transient : answer && (answer.status >= 500 || answer.status === 429);
      if (!retryable || attempt >= retries) {
        if (failure) throw failure;
        return answer as RedfishAnswer;
      }
      await sleep(backoffMs * 2 ** attempt * (0.5 + Math.random() / 2));
    }
  }

  private headers(body: string | undefined, authenticated: boolean): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', 'odata-version': '4.0' };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    if (authenticated && this.session) headers['x-auth-token'] = this.session.token;
    else if (authenticated && this.options.username)
      headers.authorization = `Basic ${Buffer.from(`${this.options.username}:${this.options.password ?? ''}`).toString('base64')}`;
    return headers;
  }

  private once(method: string, path: string, body: unknown, authenticated: boolean): Promise<RedfishAnswer> {
    const { timeoutMs, maxResponseBytes } = this.options;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (this.closed) return Promise.reject(new TargetError('unreachable', `${this.address}${path}: the client is closed`));
    this.requests += 1;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (error: TargetError) => {
        if (settled) return;
        settled = true;
        this.unanswered.delete(stop);
        clearTimeout(timer);
        request.destroy();
        reject(error);
      };
      const stop = () => fail(new TargetError('unreachable', `${this.address}${path}: stopped, the client was closed`));
      this.unanswered.add(stop);
      const request = httpsRequest(
        { host: this.host, port: this.port, method, path, agent: this.agent, headers: this.headers(payload, authenticated) },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxResponseBytes)
              fail(new TargetError('malformed-answer', `${path}: the answer is larger than ${maxResponseBytes} bytes`));
            else chunks.push(chunk);
          });
          response.on('end', () => {
            if (settled) return;
            settled = true;
            this.unanswered.delete(stop);
            clearTimeout(timer);
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
          });
          response.on('error', (error) => fail(networkError(error, this.address)));
        },
      );
      // One deadline for the whole exchange, not only for idle sockets: a BMC that trickles is slow too.
      const timer = setTimeout(
        () => fail(new TargetError('unreachable', `${this.address}${path}: no answer within ${timeoutMs} ms`, true)),
        timeoutMs,
      );
      request.on('error', (error) => fail(networkError(error, this.address)));
      request.end(payload);
    });
  }
}

function parseJson(body: Buffer, path: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new TargetError('malformed-answer', `${path}: not JSON (${(error as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new TargetError('malformed-answer', `${path}: not a JSON object`);
  return value as Record<string, unknown>;
}
