// How the NoCloud family is configured (from src/server/config.ts).
import type { DocumentOptions } from '../../domain/nocloud-metadata.js';

export interface WireguardOptions {
  /** Tunnel addresses handed out by POST /wg-init, e.g. 10.89.0.0/16. */
  cidr: string;
  /** The server's public key, returned to nodes. */
  serverPublicKey: string;
  /** host:port where nodes reach the WireGuard server. */
  endpoint: string;
}

export interface NoCloudOptions {
  /** Second mount point besides the root, e.g. "/cloud-init". */
  basePath: string;
  /** WireGuard bootstrap; absent when not configured (/wg-init then answers 404 saying how to turn it on). */
  wireguard?: WireguardOptions;
  /** Where the node documents may differ from metadata-service's; its documents when absent. */
  documents?: Partial<DocumentOptions>;
}
