// New devices written before their parent, which comes later in the file. cani's export keys
// devices by UUID, so about half of a site's devices come before their parent (65,004 of a
// 10,000-node site's 130,783). Each is written at once, linked: the parent key is checked when
// the import commits (src/db/deferred-keys.ts), and until its parent is written only who waits
// for it is kept, not the device (holding the devices themselves until their parent came was
// 140 of the 220 MiB an import of that site had live at its peak). Once the parent is written,
// each link is checked as a move under a new parent would be (live, no cycle); a parent that
// never comes is an error naming the first device that waited for it.
import type { DeviceRecord } from './device-records.js';

/** A device written under a parent not written yet: what its error would name. */
export interface Waiting {
  id: string;
  path: string;
  section: DeviceRecord['section'];
  parentField: string;
  parentMayBeLocation: boolean;
}

export class LaterParents {
  /** Parent id → the devices written under it, in the order read. */
  private readonly waiting = new Map<string, Waiting[]>();
  /** Parents taken to be written since the last check, and who waited for each. */
  private arrived = new Map<string, Waiting[]>();

  /** Whether devices may be written under `parent` before it (it is awaited, or not checked yet). */
  awaits(parent: string): boolean {
    return this.waiting.has(parent) || this.arrived.has(parent);
  }

  /** `child` is written under `parent`, which is not written yet. */
  expect(parent: string, child: Waiting): void {
    const children = this.waiting.get(parent);
    if (children) children.push(child);
    else this.waiting.set(parent, [child]);
  }

  /** The device `id` is taken to be written: the devices under it are checked once it is. */
  written(id: string): void {
    const children = this.waiting.get(id);
    if (!children) return;
    this.waiting.delete(id);
    this.arrived.set(id, children);
  }

  /** The links to check now that their parents are written; none is checked twice. */
  takeArrived(): Array<{ parentId: string; child: Waiting }> {
    const links = [...this.arrived].flatMap(([parentId, children]) => children.map((child) => ({ parentId, child })));
    this.arrived = new Map();
    return links;
  }

  /** Once the file is read: a parent that never came, with the first device written under it. */
  firstMissing(): { parentId: string; child: Waiting } | undefined {
    const [entry] = this.waiting;
    return entry && { parentId: entry[0], child: entry[1][0] };
  }
}
