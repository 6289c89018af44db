// Content negotiation: the schema version a client accepts (Accept) and the body formats the
// writes take (Content-Type). Only v1 exists.
import { InventoryV1Error } from './errors.js';

export const SCHEMA_VERSIONS = ['v1'] as const;
export type SchemaVersion = (typeof SCHEMA_VERSIONS)[number];

const VENDOR_TYPE = 'application/vnd.openchami.inventory';
export const SUPPORTED_MEDIA_TYPES = ['application/json', `${VENDOR_TYPE}.v1+json`, `${VENDOR_TYPE}+json;version=v1`];

export interface Negotiated {
  version: SchemaVersion;
  /** The Content-Type of the answer: the vendor type when the client asked for it. */
  contentType: string;
}

interface MediaRange {
  type: string;
  version?: string;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  return header
    .split(',')
    .map((part) => {
      const [type, ...params] = part.split(';').map((s) => s.trim());
      const param = (name: string) =>
        params
          .find((p) => p.toLowerCase().startsWith(`${name}=`))
          ?.slice(name.length + 1)
          .replace(/^"|"$/g, '');
      return { type: type.toLowerCase(), version: param('version'), q: Number(param('q') ?? 1) };
    })
    .filter((range) => range.type && range.q > 0);
}

/** What a media range asks for: a version it names, undefined for one it cannot give. */
function versionOf(range: MediaRange): string | undefined {
  const vendor = new RegExp(`^${VENDOR_TYPE.replace(/\./g, '\\.')}(?:\\.(v[0-9a-z]+))?\\+json$`).exec(range.type);
  if (vendor) return vendor[1] ?? range.version ?? 'v1';
  if (['*/*', 'application/*', 'application/json'].includes(range.type)) return range.version ?? 'v1';
  return undefined;
}

/** The version and answer type for the request's Accept; 406 naming the supported ones otherwise. */
export function negotiate(request: Request): Negotiated {
  const header = request.headers.get('accept');
  if (!header?.trim()) return { version: 'v1', contentType: 'application/json' };
  const ranges = parseAccept(header).sort((a, b) => b.q - a.q);
  for (const range of ranges) {
    const version = versionOf(range);
    if (version && (SCHEMA_VERSIONS as readonly string[]).includes(version)) {
      return {
        version: version as SchemaVersion,
        contentType: range.type.startsWith(VENDOR_TYPE) ? `${VENDOR_TYPE}.${version}+json` : 'application/json',
      };
    }
  }
  throw new InventoryV1Error(
    406,
    `none of the accepted media types can be served (Accept: ${header}); supported schema versions: ${SCHEMA_VERSIONS.join(', ')}`,
    {
      supportedVersions: SCHEMA_VERSIONS,
      supportedMediaTypes: SUPPORTED_MEDIA_TYPES,
    },
  );
}

const mediaType = (request: Request) => (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();

/** POST bodies are JSON (a missing Content-Type is taken as JSON). */
export function requireJsonBody(request: Request): void {
  const type = mediaType(request);
  if (type && type !== 'application/json') {
    throw new InventoryV1Error(415, `Content-Type ${type} is not supported; send application/json`, { field: 'content-type' });
  }
}

export const PATCH_MEDIA_TYPES = ['application/merge-patch+json', 'application/json'];

/** PATCH bodies are JSON Merge Patches (RFC 7386), sent as merge-patch+json or plain JSON. */
export function requireMergePatch(request: Request): void {
  const type = mediaType(request);
  if (!PATCH_MEDIA_TYPES.includes(type)) {
    throw new InventoryV1Error(
      415,
      `Content-Type ${type || '(none)'} is not supported for PATCH; send a JSON Merge Patch as ${PATCH_MEDIA_TYPES.join(' or ')}`,
      { field: 'content-type' },
      { 'accept-patch': PATCH_MEDIA_TYPES.join(', ') },
    );
  }
}
