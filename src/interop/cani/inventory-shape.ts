// Whether the document is a cani inventory at all, and of which version — decided as its
// top-level members stream past. A document with none of an inventory's members (a cani plan
// file, a config converted to JSON, any other JSON object) is refused once it has been read,
// before anything it held is kept: nothing of it was an inventory record.
import { ValidationError } from '../../domain/errors.js';
import type { DocumentItem } from './document.js';
import {
  HEADERS,
  LEGACY_SCHEMA_VERSION,
  LEGACY_SECTION,
  type RecordSection,
  SCHEMA_VERSIONS,
  SECTIONS,
  SKIPPED_SECTIONS,
} from './vocabulary.js';

const SECTION_NAMES = new Set<string>([...SECTIONS, LEGACY_SECTION]);
const INVENTORY_MEMBERS = new Set<string>([...SECTION_NAMES, ...SKIPPED_SECTIONS, ...HEADERS]);
const VERSIONS = [LEGACY_SCHEMA_VERSION, ...SCHEMA_VERSIONS];
/** Other files cani reads or writes, by a member only they have. */
const NOT_INVENTORIES: Record<string, string> = {
  assignments: 'a cani orphan-assignment plan (its "assignments" say where orphans go)',
  Networks: 'an SLS dump (cani imports it through its CSM provider)',
  Components: 'an SMD dump (import it as format smd)',
  canu_version: 'a CANU paddle file',
};

export class InventoryShape {
  private version: string | null = null;
  private inventory = false;
  private legacyRecords = false;
  private currentSections = false;
  private readonly others: string[] = [];

  /** A top-level member that is not a record map. */
  member(item: Extract<DocumentItem, { kind: 'header' | 'skipped' }>): void {
    if (INVENTORY_MEMBERS.has(item.key)) this.inventory = true;
    else if (this.others.length < 5) this.others.push(item.key);
    if (SECTION_NAMES.has(item.key) && item.kind === 'header' && item.value !== null) {
      throw new ValidationError(item.key, 'must be an object of records keyed by UUID');
    }
    if (item.key !== 'schemaVersion' && item.key !== 'SchemaVersion') return;
    const version = item.kind === 'header' ? item.value : undefined;
    // cani reads the lowercase member first; the capitalised one only stands in for a missing one.
    if (item.key === 'SchemaVersion' && this.version !== null) return;
    if (version === '' && item.key === 'schemaVersion') return;
    if (typeof version !== 'string' || !VERSIONS.includes(version)) {
      throw new ValidationError(
        item.key,
        `${JSON.stringify(typeof version === 'string' ? version.slice(0, 40) : (version ?? null))} is not a version this gateway reads (${VERSIONS.join(', ')})`,
      );
    }
    this.version = version;
    this.check();
  }

  /** A record map (or its end, for an empty one). */
  section(section: RecordSection): void {
    this.inventory = true;
    if (section === LEGACY_SECTION) this.legacyRecords = true;
    else this.currentSections = true;
    this.check();
  }

  /** The whole document has been read. */
  finish(): void {
    if (this.inventory) return;
    const known = this.others.map((key) => NOT_INVENTORIES[key]).find(Boolean);
    const members = this.others.length ? `its members: ${this.others.join(', ')}` : 'it is empty';
    throw new ValidationError(
      'document',
      `is not a cani inventory${known ? `: it is ${known}` : ''} (an inventory has schemaVersion and record maps such as devices; ${members})`,
    );
  }

  /** v1alpha1 is the Hardware map; later versions are the lowercase maps. */
  private check(): void {
    const legacy = this.version === LEGACY_SCHEMA_VERSION;
    if (legacy && this.currentSections)
      throw new ValidationError(
        'schemaVersion',
        `"${LEGACY_SCHEMA_VERSION}" is the legacy Hardware map, but this document has lowercase record maps`,
      );
    if (this.version && !legacy && this.legacyRecords)
      throw new ValidationError(LEGACY_SECTION, `is v1alpha1's record map, but schemaVersion says ${this.version}`);
  }
}
