// WireGuard bootstrap as OpenCHAMI's node helper speaks it: POST /wg-init {public_key} gives
// the node a tunnel address and the server's key; POST /phone-home/{id} (cloud-init's
// phone_home module) removes the node's peer once it has booted.
import { registerWireguardPeer, removeWireguardPeer, type TunnelNetwork } from '../../services/cloud-init/index.js';
import { json, readJson } from '../http/respond.js';
import type { RestRequest } from '../http/router.js';
import type { WireguardOptions } from './options.js';
import { requestingNode } from './requesting-node.js';
import { errorJson, NoCloudError } from './respond.js';

export const DEFAULT_WIREGUARD_PORT = 51820;

/**
 * A switched-off feature is not a fault of the service (a 503 tells clients to retry and
 * monitors to page): the route is absent, and its 404 says which settings turn it on.
 */
export const WIREGUARD_OFF =
  'WireGuard bootstrap is off: set --wireguard-cidr (WIREGUARD_CIDR), --wireguard-server-key and --wireguard-endpoint to turn it on';

/** The port of "host:port" or "[v6]:port"; the WireGuard default otherwise. */
function portOf(endpoint: string | undefined): number {
  const port = Number(/:(\d+)$/.exec(endpoint ?? '')?.[1]);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : DEFAULT_WIREGUARD_PORT;
}

/** `network` is the tunnel block of `options` (both absent when WireGuard is not configured). */
export function wireguardHandlers(options: WireguardOptions | undefined, network: TunnelNetwork | undefined) {
  const serverPort = portOf(options?.endpoint);

  return {
    async init(req: RestRequest): Promise<Response> {
      if (!options || !network) return errorJson(404, WIREGUARD_OFF);
      const body = await readJson(req.request);
      const publicKey = (body as { public_key?: unknown } | null)?.public_key;
      if (publicKey === undefined) throw new NoCloudError(400, 'public_key is required');
      const found = await requestingNode(req);
      if (!('node' in found)) return errorJson(404, found.unknown);
      const { peer, created } = await registerWireguardPeer(
        req.ctx.service,
        { xname: found.node.xname, publicKey, clientIp: found.node.bootIp },
        network,
      );
      return json(
        {
          message: created
            ? `WireGuard peer registered for ${found.node.xname}`
            : `WireGuard peer of ${found.node.xname} updated; it keeps its tunnel address`,
          'client-vpn-ip': peer.tunnelIp,
          'server-public-key': options.serverPublicKey,
          'server-ip': network.serverIp,
          'server-port': serverPort,
        },
        201,
      );
    },

    /**
     * A known node without a peer gets 200 too: phone_home retries every failure ten times,
     * 3 s apart, at the end of the node's boot.
     */
    async phoneHome(req: RestRequest): Promise<Response> {
      const found = await requestingNode(req);
      if (!('node' in found)) return errorJson(404, found.unknown);
      const { xname } = found.node;
      const form = new URLSearchParams(await req.request.text());
      req.ctx.logger.info(
        { xname, id: req.params.id, instanceId: form.get('instance_id'), hostname: form.get('hostname'), fqdn: form.get('fqdn') },
        'node phoned home',
      );
      const removed = await removeWireguardPeer(req.ctx.service, xname);
      return json({ message: removed ? `WireGuard peer of ${xname} removed` : `${xname} has no WireGuard peer` });
    },
  };
}
