// PATCH documents as Fabrica reads them, chosen by Content-Type:
//   application/merge-patch+json      RFC 7386 JSON Merge Patch (also plain application/json)
//   application/json-patch+json       RFC 6902 JSON Patch (fast-json-patch)
//   application/shorthand-patch+json  Fabrica's shorthand: {"dot.path": value}, null deletes
// A patch that cannot be applied is a PatchError (answered 422).
import jsonpatch from 'fast-json-patch';

export type PatchFormat = 'merge' | 'json' | 'shorthand';

export class PatchError extends Error {}

/** The patch format a Content-Type names; undefined for an unsupported media type. */
export function patchFormat(contentType: string | null): PatchFormat | undefined {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  switch (type) {
    case '':
    case 'application/json':
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/json-patch+json':
      return 'json';
    case 'application/shorthand-patch+json':
      return 'shorthand';
    default:
      return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** RFC 7386: objects merge recursively, null removes a member, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '__proto__') continue;
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function jsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw new PatchError('a JSON Patch (RFC 6902) document must be an array of operations');
  try {
    return jsonpatch.applyPatch(jsonpatch.deepClone(target), patch as jsonpatch.Operation[], true, true, true).newDocument;
  } catch (error) {
    const e = error as { name?: string; message?: string; index?: number };
    if (e.name === 'TEST_OPERATION_FAILED' || error instanceof jsonpatch.JsonPatchError) {
      const at = e.index === undefined ? '' : ` (operation ${e.index})`;
      throw new PatchError(`${(e.message ?? String(error)).split('\n')[0]}${at}`);
    }
    throw error;
  }
}

/** Fabrica's shorthand: each key is a dot path into the document; null deletes it. */
function shorthandPatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) throw new PatchError('a shorthand patch must be an object of "dot.path": value');
  const result = structuredClone(isObject(target) ? target : {}) as Record<string, unknown>;
  for (const [path, value] of Object.entries(patch)) {
    const keys = path.split('.');
    if (keys.some((k) => k === '' || k === '__proto__' || k === 'constructor' || k === 'prototype'))
      throw new PatchError(`bad shorthand path ${JSON.stringify(path)}`);
    let node = result;
    for (const key of keys.slice(0, -1)) {
      if (!isObject(node[key])) {
        if (value === null) break;
        node[key] = {};
      }
      node = node[key] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (value === null) delete node[last];
    else node[last] = value;
  }
  return result;
}

/** The document with the patch applied; the input is never modified. */
export function applyPatch(target: unknown, patch: unknown, format: PatchFormat): unknown {
  switch (format) {
    case 'merge':
      return mergePatch(target, patch);
    case 'json':
      return jsonPatch(target, patch);
    case 'shorthand':
      return shorthandPatch(target, patch);
  }
}
