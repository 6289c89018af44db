// No error repeats a large value back: a 10 MB field sent to a create gets an error of a few KB
// that still names the field, whichever family answers. The excerpt helpers underneath.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InventoryError, ValidationError } from '../../src/domain/errors.js';
import { boundedMessage, excerpt, MAX_MESSAGE_CHARS, quoted } from '../../src/domain/excerpt.js';
import { PropertyKeyError } from '../../src/domain/property-keys.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

const TEN_MB = 10 * 1024 * 1024;
const huge = (char = 'x') => char.repeat(TEN_MB);
/** What "a few KB" means here. */
const FEW_KB = 4 * 1024;

describe('excerpts', () => {
  it('keeps short values whole and cuts long ones to 64 characters and their size', () => {
    expect(excerpt('abc')).toBe('abc');
    expect(excerpt('x'.repeat(64))).toBe('x'.repeat(64));
    expect(excerpt('x'.repeat(65))).toBe(`${'x'.repeat(64)}…(65 bytes)`);
    expect(excerpt('é'.repeat(100))).toBe(`${'é'.repeat(64)}…(200 bytes)`);
  });

  it('never splits a surrogate pair', () => {
    const text = `${'x'.repeat(63)}😀${'y'.repeat(10)}`;
    expect(excerpt(text)).toBe(`${'x'.repeat(63)}…(77 bytes)`);
  });

  it('quotes values as JSON, cutting long ones', () => {
    expect(quoted('abc')).toBe('"abc"');
    expect(quoted(42)).toBe('42');
    expect(quoted(undefined)).toBe('undefined');
    expect(quoted({ a: 1 })).toBe('{"a":1}');
    expect(quoted(10n)).toBe('10');
    expect(quoted(huge())).toBe(`"${'x'.repeat(64)}"…(${TEN_MB} bytes)`);
    expect(quoted(Array.from({ length: 1000 }, (_, i) => i)).length).toBeLessThan(100);
  });

  it('bounds a whole message, keeping its start and its end', () => {
    expect(boundedMessage('short')).toBe('short');
    const message = `name: ${huge()} is not a valid label: use only a-z`;
    const bounded = boundedMessage(message);
    expect(bounded.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(bounded).toMatch(/^name: x+…\(\d+ characters cut\)…x+ is not a valid label: use only a-z$/);
  });

  it('bounds every InventoryError message and field, whoever built it', () => {
    const error = new InventoryError('BAD_USER_INPUT', `got "${huge()}"`, `properties.${huge()}`);
    expect(error.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(error.field?.length).toBeLessThanOrEqual(256);
    expect(error.field).toMatch(/^properties\.x+…/);
    expect(new ValidationError('name', 'must be a string').message).toBe('name: must be a string');
  });

  it('names at most ten bad property keys, each as an excerpt', () => {
    const keys = [huge('K'), ...Array.from({ length: 10_000 }, (_, i) => `Bad${i}`)];
    const error = new PropertyKeyError('properties', keys);
    expect(error.keys).toHaveLength(10);
    expect(error.count).toBe(10_001);
    expect(error.keys[0]).toBe(`${'K'.repeat(64)}…(${TEN_MB} bytes)`);
    expect(error.message).toContain('and 9991 more');
    expect(error.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
  });
});

describe('a 10 MB field sent to a REST create', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  }, 60_000);
  afterAll(() => gw?.close());

  it.each([
    ['inventory/v1', '/apis/inventory/v1/devices', () => ({ deviceType: huge() }), 422, 'deviceType'],
    [
      'inventory/v1 property key',
      '/apis/inventory/v1/devices',
      () => ({ deviceType: 'Node', properties: { [huge('K')]: 1 } }),
      422,
      'properties',
    ],
    ['SMD', '/hsm/v2/State/Components', () => ({ Components: [{ ID: 'x1000c0s0b0n0', State: huge() }] }), 400, 'state'],
    ['SMD interfaces', '/hsm/v2/Inventory/EthernetInterfaces', () => ({ MACAddress: huge() }), 400, 'MAC'],
    ['Fabrica', '/components', () => ({ metadata: { name: 'n1' }, spec: { ID: huge() } }), 400, 'spec.ID'],
    ['NoCloud', '/cloud-init/groups', () => ({ metadata: { name: huge() }, spec: {} }), 400, 'name'],
    ['history', '/apis/history/v1/policy', () => ({ maxAgeDays: huge() }), 400, 'maxAgeDays'],
  ])('%s answers a short error naming the field', async (_family, path, body, status, field) => {
    const method = path.endsWith('/policy') ? 'PUT' : 'POST';
    const reply = await gw.rest(method, path, body());
    expect(reply.status, reply.text.slice(0, 300)).toBe(status);
    expect(reply.text.length).toBeLessThan(FEW_KB);
    expect(reply.text).toContain(field);
  });

  it('and a body with ten thousand bad property keys answers a short error too', async () => {
    const properties = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`Bad Key ${i}`, i]));
    const reply = await gw.rest('POST', '/apis/inventory/v1/devices', { deviceType: 'Node', properties });
    expect(reply.status).toBe(422);
    expect(reply.body.invalidParams).toHaveLength(10);
    expect(reply.body.detail).toContain('and 9990 more');
    expect(reply.text.length).toBeLessThan(FEW_KB);
  });

  it('GraphQL answers a short error too', async () => {
    const result = await gw.gql('mutation ($input: DeviceCreateInput!) { createDevice(input: $input) { id } }', {
      input: { deviceType: huge() },
    });
    expect(result.errors?.[0].extensions?.field).toBe('deviceType');
    expect(JSON.stringify(result).length).toBeLessThan(FEW_KB);
  });
});
