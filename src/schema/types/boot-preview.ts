// Query.bootPreview: what cloud-init will receive when a node boots (meta-data, user-data,
// vendor-data and each group document), built by the same code the NoCloud routes use, with
// each template failure named (the node itself gets an empty cloud-config in that case).
// The node is found as NoCloud finds it: by one of its IP addresses.
import { stringify } from 'yaml';
import { METADATA_SERVICE_DOCUMENTS, metaDataDocument, type NodeIdentity } from '../../domain/nocloud-metadata.js';
import { EMPTY_CLOUD_CONFIG, groupDocument } from '../../domain/templates.js';
import { findNodeByAddress } from '../../services/cloud-init/index.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';

/** As the NoCloud routes write YAML: PyYAML's booleans quoted, long values unfolded. */
const YAML_OPTIONS = { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false } as const;

interface GroupDocumentView {
  name: string;
  hasTemplate: boolean;
  document: string;
  error: string | null;
}

interface BootPreview {
  xname: string;
  bootIp: string | null;
  /** Why there are no documents (the node has no address cloud-init could be known by). */
  unavailable: string | null;
  metaData: string | null;
  userData: string | null;
  vendorData: string | null;
  groups: GroupDocumentView[];
}

const GroupDocumentRef = builder.objectRef<GroupDocumentView>('BootGroupDocument').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    hasTemplate: t.exposeBoolean('hasTemplate'),
    document: t.exposeString('document', { description: 'What /{group}.yaml answers this node.' }),
    error: t.exposeString('error', {
      nullable: true,
      description: 'Why the template failed for this node (the node then gets an empty cloud-config).',
    }),
  }),
});

const BootPreviewRef = builder.objectRef<BootPreview>('BootPreview').implement({
  description: 'The NoCloud documents a node receives at boot.',
  fields: (t) => ({
    xname: t.exposeString('xname'),
    bootIp: t.exposeString('bootIp', { nullable: true, description: 'The address the node is known by.' }),
    unavailable: t.exposeString('unavailable', { nullable: true }),
    metaData: t.exposeString('metaData', { nullable: true }),
    userData: t.exposeString('userData', { nullable: true }),
    vendorData: t.exposeString('vendorData', { nullable: true }),
    groups: t.field({ type: [GroupDocumentRef], resolve: (preview) => preview.groups }),
  }),
});

/** The first live address of the node's interfaces, or of the device installed at the position. */
async function bootAddressOf(ctx: GraphQLContext, xname: string): Promise<string | null> {
  const interfaceOf = {
    deletedAt: null,
    OR: [{ component: { xname, deletedAt: null } }, { device: { installations: { some: { open: true, component: { xname } } } } }],
  };
  const row = await ctx.db.ipAddress.findFirst({
    where: { interface: interfaceOf },
    select: { address: true },
    orderBy: { createdAt: 'asc' },
  });
  return row?.address ?? null;
}

function previewOf(node: NodeIdentity, bootIp: string, baseUrl: string): BootPreview {
  const base = node.instanceInfo?.cloudInitBaseUrl ?? node.clusterDefaults?.baseUrl ?? baseUrl;
  const meta = metaDataDocument(node, base, METADATA_SERVICE_DOCUMENTS);
  const included = node.groups.filter((g) => g.cloudInit?.template).map((g) => `${base}/${encodeURIComponent(g.name)}.yaml\n`);
  return {
    xname: node.xname,
    bootIp,
    unavailable: null,
    metaData: stringify(meta, YAML_OPTIONS),
    userData: EMPTY_CLOUD_CONFIG,
    vendorData: `#include\n${included.join('')}`,
    groups: node.groups.map((group) => {
      const { document, failure } = groupDocument(node, meta, group);
      return { name: group.name, hasTemplate: Boolean(group.cloudInit?.template), document, error: failure ?? null };
    }),
  };
}

builder.queryField('bootPreview', (t) =>
  t.field({
    type: BootPreviewRef,
    description: "What cloud-init receives when this node boots, as the gateway's NoCloud routes would answer it.",
    args: {
      xname: t.arg.string({ required: true }),
      baseUrl: t.arg.string({
        required: false,
        description: 'Where nodes reach the NoCloud routes (default http://<gateway>/cloud-init).',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const baseUrl = (args.baseUrl ?? 'http://gateway/cloud-init').replace(/\/+$/, '');
      const empty = { xname: args.xname, bootIp: null, metaData: null, userData: null, vendorData: null, groups: [] };
      const bootIp = await bootAddressOf(ctx, args.xname);
      if (!bootIp) return { ...empty, unavailable: `${args.xname} has no IP address: cloud-init could not be told who it is` };
      const node = await findNodeByAddress(ctx.service, bootIp);
      if (!node) return { ...empty, bootIp, unavailable: `no node answers to ${bootIp}` };
      return previewOf(node, bootIp, baseUrl);
    },
  }),
);
