// SMD's node maps (/Defaults/NodeMaps, sm.NodeMap): the NID, Role and SubRole a node gets when
// it is created without them. Only /hsm/v2 speaks them (strict).
import { ConflictError } from '../../domain/errors.js';
import { normalizeXname } from '../../domain/xname.js';
import type { NodeMapInput, NodeMapRow } from '../../services/smd/index.js';
import { SMD_TEXTS, SmdRuleError, smdConflict } from './errors.js';
import { asObject, get, has, type Obj, optArray, optInt, optString } from './go-json.js';

/** SMD's sm.NodeMap JSON: NID a number; Role, SubRole and NodeInfo left out when empty. */
export function nodeMapJson(row: NodeMapRow): Obj {
  const out: Obj = { ID: row.xname, NID: row.nid };
  if (row.role) out.Role = row.role;
  if (row.subRole) out.SubRole = row.subRole;
  if (row.nodeInfo !== null && row.nodeInfo !== undefined) out.NodeInfo = row.nodeInfo;
  return out;
}

export const nodeMapsJson = (rows: readonly NodeMapRow[]) => ({ NodeMaps: rows.map(nodeMapJson) });

function decodeNodeMap(value: unknown): NodeMapInput {
  const obj = asObject(value, 'sm.NodeMap');
  return {
    xname: optString(obj, 'ID', 'sm.NodeMap') ?? '',
    nid: optInt(obj, 'NID', 'sm.NodeMap') ?? 0,
    role: optString(obj, 'Role', 'sm.NodeMap'),
    subRole: optString(obj, 'SubRole', 'sm.NodeMap'),
    nodeInfo: get(obj, 'NodeInfo'),
  };
}

/** How a node-map write was asked for: its texts differ. */
export type NodeMapWrite = 'post-one' | 'post-list' | 'put';

/** POST: `{"NodeMaps":[...]}`, or one node map as the body (main.scanableNodeMap). */
export function decodeNodeMapsPost(value: unknown): { maps: NodeMapInput[]; write: NodeMapWrite } {
  const body = asObject(value, 'main.scanableNodeMap');
  if (['ID', 'NID', 'Role', 'SubRole', 'NodeInfo'].some((name) => has(body, name)))
    return { maps: [decodeNodeMap(body)], write: 'post-one' };
  const list = optArray(body, 'NodeMaps', 'main.scanableNodeMap', '[]sm.NodeMap') ?? [];
  return { maps: list.map(decodeNodeMap), write: 'post-list' };
}

/** PUT /Defaults/NodeMaps/{xname}: the body's ID, when it has one, must be the URL's. */
export function decodeNodeMapPut(value: unknown, urlXname: string): NodeMapInput {
  const xname = normalizeXname(urlXname);
  const map = decodeNodeMap(value);
  if (map.xname === '') map.xname = xname;
  else if (normalizeXname(map.xname) !== xname) throw new SmdRuleError(SMD_TEXTS.xnameMismatch);
  return map;
}

const WRITE_TEXTS: Record<NodeMapWrite, { invalid: (index: number, reason: string) => string; conflict: string }> = {
  'post-one': {
    invalid: (_i, reason) => `couldn't validate mapping data: ${reason}`,
    conflict: 'operation would conflict with an existing xname ID that has the same NID.',
  },
  'post-list': {
    invalid: (i, reason) => `couldn't validate map data at idx ${i}: ${reason}`,
    conflict: 'operation would conflict with an existing xname ID that has the same NID.',
  },
  put: {
    invalid: (_i, reason) => `couldn't validate endpoint data: ${reason}`,
    conflict: 'operation would conflict with an existing resource that has the same NID',
  },
};

/** A node-map write's error in SMD's words: an invalid entry names its index, a NID taken by another node is a 409. */
export function nodeMapWriteError(write: NodeMapWrite, error: unknown): unknown {
  const texts = WRITE_TEXTS[write];
  if (error instanceof SmdRuleError && error.code === 'BAD_USER_INPUT')
    return new SmdRuleError(texts.invalid(Number(error.field?.split('.')[1] ?? 0), error.message));
  if (error instanceof ConflictError || (error instanceof SmdRuleError && error.code === 'CONFLICT')) return smdConflict(texts.conflict);
  return error;
}
