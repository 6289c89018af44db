// The request handler every simulated BMC shares: Redfish session and basic authentication,
// the resource tree, and the faults a BMC is told to show. One BmcState per BMC.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BmcFault } from './faults.js';
import type { BmcHw } from './hardware.js';
import { buildTree, ROOT, type Tree } from './tree.js';
import type { VendorShape } from './vendors.js';

export interface BmcState {
  xname: string;
  host: string;
  user: string;
  password: string;
  hardware: BmcHw;
  shape: VendorShape;
  fault: BmcFault | null;
  /** X-Auth-Token → session id; oldest first (evicted past MAX_SESSIONS). */
  sessions: Map<string, string>;
  nextSession: number;
  /** Path → serialized body, built on the first request and dropped when the hardware changes. */
  bodies: Map<string, string> | null;
}

export interface HandlerContext {
  count(): void;
  /** Waits `ms`, or less if the simulator closes first. */
  sleep(ms: number): Promise<void>;
}

const SESSIONS = `${ROOT}/SessionService/Sessions`;
/** Real BMCs keep a handful of sessions; past this the oldest is dropped so a crawler that never logs out still works. */
const MAX_SESSIONS = 64;
const MAX_BODY = 16 * 1024;
const PUBLIC = new Set(['/redfish', ROOT]);

const SWITCH_PAGE = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Switch Management - Login</title></head>
<body><form method="post" action="/login"><h1>6300M Switch</h1>
<label>Username <input name="username"></label><label>Password <input type="password" name="password"></label>
<button>Log in</button></form></body></html>
`;

function bodiesOf(state: BmcState): Map<string, string> {
  if (!state.bodies) {
    const tree: Tree = buildTree(state.hardware, state.shape, state.host);
    state.bodies = new Map([...tree].map(([path, body]) => [path, JSON.stringify(body)]));
  }
  return state.bodies;
}

function redfishError(status: number, messageId: string, message: string): string {
  return JSON.stringify({
    error: {
      code: status === 500 ? 'Base.1.8.InternalError' : 'Base.1.8.GeneralError',
      message: 'A general error has occurred. See ExtendedInfo for more information.',
      '@Message.ExtendedInfo': [
        { '@odata.type': '#Message.v1_1_1.Message', MessageId: `Base.1.8.${messageId}`, Message: message, Severity: 'Critical' },
      ],
    },
  });
}

function send(res: ServerResponse, state: BmcState, status: number, body: string, headers: Record<string, string> = {}) {
  let text = body;
  // A malformed answer still claims to be JSON: cut it short mid-document, as a BMC whose web
  // server drops the end of a response does.
  if (state.fault?.kind === 'malformed-json' && text) text = `${text.slice(0, Math.max(1, Math.floor(text.length / 2)))},"`;
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'OData-Version': '4.0',
    'Cache-Control': 'no-cache',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

function normalize(url: string): string {
  const raw = url.split(/[?#]/)[0] ?? '/';
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    path = raw;
  }
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

function authorized(state: BmcState, req: IncomingMessage): boolean {
  if (state.fault?.kind === 'bad-credentials') return false;
  const token = req.headers['x-auth-token'];
  if (typeof token === 'string' && state.sessions.has(token)) return true;
  const header = req.headers.authorization;
  if (header?.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 && decoded.slice(0, colon) === state.user && decoded.slice(colon + 1) === state.password;
  }
  return false;
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sessionBody(id: string, user: string): string {
  return JSON.stringify({
    '@odata.id': `${SESSIONS}/${id}`,
    '@odata.type': '#Session.v1_3_0.Session',
    Id: id,
    Name: `User Session ${id}`,
    UserName: user,
  });
}

async function createSession(state: BmcState, req: IncomingMessage, res: ServerResponse) {
  const text = await readBody(req);
  let credentials: { UserName?: unknown; Password?: unknown } | null = null;
  try {
    credentials = text ? JSON.parse(text) : null;
  } catch {
    credentials = null;
  }
  if (!credentials || typeof credentials.UserName !== 'string' || typeof credentials.Password !== 'string') {
    return send(
      res,
      state,
      400,
      redfishError(400, 'PropertyMissing', 'The request body must be a JSON object with UserName and Password.'),
    );
  }
  if (state.fault?.kind === 'bad-credentials' || credentials.UserName !== state.user || credentials.Password !== state.password) {
    return send(res, state, 401, redfishError(401, 'NoValidSession', 'The user name or password is not valid.'));
  }
  const id = String(++state.nextSession);
  const token = randomBytes(24).toString('hex');
  state.sessions.set(token, id);
  if (state.sessions.size > MAX_SESSIONS) state.sessions.delete(state.sessions.keys().next().value as string);
  send(res, state, 201, sessionBody(id, state.user), { Location: `${SESSIONS}/${id}`, 'X-Auth-Token': token });
}

function sessionsRoute(state: BmcState, method: string, path: string, res: ServerResponse) {
  const ids = [...state.sessions.values()];
  if (path === SESSIONS) {
    const members = ids.map((id) => ({ '@odata.id': `${SESSIONS}/${id}` }));
    const body = {
      '@odata.id': SESSIONS,
      '@odata.type': '#SessionCollection.SessionCollection',
      Name: 'Session Collection',
      Members: members,
    };
    return send(res, state, 200, JSON.stringify({ ...body, 'Members@odata.count': members.length }));
  }
  const id = path.slice(SESSIONS.length + 1);
  const token = [...state.sessions].find(([, sid]) => sid === id)?.[0];
  if (token === undefined) return send(res, state, 404, redfishError(404, 'ResourceNotFound', `The session ${id} was not found.`));
  if (method === 'DELETE') {
    state.sessions.delete(token);
    res.writeHead(204, { 'OData-Version': '4.0' });
    res.end();
    return;
  }
  send(res, state, 200, sessionBody(id, state.user));
}

const POWERED_OFF = new Set(['Off', 'ForceOff', 'GracefulShutdown']);

/** POST …/Actions/ComputerSystem.Reset sets the node's power state; Manager.Reset is accepted and changes nothing. */
async function resetAction(state: BmcState, path: string, req: IncomingMessage, res: ServerResponse) {
  const { shape } = state;
  const nodes = shape.nodes(state.hardware);
  const index = nodes.findIndex((_, i) => path === `${ROOT}/Systems/${shape.systemId(i)}/Actions/ComputerSystem.Reset`);
  const managerReset = path === `${ROOT}/Managers/${shape.managerId}/Actions/Manager.Reset`;
  if (index < 0 && !managerReset) return send(res, state, 404, redfishError(404, 'ResourceNotFound', `The action ${path} was not found.`));
  let resetType: unknown;
  try {
    resetType = JSON.parse((await readBody(req)) ?? 'null')?.ResetType;
  } catch {
    resetType = undefined;
  }
  const allowed = managerReset ? ['ForceRestart', 'GracefulRestart'] : shape.resetTypes;
  if (typeof resetType !== 'string' || !allowed.includes(resetType)) {
    const message = `ResetType must be one of ${allowed.join(', ')} (got ${JSON.stringify(resetType ?? null)}).`;
    return send(res, state, 400, redfishError(400, 'ActionParameterNotSupported', message));
  }
  const node = nodes[index];
  if (node) {
    node.powerState = POWERED_OFF.has(resetType) ? 'Off' : 'On';
    state.bodies = null;
  }
  res.writeHead(204, { 'OData-Version': '4.0' });
  res.end();
}

export async function handleRequest(state: BmcState, context: HandlerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  context.count();
  if (state.fault?.kind === 'slow') await context.sleep(state.fault.delayMs);
  if (res.destroyed) return;
  const fault = state.fault;
  if (fault?.kind === 'server-error')
    return send(res, state, 500, redfishError(500, 'InternalError', 'The request failed due to an internal service error.'));
  if (fault?.kind === 'not-redfish') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', Server: 'nginx' });
    return void res.end(req.method === 'HEAD' ? undefined : SWITCH_PAGE);
  }
  const method = req.method ?? 'GET';
  const path = normalize(req.url ?? '/');
  if (method === 'POST' && path === SESSIONS) return createSession(state, req, res);
  const bodies = bodiesOf(state);
  const readable = method === 'GET' || method === 'HEAD';
  if (readable && PUBLIC.has(path)) return send(res, state, 200, bodies.get(path) as string);
  // As real BMCs do, a client without credentials learns nothing, not even which paths exist.
  if (!authorized(state, req)) {
    return send(res, state, 401, redfishError(401, 'NoValidSession', 'There is no valid session established with the implementation.'), {
      'WWW-Authenticate': 'Basic realm="RedfishService"',
    });
  }
  if (method === 'POST' && path.includes('/Actions/')) return resetAction(state, path, req, res);
  const isSession = path === SESSIONS || path.startsWith(`${SESSIONS}/`);
  if (!bodies.has(path) && !isSession)
    return send(res, state, 404, redfishError(404, 'ResourceNotFound', `The resource ${path} was not found.`));
  if (isSession && (readable || (method === 'DELETE' && path !== SESSIONS))) return sessionsRoute(state, method, path, res);
  if (!readable) {
    const allow = isSession ? (path === SESSIONS ? 'GET, HEAD, POST' : 'GET, HEAD, DELETE') : 'GET, HEAD';
    return send(res, state, 405, redfishError(405, 'OperationNotAllowed', `${method} is not allowed on ${path}.`), { Allow: allow });
  }
  send(res, state, 200, bodies.get(path) as string);
}
