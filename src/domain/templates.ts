// Group cloud-config templates: rendering on the server (Nunjucks, a Jinja-compatible engine)
// and the checks a template passes before it is stored. A template whose first line is
// `## template: jinja` is the node's to render (cloud-init does it with Jinja2): it is served
// as written and checked only as text.
import nunjucks from 'nunjucks';
import { parseDocument } from 'yaml';
import { ValidationError } from './errors.js';
import { type MetaDataDocument, metaDataDocument, type NodeGroup, type NodeIdentity, templateContext } from './nocloud-metadata.js';

const CLIENT_TEMPLATE_HEADER = /^##\s*template:\s*jinja\s*$/i;

/** Whether the node renders this template itself (first line `## template: jinja`). */
export function isClientTemplate(template: string): boolean {
  return CLIENT_TEMPLATE_HEADER.test(template.split('\n', 1)[0].trimEnd());
}

// Nunjucks is not sandboxed: `{{ "".constructor.constructor("…")() }}` runs arbitrary code in
// the gateway. Every attribute lookup goes through runtime.memberLookup, so refusing these
// names there closes that door for every template (the module object is shared by design).
const UNSAFE_MEMBERS = new Set([
  'constructor',
  '__proto__',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);
const runtime = nunjucks.runtime as unknown as { memberLookup(obj: unknown, name: unknown): unknown };
const memberLookup = runtime.memberLookup;
runtime.memberLookup = (obj, name) => (typeof name === 'string' && UNSAFE_MEMBERS.has(name) ? undefined : memberLookup(obj, name));

/** A ceiling for range(): a template loop must not stall the event loop. */
const MAX_RANGE = 10_000;

// No loaders: {% include %}, {% import %} and {% extends %} find nothing (no file access).
const environment = new nunjucks.Environment([], { autoescape: false, throwOnUndefined: false });
environment.addFilter('tojson', (value: unknown) => JSON.stringify(value ?? null));
environment.addGlobal('range', (start: number, stop?: number, step = 1) => {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  const count = step === 0 ? Infinity : Math.max(0, Math.ceil((to - from) / step));
  if (!Number.isFinite(count) || count > MAX_RANGE) throw new Error(`range() is limited to ${MAX_RANGE} items`);
  return Array.from({ length: count }, (_, i) => from + i * step);
});

/**
 * Lists and maps print as JSON (valid YAML flow style), so `ssh_authorized_keys: {{ public_keys }}`
 * gives a YAML list as Jinja's repr would, not "a,b" or "[object Object]".
 */
function printable(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  // biome-ignore lint/suspicious/noExplicitAny: a deep copy of arbitrary JSON
  const copy: any = Array.isArray(value)
    ? value.map(printable)
    : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, printable(v)]));
  Object.defineProperty(copy, 'toString', { value: () => JSON.stringify(value), enumerable: false });
  return copy;
}

/** A template failure located in the template's text (1-based line). */
export class TemplateError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

const LOCATION = /\[Line (\d+), Column \d+\]/;

/** The reason Nunjucks gives, without its "(unknown path) [Line …]" and "Error:" prefixes. */
function reasonOf(error: Error): string {
  const lines = error.message.split('\n').map((l) => l.trim());
  const last = lines[lines.length - 1] ?? error.message;
  return last.replace(/^(Template render error: )?(\(unknown path\)\s*)?(Error: )?/, '');
}

/** The first line mentioning the name a runtime error is about (`foo` or "filter not found: foo"). */
function lineMentioning(template: string, reason: string): number | undefined {
  const name = /`([^`]+)`/.exec(reason)?.[1] ?? /not found: (\S+)/.exec(reason)?.[1];
  if (!name) return undefined;
  const index = template.split('\n').findIndex((line) => line.includes(name));
  return index >= 0 ? index + 1 : undefined;
}

function compile(template: string): nunjucks.Template {
  try {
    return new nunjucks.Template(template, environment, undefined, true);
  } catch (error) {
    const located = LOCATION.exec((error as Error).message);
    // Parse errors count lines from 1; "unexpected end of file" ones carry no line: the last.
    const line = located ? Number(located[1]) : template.trimEnd().split('\n').length;
    throw new TemplateError(line, reasonOf(error as Error));
  }
}

/** Renders a server-side template; TemplateError naming the template line when it fails. */
export function renderTemplate(template: string, context: Record<string, unknown>): string {
  const compiled = compile(template);
  try {
    return compiled.render(printable(context) as object);
  } catch (error) {
    const reason = reasonOf(error as Error);
    const located = LOCATION.exec((error as Error).message);
    // Render errors count lines from 0 and omit the first line's number.
    const line = located ? Number(located[1]) + 1 : (lineMentioning(template, reason) ?? 1);
    throw new TemplateError(line, reason);
  }
}

/**
 * Why a rendered document would not reach the node as cloud-config, or undefined when it
 * would: it must parse as YAML the way cloud-init's PyYAML reads it (YAML 1.1, a repeated key
 * is allowed), and a `#cloud-config` document must be a mapping (or empty).
 */
export function renderedYamlProblem(rendered: string): string | undefined {
  const document = parseDocument(rendered, { version: '1.1', uniqueKeys: false });
  const [error] = document.errors;
  if (error) {
    const line = error.linePos?.[0].line ?? 1;
    const text = rendered.split('\n')[line - 1]?.trim() ?? '';
    return `line ${line} of the rendered document (${JSON.stringify(text)}): ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`;
  }
  const value: unknown = document.toJS();
  const isMapping = value !== null && typeof value === 'object' && !Array.isArray(value);
  if (/^#cloud-config\s*$/m.test(rendered.split('\n', 1)[0]) && value != null && !isMapping) {
    return `line 1: a #cloud-config document must be a YAML mapping, not ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}`;
  }
  return undefined;
}

/** A template refused because it would not give a node a document: the message names the line. */
export class InvalidTemplateError extends ValidationError {
  constructor(message: string) {
    super('template', message);
  }
}

/** The sample node templates are checked against (OpenCHAMI's validation values). */
function sampleNode(groupName: string, description: string | null, metaData: Record<string, unknown>): NodeIdentity {
  return {
    xname: 'x1000c0s0b0n0',
    nid: 1000,
    role: 'Compute',
    subRole: 'Worker',
    bootIp: '192.0.2.1',
    bootMac: '00:00:5e:00:53:01',
    interfaces: [
      {
        name: 'eth0',
        mac: '00:00:5e:00:53:01',
        description: 'Node Management Network',
        enabled: true,
        addresses: [{ address: '192.0.2.1', network: 'NMN' }],
      },
    ],
    groups: [{ name: groupName, cloudInit: { description, metaData, template: null } }],
    instanceInfo: {
      instanceId: 'x1000c0s0b0n0',
      localHostname: 'test-host',
      hostname: 'test-host',
      clusterName: null,
      region: null,
      availabilityZone: null,
      cloudProvider: null,
      instanceType: null,
      cloudInitBaseUrl: null,
      publicKeys: [],
    },
    clusterDefaults: {
      clusterName: 'test-cluster',
      shortName: 'tc',
      nidLength: 4,
      baseUrl: 'http://cloud-init.example:27777',
      cloudProvider: 'OpenCHAMI',
      region: 'test-region',
      availabilityZone: 'test-zone',
      publicKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLEKEY test@example'],
    },
  };
}

/**
 * Refuses a template that would not give the node a document: InvalidTemplateError
 * whose message names the line and the reason. A server-side template is rendered against a
 * sample node in the group (with the group's metaData); a client-side one is text only, and a
 * metadata-only group (no template) has nothing to check.
 */
export function validateTemplate(
  template: string | null,
  group: { name: string; description: string | null; metaData: Record<string, unknown> },
): void {
  if (!template || isClientTemplate(template)) return;
  const node = sampleNode(group.name, group.description, group.metaData);
  const meta = metaDataDocument(node, node.clusterDefaults?.baseUrl ?? '');
  let rendered: string;
  try {
    rendered = renderTemplate(template, templateContext(node, meta, group.metaData));
  } catch (error) {
    if (error instanceof TemplateError) throw new InvalidTemplateError(`${error.message} (the template does not render)`);
    throw error;
  }
  const problem = renderedYamlProblem(rendered);
  if (problem) throw new InvalidTemplateError(`${problem} (rendered with sample metadata, the template is not valid YAML)`);
}

/** The empty cloud-config: what a node gets for a group with nothing to say. */
export const EMPTY_CLOUD_CONFIG = '#cloud-config\n';

/**
 * The /{group}.yaml document for a member node: the empty cloud-config when the group has no
 * template (metadata-service answers an empty body for a metadata-only group, which the node
 * never asks for since vendor-data does not list it), the template as written when the node
 * renders it, else the template rendered for the node. A template that fails for this node
 * yields a valid empty document and the reason, for the log: metadata-service answers 500,
 * which aborts the node's boot (cloud-init treats #include failures as fatal).
 */
export function groupDocument(node: NodeIdentity, meta: MetaDataDocument, group: NodeGroup): { document: string; failure?: string } {
  const template = group.cloudInit?.template;
  if (!template) return { document: EMPTY_CLOUD_CONFIG };
  if (isClientTemplate(template)) return { document: template };
  let rendered: string;
  try {
    rendered = renderTemplate(template, templateContext(node, meta, group.cloudInit?.metaData ?? {}));
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    return { document: failedDocument(group.name), failure: error.message };
  }
  const problem = renderedYamlProblem(rendered);
  return problem ? { document: failedDocument(group.name), failure: problem } : { document: rendered };
}

function failedDocument(groupName: string): string {
  return `${EMPTY_CLOUD_CONFIG}# group ${groupName}: the template could not be rendered for this node; the gateway's log says why\n`;
}
