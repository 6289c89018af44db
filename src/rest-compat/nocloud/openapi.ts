// The NoCloud routes as OpenAPI 3.1 path items, self-contained (inline schemas, no $refs), for
// /openapi.json to merge: the node documents and WireGuard bootstrap at the root and under the
// base path, the resource API under the base path.
import { normalizeBasePath } from './base-path.js';

type Schema = Record<string, unknown>;
type PathItem = Record<string, unknown>;

const TAG = 'NoCloud (cloud-init)';
const text = (contentType: string, description: string, example?: string) => ({
  description,
  content: { [contentType]: { schema: { type: 'string' }, ...(example ? { example } : {}) } },
});
const jsonBody = (description: string, schema: Schema) => ({ description, content: { 'application/json': { schema } } });
const ERROR: Schema = { type: 'object', properties: { error: { type: 'string' }, code: { type: 'integer' } }, required: ['error', 'code'] };
const errorResponse = (description: string) => jsonBody(description, ERROR);
const NOT_A_NODE = text('text/plain', 'No node has the client address (`node not found for address 10.9.9.9`).');
const IDENTITY =
  'The node is the one owning the client address: the TCP peer, or the first X-Forwarded-For entry when the peer is a trusted proxy.';

function nodeDocument(
  summary: string,
  contentType: string,
  description: string,
  example: string,
  unknownNode: 'refused' | 'answered',
): PathItem {
  return {
    get: {
      tags: [TAG],
      summary,
      description: `${description} ${IDENTITY}`,
      responses: { 200: text(contentType, 'The document.', example), ...(unknownNode === 'refused' ? { 404: NOT_A_NODE } : {}) },
    },
  };
}

function nodePaths(mount: string): Record<string, PathItem> {
  return {
    [`${mount}/meta-data`]: nodeDocument(
      "The node's meta-data",
      'application/x-yaml',
      "OpenCHAMI metadata-service's document: instance-id (the xname unless instance info names another; `--nocloud-instance-id hashed` gives `i-` ids), local-hostname, hostname, cluster-name and instance_data.v1 (with vendor_data.groups: every group of the node, with its Group's description and metaData). `--nocloud-top-level-keys` adds public-keys, region, availability-zone and cloud-name at the top.",
      'instance-id: x1000c0s0b0n0\nlocal-hostname: nid0001\nhostname: nid0001\ncluster-name: demo\ninstance_data:\n  v1:\n    cloud_name: OpenCHAMI\n',
      'refused',
    ),
    [`${mount}/user-data`]: nodeDocument(
      'User data (empty cloud-config)',
      'text/cloud-config',
      'The same for every node.',
      '#cloud-config\n',
      'answered',
    ),
    [`${mount}/vendor-data`]: nodeDocument(
      "The node's group documents, as an #include list",
      'text/plain',
      'One URL per group of the node that has a template (metadata-only groups have none); the bare `#include` when there is none; `#cloud-config` for an unknown address (the document is optional).',
      '#include\nhttp://cloud-init.example/cloud-init/compute.yaml\n',
      'answered',
    ),
    [`${mount}/network-config`]: nodeDocument(
      'Network configuration (disabled)',
      'application/x-yaml',
      'Read by cloud-init 24.3 and later only; tells it to leave networking as the initramfs or image set it.',
      'config: disabled\n',
      'answered',
    ),
    [`${mount}/{group}.yaml`]: {
      get: {
        tags: [TAG],
        summary: "A group's cloud-config for a member node",
        description: `A template starting with \`## template: jinja\` is served as written (the node renders it); any other is rendered for the node. A template failing for the node yields \`#cloud-config\` (the failure is logged). ${IDENTITY}`,
        parameters: [{ name: 'group', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          200: text('text/cloud-config', 'The group document.'),
          404: text('text/plain', 'Unknown address, or the node is not a member of the group.'),
        },
      },
    },
    [`${mount}/wg-init`]: {
      post: {
        tags: [TAG],
        summary: "Register the node's WireGuard key and get a tunnel address",
        description: `The node keeps the tunnel address it already has. ${IDENTITY}`,
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { type: 'object', properties: { public_key: { type: 'string' } }, required: ['public_key'] } },
          },
        },
        responses: {
          201: jsonBody('Registered.', {
            type: 'object',
            properties: {
              message: { type: 'string' },
              'client-vpn-ip': { type: 'string' },
              'server-public-key': { type: 'string' },
              'server-ip': { type: 'string' },
              'server-port': { type: 'integer' },
            },
          }),
          400: errorResponse('Not a WireGuard public key.'),
          404: errorResponse(
            'No node has the client address, or WireGuard bootstrap is off (the error names the settings that turn it on).',
          ),
          409: errorResponse('The key is registered by another node, or the tunnel block is full.'),
        },
      },
    },
    [`${mount}/phone-home/{id}`]: {
      post: {
        tags: [TAG],
        summary: "cloud-init phone_home: remove the node's WireGuard peer",
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            schema: { type: 'string' },
            description: 'Logged (usually the instance-id); the node is found by its address.',
          },
        ],
        responses: {
          200: jsonBody('Removed, or there was none.', { type: 'object', properties: { message: { type: 'string' } } }),
          404: errorResponse('No node has the client address.'),
        },
      },
    },
  };
}

const RESOURCES: Array<{ collection: string; kind: string; spec: Schema }> = [
  {
    collection: 'clusterdefaultss',
    kind: 'ClusterDefaults',
    spec: {
      type: 'object',
      properties: Object.fromEntries(
        ['cluster_name', 'short_name', 'base_url', 'boot_subnet', 'wg_subnet', 'cloud_provider', 'region', 'availability_zone'].map((f) => [
          f,
          { type: 'string' },
        ]),
      ),
    },
  },
  {
    collection: 'groups',
    kind: 'Group',
    spec: {
      type: 'object',
      properties: {
        description: { type: 'string' },
        template: { type: 'string', description: 'None: a metadata-only group (listed to its members, nothing to include).' },
        metaData: { type: 'object', additionalProperties: true },
        osVersion: { type: 'string' },
      },
    },
  },
  {
    collection: 'instanceinfos',
    kind: 'InstanceInfo',
    spec: {
      type: 'object',
      properties: Object.fromEntries(
        [
          'instance_id',
          'local_hostname',
          'hostname',
          'cluster_name',
          'region',
          'availability_zone',
          'cloud_provider',
          'instance_type',
          'cloud_init_base_url',
        ].map((f) => [f, { type: 'string' }]),
      ),
    },
  },
  {
    collection: 'wireguardpeers',
    kind: 'WireGuardPeer',
    spec: {
      type: 'object',
      properties: { public_key: { type: 'string' }, allowed_ip: { type: 'string', examples: ['10.89.0.2/32'] } },
      required: ['public_key', 'allowed_ip'],
    },
  },
];

function envelopeSchema(kind: string, spec: Schema): Schema {
  return {
    type: 'object',
    properties: {
      apiVersion: { const: 'cloud-init.openchami.io/v1' },
      kind: { const: kind },
      metadata: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          uid: { type: 'string' },
          createdAt: { type: 'string', format: 'date-time' },
          updatedAt: { type: 'string', format: 'date-time' },
        },
      },
      spec,
      status: { type: 'object', additionalProperties: true },
    },
  };
}

function resourcePaths(basePath: string): Record<string, PathItem> {
  const paths: Record<string, PathItem> = {};
  for (const { collection, kind, spec } of RESOURCES) {
    const one = envelopeSchema(kind, spec);
    const request = {
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: { metadata: { type: 'object', properties: { name: { type: 'string' } } }, spec },
            required: ['spec'],
          },
        },
      },
    };
    const uid = [
      { name: 'uid', in: 'path', required: true, schema: { type: 'string' }, description: 'The uid, or the name (group label, xname).' },
    ];
    const tags = [`${TAG} resources`];
    paths[`${basePath}/${collection}`] = {
      get: { tags, summary: `List ${kind} resources`, responses: { 200: jsonBody('The resources.', { type: 'array', items: one }) } },
      post: {
        tags,
        summary: `Create a ${kind}`,
        requestBody: request,
        responses: {
          201: jsonBody('Created.', one),
          400: errorResponse('Invalid spec.'),
          409: errorResponse('It exists.'),
          422: errorResponse('The template does not render to YAML (line and reason).'),
        },
      },
    };
    paths[`${basePath}/${collection}/{uid}`] = {
      parameters: uid,
      get: { tags, summary: `Get a ${kind}`, responses: { 200: jsonBody('The resource.', one), 404: errorResponse('Not found.') } },
      put: {
        tags,
        summary: `Replace a ${kind}'s spec`,
        requestBody: request,
        responses: {
          200: jsonBody('Replaced.', one),
          400: errorResponse('Invalid spec.'),
          404: errorResponse('Not found.'),
          422: errorResponse('Invalid template.'),
        },
      },
      patch: {
        tags,
        summary: `Patch a ${kind}'s spec (merge patch, JSON Patch or shorthand)`,
        requestBody: { required: true, content: { 'application/merge-patch+json': { schema: { type: 'object' } } } },
        responses: { 200: jsonBody('Patched.', one), 404: errorResponse('Not found.'), 422: errorResponse('Invalid template or patch.') },
      },
      delete: {
        tags,
        summary: `Delete a ${kind}`,
        responses: {
          200: jsonBody('Deleted.', { type: 'object', properties: { message: { type: 'string' }, uid: { type: 'string' } } }),
          404: errorResponse('Not found.'),
        },
      },
    };
  }
  return paths;
}

/** OpenAPI path items of every NoCloud route (the glued `/cloud-initmeta-data` forms are not listed). */
export function nocloudOpenApiPaths(basePath: string): Record<string, PathItem> {
  const base = normalizeBasePath(basePath);
  return { ...nodePaths(''), ...nodePaths(base), ...resourcePaths(base) };
}
