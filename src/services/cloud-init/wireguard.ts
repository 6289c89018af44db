// WireGuard peers of nodes: registered by the node itself (POST /wg-init, a tunnel address
// handed out from the configured block) or by an administrator, and removed at phone-home.
// The gateway only stores peers; applying them to the server's interface is `wg set`'s job.
import { isIPv4 } from 'node:net';
import type { Db, Prisma, Tx } from '../../db/client.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { blockContains, hostRange, type Ipv4Block, numberToIpv4, parseIpv4Cidr } from '../../domain/ipv4.js';
import { requireXname } from '../../domain/smd-names.js';
import type { ServiceContext } from '../core/context.js';
import { findLiveByXname } from '../core/lookup.js';
import { write } from '../core/transaction.js';
import { checkMode, type SetMode } from './cloud-init.js';

export type WireguardPeerRow = Prisma.WireguardPeerGetPayload<object>;

/** The tunnel network: the block addresses come from and the server's own address in it. */
export interface TunnelNetwork {
  cidr: string;
  block: Ipv4Block;
  serverIp: string;
}

const ENTITY = 'WireguardPeer';
/** Two gateway processes may hand out the same free address at once; the loser tries again. */
const ALLOCATION_ATTEMPTS = 5;

/**
 * Registrations through one gateway run one at a time, so concurrent ones never pick the
 * same free address (PostgreSQL's READ COMMITTED would let them); the unique tunnelIp index
 * and a retry cover other processes.
 */
const registrationQueues = new WeakMap<Db, Promise<unknown>>();

function oneAtATime<T>(db: Db, work: () => Promise<T>): Promise<T> {
  const result = (registrationQueues.get(db) ?? Promise.resolve()).then(work);
  registrationQueues.set(
    db,
    result.catch(() => undefined),
  );
  return result;
}

/**
 * "10.89.0.1/16": the server is 10.89.0.1. "10.89.0.0/16" (no host part): the server takes the
 * first host. Throws naming the text when it is not an IPv4 CIDR with room for a peer.
 */
export function tunnelNetwork(cidr: string): TunnelNetwork {
  const block = parseIpv4Cidr(cidr);
  const { first, last } = hostRange(block);
  const server = block.address >= first && block.address <= last ? block.address : first;
  if (last - first < 1) throw new Error(`"${cidr}" has no room for peers besides the server`);
  return { cidr, block, serverIp: numberToIpv4(server) };
}

/** A WireGuard public key: base64 of 32 bytes. */
export function requirePublicKey(value: unknown, field = 'publicKey'): string {
  const key = typeof value === 'string' ? value.trim() : '';
  if (!/^[A-Za-z0-9+/]{43}=$/.test(key) || Buffer.from(key, 'base64').length !== 32) {
    throw new ValidationError(field, 'must be a WireGuard public key (base64 of 32 bytes, 44 characters)');
  }
  return key;
}

/** A tunnel address given as "a.b.c.d" or "a.b.c.d/32", inside the tunnel block when one is configured. */
function requireTunnelIp(value: unknown, network: TunnelNetwork | undefined, field: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  const address = text.endsWith('/32') ? text.slice(0, -3) : text;
  if (!isIPv4(address)) {
    throw new ValidationError(field, `must be an IPv4 address or a /32 (got ${JSON.stringify(value)})`);
  }
  if (network && (!blockContains(network.block, address) || address === network.serverIp)) {
    throw new ValidationError(field, `must be a peer address in ${network.cidr} other than the server's ${network.serverIp}`);
  }
  return address;
}

/** Refuses a public key another node registered. */
async function refuseKeyOfOtherNode(tx: Tx, publicKey: string, componentId: string, field: string) {
  const holder = await tx.wireguardPeer.findUnique({ where: { publicKey }, include: { component: { select: { xname: true } } } });
  if (holder && holder.componentId !== componentId)
    throw new ConflictError(field, `this public key is already registered by ${holder.component.xname}`);
}

async function firstFreeAddress(tx: Tx, network: TunnelNetwork): Promise<string> {
  const used = new Set((await tx.wireguardPeer.findMany({ select: { tunnelIp: true } })).map((p) => p.tunnelIp));
  used.add(network.serverIp);
  const { first, last } = hostRange(network.block);
  for (let n = first; n <= last; n += 1) {
    const candidate = numberToIpv4(n);
    if (!used.has(candidate)) return candidate;
  }
  throw new ConflictError('cidr', `no free tunnel address left in ${network.cidr}`);
}

export interface Registration {
  peer: WireguardPeerRow;
  /** False when the node already had a peer (it keeps its tunnel address). */
  created: boolean;
}

/**
 * A node registers its key from its boot address: it keeps the tunnel address it already has
 * (a diskless node brings a new key every boot), or gets the lowest free one. A key another
 * node registered is a conflict.
 */
export async function registerWireguardPeer(
  ctx: ServiceContext,
  input: { xname: string; publicKey: unknown; clientIp: string },
  network: TunnelNetwork,
): Promise<Registration> {
  const publicKey = requirePublicKey(input.publicKey, 'public_key');
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await oneAtATime(ctx.db, () =>
        write(ctx, async (tx) => {
          const component = await findLiveByXname(tx, 'component', input.xname);
          await refuseKeyOfOtherNode(tx, publicKey, component.id, 'public_key');
          const before = await tx.wireguardPeer.findUnique({ where: { componentId: component.id } });
          const peer = before
            ? await tx.wireguardPeer.update({ where: { id: before.id }, data: { publicKey, clientIp: input.clientIp } })
            : await tx.wireguardPeer.create({
                data: { componentId: component.id, publicKey, clientIp: input.clientIp, tunnelIp: await firstFreeAddress(tx, network) },
              });
          return {
            result: { peer, created: !before },
            changes: [{ entityType: ENTITY, entityId: peer.id, action: before ? 'updated' : 'created', before, after: peer }],
          };
        }),
      );
    } catch (error) {
      const lostRace = error instanceof ConflictError && error.field === 'tunnelIp';
      if (!lostRace || attempt >= ALLOCATION_ATTEMPTS) throw error;
    }
  }
}

export interface WireguardPeerInput {
  publicKey?: unknown;
  /** The tunnel address, "a.b.c.d" or "a.b.c.d/32" (the resource's allowed_ip). */
  allowedIp?: unknown;
}

/** An administrator sets a node's peer (the wireguardpeers resource). */
export async function setWireguardPeer(
  ctx: ServiceContext,
  xname: string,
  input: WireguardPeerInput,
  mode: SetMode,
  network?: TunnelNetwork,
): Promise<WireguardPeerRow> {
  const key = requireXname(xname, 'xname').xname;
  const publicKey = requirePublicKey(input.publicKey);
  const tunnelIp = requireTunnelIp(input.allowedIp, network, 'allowedIp');
  return write(ctx, async (tx) => {
    const component = await findLiveByXname(tx, 'component', key);
    await refuseKeyOfOtherNode(tx, publicKey, component.id, 'publicKey');
    const holder = await tx.wireguardPeer.findUnique({ where: { tunnelIp }, include: { component: { select: { xname: true } } } });
    if (holder && holder.componentId !== component.id)
      throw new ConflictError('allowedIp', `${tunnelIp} is the tunnel address of ${holder.component.xname}`);
    const before = await tx.wireguardPeer.findUnique({ where: { componentId: component.id } });
    checkMode(mode, before !== null, ENTITY, key, 'xname');
    const peer = before
      ? await tx.wireguardPeer.update({ where: { id: before.id }, data: { publicKey, tunnelIp } })
      : await tx.wireguardPeer.create({ data: { componentId: component.id, publicKey, tunnelIp, clientIp: '' } });
    return {
      result: peer,
      changes: [{ entityType: ENTITY, entityId: peer.id, action: before ? 'updated' : 'created', before, after: peer }],
    };
  });
}

/** Removes a node's peer; null when it has none (the node phoned home twice, or never registered). */
export async function removeWireguardPeer(ctx: ServiceContext, xname: string): Promise<WireguardPeerRow | null> {
  return write(ctx, async (tx) => {
    const component = await findLiveByXname(tx, 'component', xname);
    const before = await tx.wireguardPeer.findUnique({ where: { componentId: component.id } });
    if (!before) return { result: null, changes: [] };
    await tx.wireguardPeer.delete({ where: { id: before.id } });
    return { result: before, changes: [{ entityType: ENTITY, entityId: before.id, action: 'deleted', before }] };
  });
}

/** Removes a node's peer; NotFound when it has none (the wireguardpeers resource). */
export async function deleteWireguardPeer(ctx: ServiceContext, xname: string): Promise<WireguardPeerRow> {
  const key = requireXname(xname, 'xname').xname;
  const removed = await removeWireguardPeer(ctx, key);
  if (!removed) throw new NotFoundError(ENTITY, key, 'xname');
  return removed;
}
