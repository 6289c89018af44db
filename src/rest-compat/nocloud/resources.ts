// The generated-API routes of one cloud-init resource kind, under the NoCloud base path:
//   GET    /<collection>          bare JSON array of envelopes
//   POST   /<collection>          {metadata: {name}, spec} → 201 envelope (409 if it exists)
//   GET    /<collection>/{uid}    the uid, or the resource's name
//   PUT    /<collection>/{uid}    {spec} replaces the spec
//   PATCH  /<collection>/{uid}    merge patch (or JSON Patch, shorthand) of the spec
//   DELETE /<collection>/{uid}    200 {message, uid}
// Errors are {error, code}; a template that does not render to YAML is 422 naming the line.

import { bareMessage } from '../../domain/bare-message.js';
import { InventoryError } from '../../domain/errors.js';
import { InvalidTemplateError } from '../../domain/templates.js';
import type { ResourceRef } from '../../services/cloud-init/index.js';
import { applyPatch, patchFormat } from '../fabrica/patch.js';
import { json, readJson } from '../http/respond.js';
import type { RestHandler, RestRequest, RestRouter } from '../http/router.js';
import type { ResourceKind } from './resource-kinds.js';
import { errorJson, NoCloudError } from './respond.js';

export const CLOUD_INIT_API_VERSION = 'cloud-init.openchami.io/v1';

type Spec = Record<string, unknown>;

const isObject = (value: unknown): value is Spec => value !== null && typeof value === 'object' && !Array.isArray(value);

export function envelope<Row>(kind: ResourceKind<Row>, row: Row) {
  const { createdAt, updatedAt } = kind.stamps(row);
  return {
    apiVersion: CLOUD_INIT_API_VERSION,
    kind: kind.kind,
    metadata: {
      name: kind.name(row),
      uid: `${kind.uidPrefix}-${kind.rowId(row)}`,
      createdAt: createdAt.toISOString(),
      updatedAt: updatedAt.toISOString(),
    },
    spec: kind.spec(row),
    status: kind.status(row),
  };
}

/** A service error as the client sent it: `spec.<field>` or `metadata.name`, with the status it calls for. */
function serviceErrorResponse(error: InventoryError, fields: Record<string, string>): Response {
  const field = error.field ? (fields[error.field] ?? error.field) : undefined;
  const text = field ? `${field}: ${bareMessage(error)}` : error.message;
  if (error instanceof InvalidTemplateError) return errorJson(422, `invalid template: ${text}`);
  switch (error.code) {
    case 'CONFLICT':
      return errorJson(409, text);
    case 'PRECONDITION_FAILED':
      return errorJson(412, text);
    default:
      // The resource in the URL was found before the write: a missing one is what the body names.
      return errorJson(400, `validation failed: ${text}`);
  }
}

async function bodyObject(req: RestRequest): Promise<Spec> {
  const body = await readJson(req.request);
  if (!isObject(body)) throw new NoCloudError(400, 'invalid request body: must be a JSON object');
  return body;
}

function specOfBody(body: Spec): Spec {
  if (!isObject(body.spec)) throw new NoCloudError(400, 'validation failed: spec is required and must be an object');
  return body.spec;
}

/** `{uid}` is a uid ("group-<row id>") or a name ("compute", an xname). */
function refsOf(uidPrefix: string, key: string): ResourceRef[] {
  const prefix = `${uidPrefix}-`;
  return key.startsWith(prefix) ? [{ id: key.slice(prefix.length) }, { name: key }] : [{ name: key }];
}

export function mountResource<Row>(router: RestRouter, kind: ResourceKind<Row>): void {
  const path = `/${kind.collection}`;
  const handle =
    (handler: RestHandler): RestHandler =>
    async (req) => {
      try {
        return await handler(req);
      } catch (error) {
        if (error instanceof InventoryError) return serviceErrorResponse(error, kind.fields);
        throw error;
      }
    };

  async function existing(req: RestRequest): Promise<Row> {
    const key = req.params.uid ?? '';
    for (const ref of refsOf(kind.uidPrefix, key)) {
      const row = await kind.find(req.ctx.service, ref);
      if (row) return row;
    }
    throw new NoCloudError(404, `${kind.kind} ${JSON.stringify(key)} not found`);
  }

  /** The resource as it is after a write, read back by name. */
  async function show(req: RestRequest, name: string, status = 200): Promise<Response> {
    const row = await kind.find(req.ctx.service, { name });
    if (!row) throw new NoCloudError(404, `${kind.kind} ${JSON.stringify(name)} not found`);
    return json(envelope(kind, row), status);
  }

  /** Writes the whole new spec of an existing resource; a different metadata.name is a rename, refused. */
  async function replace(req: RestRequest, row: Row, spec: Spec, metadata: unknown): Promise<Response> {
    const name = kind.name(row);
    const asked = isObject(metadata) ? metadata.name : undefined;
    if (asked !== undefined && asked !== null && String(asked).toLowerCase() !== name.toLowerCase()) {
      throw new NoCloudError(
        400,
        `validation failed: metadata.name: cannot be changed from ${JSON.stringify(name)}; delete the resource and create another`,
      );
    }
    await kind.write(req.ctx.service, name, spec, 'update');
    return show(req, name);
  }

  router.get(
    path,
    handle(async (req) => json((await kind.list(req.ctx.service)).map((row) => envelope(kind, row)))),
  );

  router.post(
    path,
    handle(async (req) => {
      const body = await bodyObject(req);
      const spec = specOfBody(body);
      const name = isObject(body.metadata) && typeof body.metadata.name === 'string' ? body.metadata.name : undefined;
      await kind.write(req.ctx.service, name, spec, 'create');
      return show(req, name ?? '', 201);
    }),
  );

  router.get(
    `${path}/:uid`,
    handle(async (req) => json(envelope(kind, await existing(req)))),
  );

  router.put(
    `${path}/:uid`,
    handle(async (req) => {
      const row = await existing(req);
      const body = await bodyObject(req);
      return replace(req, row, specOfBody(body), body.metadata);
    }),
  );

  router.patch(
    `${path}/:uid`,
    handle(async (req) => {
      const row = await existing(req);
      const format = patchFormat(req.request.headers.get('content-type'));
      if (!format)
        throw new NoCloudError(
          415,
          `unsupported patch Content-Type ${JSON.stringify(req.request.headers.get('content-type'))}: use application/merge-patch+json, application/json-patch+json or application/shorthand-patch+json`,
        );
      const patched = applyPatch(kind.spec(row), await readJson(req.request), format);
      if (!isObject(patched)) throw new NoCloudError(422, 'failed to apply patch: the patched spec is not a JSON object');
      return replace(req, row, patched, undefined);
    }),
  );

  router.delete(
    `${path}/:uid`,
    handle(async (req) => {
      const row = await existing(req);
      await kind.remove(req.ctx.service, kind.name(row));
      return json({ message: `${kind.kind} deleted successfully`, uid: envelope(kind, row).metadata.uid });
    }),
  );
}
