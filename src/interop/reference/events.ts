// What the readers hand the importer, one record at a time, parents before children.
import type { JsonObject } from '../../codecs/reference/codec.js';

interface Read {
  record: JsonObject;
  /** Where it was read, for errors: a file path, or a path in the document ("sites.0.clusters.1"). */
  where: string;
  /** The uid its file or directory name gives it (the record's uid must agree). */
  named?: string;
}

export type ReferenceEvent =
  | ({ kind: 'grid' } & Read)
  | ({ kind: 'site' } & Read)
  /**
   * `path`: where a tree keeps the cluster's file when not at clusters/<c>/<c>.json (kept for the
   * way back); null: at that usual place; undefined: the source does not say (a document).
   */
  | ({ kind: 'cluster'; site: string; path?: string | null } & Read)
  | ({ kind: 'node'; site: string; cluster: string } & Read)
  | ({ kind: 'flavor'; site: string } & Read);
