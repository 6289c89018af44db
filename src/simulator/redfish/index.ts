// A fleet of simulated Redfish BMCs for tests, the demo and the discovery bench: one HTTPS
// listener per BMC address (127.0.10.1 upward: all of 127.0.0.0/8 is loopback on Linux), one
// self-signed certificate, the hardware of the synthetic cluster in a vendor's shape, and
// faults on request. Nothing in the services, schema or REST faces imports this.
import { createServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { DEFAULT_SEED } from '../../fixtures/synthetic-cluster.js';
import { listenAddresses } from './addresses.js';
import { makeCertificate } from './certificate.js';
import { DEFAULT_LISTEN, DEFAULT_PASSWORD, DEFAULT_USER, MAX_BMCS } from './defaults.js';
import { type BmcFault, checkFault } from './faults.js';
import { type BmcState, handleRequest } from './handler.js';
import { clusterHardware, swapDimm } from './hardware.js';
import { BMC_VENDORS, type BmcVendor, VENDOR_SHAPES } from './vendors.js';

export { DEFAULT_LISTEN, DEFAULT_PASSWORD, DEFAULT_USER, MAX_BMCS } from './defaults.js';
export { type BmcFault, FAULT_KINDS, parseFault } from './faults.js';
export { BMC_VENDORS, type BmcVendor } from './vendors.js';

export interface SimulatedBmc {
  xname: string;
  /** "127.0.10.7", or "127.0.10.7:8443" when the port is not 443. */
  address: string;
  host: string;
  port: number;
  user: string;
  password: string;
  vendor: BmcVendor;
  /** The nodes this BMC serves as Systems (two for an HPE Cray EX nC, one for an iDRAC). */
  nodeXnames: string[];
}

export interface BmcSimulator {
  bmcs: SimulatedBmc[];
  certificatePem: string;
  /** As Node's `getPeerCertificate().fingerprint256` writes it: "AB:CD:…". */
  fingerprint256: string;
  setFault(xname: string, fault: BmcFault | null): void;
  /** A new serial (and part number) for one DIMM of a node (a node xname, or a BMC xname for its first node). */
  replaceDimm(xname: string, dimmIndex?: number): { old: string; new: string };
  /** Requests answered (or refused) by all BMCs since the start. */
  requestCount(): number;
  close(): Promise<void>;
  /** Settles once the simulator has closed, by close() or by stopAfterMs. */
  closed: Promise<void>;
}

export interface BmcSimulatorOptions {
  count: number;
  /** The first IPv4 address; default 127.0.10.1. */
  listen?: string;
  /** Default 443; 0 picks one free port usable on every address. */
  port?: number;
  user?: string;
  password?: string;
  /** Assigned round robin; default hpe-cray only. */
  vendors?: BmcVendor[];
  /** Faults at start, by BMC xname. */
  faults?: Record<string, BmcFault>;
  /** Closes by itself after this long. */
  stopAfterMs?: number;
  /** The synthetic cluster's seed; the demo cluster's by default. */
  seed?: number;
}

const PORT_ATTEMPTS = 20;

function check(options: BmcSimulatorOptions) {
  const { count, port = 443, vendors = ['hpe-cray'], stopAfterMs, seed = DEFAULT_SEED } = options;
  if (!Number.isInteger(count) || count < 1 || count > MAX_BMCS)
    throw new RangeError(`count must be an integer from 1 to ${MAX_BMCS} (got ${count})`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be an integer from 0 to 65535 (got ${port})`);
  if (!vendors.length) throw new RangeError('vendors must name at least one vendor');
  for (const vendor of vendors) {
    if (!BMC_VENDORS.includes(vendor)) throw new RangeError(`unknown vendor "${vendor}" (one of ${BMC_VENDORS.join(', ')})`);
  }
  if (stopAfterMs !== undefined && !(Number.isFinite(stopAfterMs) && stopAfterMs > 0 && stopAfterMs <= 2 ** 31 - 1)) {
    throw new RangeError(`stopAfterMs must be a positive number of milliseconds up to ${2 ** 31 - 1} (got ${stopAfterMs})`);
  }
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer (got ${seed})`);
  if ((options.user ?? DEFAULT_USER).includes(':')) throw new RangeError('user must not contain ":" (basic authentication splits on it)');
}

function listen(server: NetServer, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      resolve((server.address() as { port: number }).port);
    });
  });
}

const closeListener = (server: NetServer) =>
  new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });

export async function startBmcSimulator(options: BmcSimulatorOptions): Promise<BmcSimulator> {
  check(options);
  const { count, port = 443, user = DEFAULT_USER, password = DEFAULT_PASSWORD, vendors = ['hpe-cray'], seed = DEFAULT_SEED } = options;
  const hosts = listenAddresses(options.listen ?? DEFAULT_LISTEN, count);
  const hardware = clusterHardware(count, seed);
  const states: BmcState[] = hardware.map((hw, i) => ({
    xname: hw.xname,
    host: hosts[i] as string,
    user,
    password,
    hardware: hw,
    shape: VENDOR_SHAPES[vendors[i % vendors.length] as BmcVendor],
    fault: null,
    sessions: new Map(),
    nextSession: 0,
    bodies: null,
  }));
  const byXname = new Map(states.map((s) => [s.xname, s]));
  const stateOf = (xname: string) => {
    const state = byXname.get(xname);
    if (!state) throw new RangeError(`no simulated BMC ${xname}`);
    return state;
  };
  for (const [xname, fault] of Object.entries(options.faults ?? {})) stateOf(xname).fault = checkFault(fault);

  const { certificatePem, privateKeyPem, fingerprint256 } = await makeCertificate(hosts);
  let requests = 0;
  let closing = false;
  const sleepers = new Set<() => void>();
  const context = {
    count: () => void (requests += 1),
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          sleepers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, ms);
        sleepers.add(wake);
      }),
  };
  // One HTTPS server (one TLS context: building a context per address costs milliseconds each)
  // takes the connections of one plain listener per address; the address a connection came in
  // on names the BMC that answers it.
  const stateByHost = new Map(states.map((state) => [state.host, state]));
  const https = createServer({ key: privateKeyPem, cert: certificatePem, keepAliveTimeout: 30_000 }, (req, res) => {
    const state = stateByHost.get(req.socket.localAddress ?? '');
    if (!state) return void res.destroy();
    handleRequest(state, context, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  // A TLS client that gives up (a pinned fingerprint that does not match) must not take the process down.
  https.on('tlsClientError', (_error: Error, socket: Socket) => socket.destroy());
  const sockets = new Set<Socket>();
  const listeners = states.map(() =>
    createNetServer((socket) => {
      if (closing) return void socket.destroy();
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      // A client that resets the connection is its own problem, never the simulator's.
      socket.on('error', () => socket.destroy());
      https.emit('connection', socket);
    }),
  );

  let chosenPort = port;
  for (let attempt = 1; ; attempt += 1) {
    try {
      chosenPort = await listen(listeners[0] as NetServer, hosts[0] as string, port);
      for (let i = 1; i < listeners.length; i += 1) await listen(listeners[i] as NetServer, hosts[i] as string, chosenPort);
      break;
    } catch (error) {
      await Promise.all(listeners.map(closeListener));
      const code = (error as NodeJS.ErrnoException).code;
      // Port 0: the port the first address got may be taken on another; try a fresh one.
      if (port === 0 && code === 'EADDRINUSE' && attempt < PORT_ATTEMPTS) continue;
      const where = `${hosts[0]}…${hosts[hosts.length - 1]} port ${port || chosenPort}`;
      const hint =
        code === 'EADDRNOTAVAIL'
          ? ' (the address is not on this machine: use one in 127.0.0.0/8)'
          : code === 'EACCES'
            ? ' (a port below 1024 needs root or CAP_NET_BIND_SERVICE)'
            : '';
      throw Object.assign(new Error(`cannot listen on ${where}: ${(error as Error).message}${hint}`), { code });
    }
  }

  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let stopTimer: NodeJS.Timeout | undefined;
  const close = async () => {
    if (!closing) {
      closing = true;
      clearTimeout(stopTimer);
      for (const wake of [...sleepers]) wake();
      const stopped = Promise.all(listeners.map(closeListener));
      https.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await stopped;
      resolveClosed();
    }
    return closed;
  };
  if (options.stopAfterMs !== undefined) stopTimer = setTimeout(() => void close(), options.stopAfterMs);

  const bmcs: SimulatedBmc[] = states.map((state, i) => ({
    xname: state.xname,
    address: chosenPort === 443 ? state.host : `${state.host}:${chosenPort}`,
    host: state.host,
    port: chosenPort,
    user,
    password,
    vendor: vendors[i % vendors.length] as BmcVendor,
    nodeXnames: state.shape.nodes(state.hardware).map((node) => node.xname),
  }));
  const swaps = new Map<string, number>();

  return {
    bmcs,
    certificatePem,
    fingerprint256,
    closed,
    close,
    requestCount: () => requests,
    setFault(xname, fault) {
      stateOf(xname).fault = fault === null ? null : checkFault(fault);
    },
    replaceDimm(xname, dimmIndex = 0) {
      const bmcX = xname.replace(/n\d+$/, '');
      const state = stateOf(bmcX);
      const served = state.shape.nodes(state.hardware);
      const node = bmcX === xname ? served[0] : served.find((n) => n.xname === xname);
      if (!node) throw new RangeError(`BMC ${bmcX} serves no node ${xname}`);
      if (!Number.isInteger(dimmIndex)) throw new RangeError(`dimmIndex must be an integer (got ${dimmIndex})`);
      const key = `${node.xname}/${dimmIndex}`;
      const n = (swaps.get(key) ?? 0) + 1;
      const swapped = swapDimm(node, dimmIndex, n);
      swaps.set(key, n);
      state.bodies = null;
      return swapped;
    },
  };
}
