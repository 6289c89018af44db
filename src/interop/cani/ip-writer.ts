// An IP address of cani's IPAM map on the interfaces it lists: each interface gets the address
// (with the SMD network name when the record gives one) through the interface service. The
// interface's other addresses stay: the file adds, it does not take away.
import type { Change, Tx } from '../../services/core/index.js';
import { updateInterfaceIn } from '../../services/inventory/index.js';
import { forRecord, missingTarget } from './errors.js';
import type { IpAddressRecord } from './records.js';
import { MISSING, type Targets } from './targets.js';

export class IpAddressWriter {
  constructor(
    private readonly tx: Tx,
    private readonly targets: Targets,
  ) {}

  /** The record's changes; false while one of its interfaces is not there yet (then, once the file is read, an error). */
  async apply(r: IpAddressRecord, final = false): Promise<Change[] | false> {
    for (const [i, id] of r.interfaces.entries()) {
      if (this.targets.lookup(id, ['interface'], r.path, `interfaces.${i}`) !== MISSING) continue;
      if (final) throw missingTarget(r.path, `interfaces.${i}`, id, 'interface');
      return false;
    }
    const changes: Change[] = [];
    for (const interfaceId of r.interfaces) {
      const current = await this.tx.ipAddress.findMany({
        where: { interfaceId },
        select: { address: true, network: true },
        orderBy: { address: 'asc' },
      });
      const held = current.find((a) => a.address === r.address);
      const network = r.network ?? held?.network ?? null;
      if (held && held.network === network) continue;
      const addresses = [...current.filter((a) => a.address !== r.address), { address: r.address, network }];
      const names = { address: 'host', network: 'providerMetadata.csm.network' };
      changes.push(
        ...(await forRecord(
          r.path,
          names,
          async () => (await updateInterfaceIn(this.tx, interfaceId, { ipAddresses: addresses })).changes,
        )),
      );
    }
    return changes;
  }
}
