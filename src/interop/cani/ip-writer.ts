// IP addresses of cani's IPAM map on the interfaces they list: each interface gets the address
// (with the SMD network name when the record gives one) through the interface service. The
// interface's other addresses stay: the file adds, it does not take away. A batch of records
// costs a few queries: the interfaces' addresses read in one, the interfaces that gain
// something written in one bulk update.
import type { Change, Tx } from '../../services/core/index.js';
import { updateInterfacesIn } from '../../services/inventory/index.js';
import { missingTarget, renamedFor } from './errors.js';
import type { IpAddressRecord } from './records.js';
import { MISSING, type Targets } from './targets.js';

type Address = { address: string; network: string | null };

const NAMES = { address: 'host', network: 'providerMetadata.csm.network' };

export class IpAddressWriter {
  constructor(
    private readonly tx: Tx,
    private readonly targets: Targets,
  ) {}

  /**
   * Whether the record's interfaces are all there (their targets loaded); once the file is
   * read (`final`), one that is not is an error.
   */
  ready(r: IpAddressRecord, final = false): boolean {
    for (const [i, id] of r.interfaces.entries()) {
      if (this.targets.lookup(id, ['interface'], r.path, `interfaces.${i}`) !== MISSING) continue;
      if (final) throw missingTarget(r.path, `interfaces.${i}`, id, 'interface');
      return false;
    }
    return true;
  }

  /**
   * Writes ready records; answers each record's changes, in order. An interface several
   * records give addresses to is written once, its change filed with the last of them.
   */
  async applyAll(records: IpAddressRecord[]): Promise<Change[][]> {
    const ids = [...new Set(records.flatMap((r) => r.interfaces))];
    const current = new Map<string, Address[]>();
    if (ids.length) {
      const held = await this.tx.ipAddress.findMany({
        where: { interfaceId: { in: ids } },
        select: { interfaceId: true, address: true, network: true },
        orderBy: { address: 'asc' },
      });
      for (const { interfaceId, address, network } of held)
        current.set(interfaceId, [...(current.get(interfaceId) ?? []), { address, network }]);
    }
    // The sets the records leave, and the last record that changed each.
    const lastBy = new Map<string, number>();
    for (const [at, r] of records.entries()) {
      for (const interfaceId of r.interfaces) {
        const addresses = current.get(interfaceId) ?? [];
        const held = addresses.find((a) => a.address === r.address);
        const network = r.network ?? held?.network ?? null;
        if (held && held.network === network) continue;
        current.set(interfaceId, [...addresses.filter((a) => a.address !== r.address), { address: r.address, network }]);
        lastBy.set(interfaceId, at);
      }
    }
    const changed = [...lastBy.entries()];
    const { changes } = await updateInterfacesIn(
      this.tx,
      changed.map(([id]) => ({ id, input: { ipAddresses: current.get(id) as Address[] } })),
      { itemError: (i, error) => renamedFor(error, records[changed[i][1]].path, NAMES) },
    );
    const byRecord: Change[][] = records.map(() => []);
    for (const [i, [, at]] of changed.entries()) byRecord[at].push(changes[i]);
    return byRecord;
  }
}
