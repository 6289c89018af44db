// The inventory/v1 routes as an OpenAPI fragment for /openapi.json, built from the routes the
// router registers (so a new route appears, if only generically, without touching this file).

import type { RestRouter } from '../http/router.js';
import { openApiPath, type PathsFragment } from '../openapi/document.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from './list-query.js';
import { PATCH_MEDIA_TYPES, SUPPORTED_MEDIA_TYPES } from './media.js';

type Schema = Record<string, unknown>;

const TAG = 'Inventory v1 (RFD 112)';
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullableString = { type: ['string', 'null'] };
const body = (schema: Schema) => Object.fromEntries(SUPPORTED_MEDIA_TYPES.map((type) => [type, { schema }]));
const ok = (
  description: string,
  schema: Schema,
  headers: Schema = { ETag: { description: 'The device revision, strong ("7").', schema: { type: 'string' } } },
) => ({
  description,
  content: body(schema),
  headers,
});
const problems = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      String(code),
      { description: PROBLEM_TEXT[code], content: { 'application/problem+json': { schema: ref('Problem') } } },
    ]),
  );

const PROBLEM_TEXT: Record<number, string> = {
  400: 'Bad JSON or a bad query parameter; `field` names it.',
  404: 'No live device has this id.',
  406: 'The Accept header names no supported schema version (v1).',
  409: 'A live device with the same manufacturer and serial number exists, or the device still has live children.',
  412: 'If-Match does not name the current ETag.',
  415: 'Unsupported Content-Type.',
  422: 'A field is invalid; `field` names it and `invalidParams` lists every bad member or property key.',
};

const IF_MATCH = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description: 'The ETag last seen; `*` or absent means no check.',
  schema: { type: 'string' },
};
const ID = { name: 'id', in: 'path', required: true, description: 'The device UUID.', schema: { type: 'string' } };
const query = (name: string, description: string, schema: Schema = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

const DEVICE_WRITE: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    deviceType: { type: 'string' },
    manufacturer: nullableString,
    model: nullableString,
    partNumber: nullableString,
    serialNumber: nullableString,
    parentID: { ...nullableString, description: 'The parent device; null for a top-level device.' },
    properties: { type: 'object', description: 'Keys are lowercase snake_case, dots between namespace parts (bios.release_date).' },
    apiVersion: { const: 'inventory/v1' },
    kind: { const: 'Device' },
    schemaVersion: { const: 'v1' },
  },
};

const SCHEMAS: Record<string, Schema> = {
  InventoryDevice: {
    type: 'object',
    description: 'An RFD 112 Device.',
    properties: {
      apiVersion: { const: 'inventory/v1' },
      kind: { const: 'Device' },
      schemaVersion: { type: 'string', examples: ['v1'] },
      id: { type: 'string', format: 'uuid', readOnly: true },
      ...(DEVICE_WRITE.properties as Schema),
      childrenDeviceIds: { type: 'array', items: { type: 'string' }, readOnly: true, description: 'Live children, computed on read.' },
      createdAt: { type: 'string', format: 'date-time', readOnly: true },
      updatedAt: { type: 'string', format: 'date-time', readOnly: true },
      deletedAt: { type: ['string', 'null'], format: 'date-time', readOnly: true },
    },
  },
  InventoryDeviceCreate: { ...DEVICE_WRITE, required: ['deviceType'] },
  InventoryDevicePatch: {
    ...DEVICE_WRITE,
    description: 'RFC 7386 JSON Merge Patch: null clears a field; properties merge key by key, null removes a key.',
  },
  InventoryDeviceList: {
    type: 'object',
    properties: {
      items: { type: 'array', items: ref('InventoryDevice') },
      total: {
        type: 'integer',
        description: 'How many devices match in all: on offset pages (unless `count=false`) and on cursor pages with `count=true`.',
      },
      limit: { type: 'integer' },
      offset: { type: 'integer', description: 'On offset pages only.' },
      next: {
        type: ['string', 'null'],
        description: 'The `cursor` of the following page (also in a `Link: <…>; rel="next"` header); null on the last page.',
      },
    },
    required: ['items', 'limit', 'next'],
  },
};

const OPERATIONS: Record<string, Schema> = {
  'GET /devices': {
    summary: 'List devices',
    description:
      'Filters AND together; `properties.<key>=<value>` matches a property as text (repeatable). Oldest first. ' +
      'Pages by `offset`, or by `cursor` (the `next` of the page before), which costs the same on any page: ' +
      'an offset page skips its offset, and the total counts every match, so a cursor page computes no total unless `count=true`.',
    parameters: [
      query('deviceType', 'Any of these types (repeatable).'),
      query('manufacturer', 'Exact manufacturer.'),
      query('partNumber', 'Exact part number.'),
      query('serialNumber', 'Exact serial number.'),
      query('parentID', 'Children of this device; `null` for top-level devices.'),
      query('include_deleted', 'Include soft-deleted devices.', { type: 'boolean', default: false }),
      query('limit', 'Page size.', { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT }),
      query('offset', 'Devices to skip; not with `cursor`.', { type: 'integer', minimum: 0, default: 0 }),
      query('cursor', 'Start after the page that gave this `next`; not with `offset`.'),
      query('count', 'Count the total: default true on offset pages, false on cursor pages.', { type: 'boolean' }),
    ],
    responses: {
      200: ok('A page of devices.', ref('InventoryDeviceList'), {
        Link: { description: '`<…?cursor=…>; rel="next"` when there is a following page.', schema: { type: 'string' } },
      }),
      ...problems(400, 406),
    },
  },
  'POST /devices': {
    summary: 'Create a device',
    requestBody: { required: true, content: { 'application/json': { schema: ref('InventoryDeviceCreate') } } },
    responses: { 201: ok('Created; Location names it.', ref('InventoryDevice')), ...problems(400, 406, 409, 415, 422) },
  },
  'GET /devices/{id}': {
    summary: 'Get a device',
    parameters: [ID, query('include_deleted', 'Also find a soft-deleted device.', { type: 'boolean', default: false })],
    responses: { 200: ok('The device.', ref('InventoryDevice')), ...problems(400, 404, 406) },
  },
  'PATCH /devices/{id}': {
    summary: 'Merge-patch a device',
    parameters: [ID, IF_MATCH],
    requestBody: {
      required: true,
      content: Object.fromEntries(PATCH_MEDIA_TYPES.map((type) => [type, { schema: ref('InventoryDevicePatch') }])),
    },
    responses: { 200: ok('The patched device.', ref('InventoryDevice')), ...problems(400, 404, 406, 409, 412, 415, 422) },
  },
  'DELETE /devices/{id}': {
    summary: 'Soft-delete a device',
    description: 'Sets deletedAt; the device disappears from normal reads and can be restored. Refused while it has live children.',
    parameters: [ID, IF_MATCH],
    responses: { 204: { description: 'Deleted.' }, ...problems(404, 406, 409, 412) },
  },
  'POST /devices/{id}/restore': {
    summary: 'Restore a soft-deleted device',
    parameters: [ID],
    responses: { 200: ok('The restored device.', ref('InventoryDevice')), ...problems(404, 406, 422) },
  },
};

export function inventoryV1OpenApi(router: RestRouter): PathsFragment {
  const paths: PathsFragment['paths'] = {};
  for (const { method, pattern } of router.routes()) {
    const path = openApiPath(pattern);
    const known = OPERATIONS[`${method} ${path.slice(router.prefix.length)}`];
    const parameters = known ? {} : { parameters: path.includes('{id}') ? [ID] : [] };
    (paths[path] ??= {})[method.toLowerCase()] = {
      tags: [TAG],
      ...parameters,
      ...(known ?? { summary: `${method} ${path}`, responses: { 200: { description: 'Success.' } } }),
    };
  }
  return { paths, schemas: SCHEMAS, tags: [{ name: TAG, description: 'OpenCHAMI RFD 112 devices; errors are RFC 7807 problem+json.' }] };
}
