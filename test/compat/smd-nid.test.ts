// NIDs are 64-bit, as in SMD (Go int64; its own contract tests map nodes to NID 9999999999):
// BIGINT columns on both engines, JSON numbers on the wire. JavaScript holds integers exactly
// only up to 2^53-1, so that is the largest NID taken; a larger one is refused naming the
// field instead of being stored as a neighbouring number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectSmdMessage, smdClient } from '../support/smd.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

const smd = smdClient(() => gw);
const BIG = 9_999_999_999; // above 2^32
const LARGEST = Number.MAX_SAFE_INTEGER; // 2^53-1

describe('Defaults/NodeMaps with 64-bit NIDs', () => {
  it('maps nodes that do not exist yet to NIDs above 2^31 and reads them back as numbers', async () => {
    expectSmdMessage(
      await smd('POST', '/Defaults/NodeMaps', {
        NodeMaps: [
          { ID: 'x7000c7s7b0n0', NID: BIG, Role: 'Compute' },
          { ID: 'x7000c7s7b0n1', NID: BIG - 1 },
        ],
      }),
      'Created or modified 2 entries',
    );
    const one = await smd('GET', '/Defaults/NodeMaps/x7000c7s7b0n0');
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ ID: 'x7000c7s7b0n0', NID: BIG, Role: 'Compute' });
    expect(one.text).toContain(`"NID":${BIG}`);
    const all = await smd('GET', '/Defaults/NodeMaps');
    expect(all.body.NodeMaps.map((m: { NID: number }) => m.NID)).toEqual([BIG - 1, BIG]);
  });

  it('refuses a second node on the same 64-bit NID with 409', async () => {
    const reply = await smd('PUT', '/Defaults/NodeMaps/x7000c7s7b0n2', { NID: BIG });
    expect(reply.status).toBe(409);
    expect(await gw.db.prisma.nodeMap.count({ where: { xname: 'x7000c7s7b0n2' } })).toBe(0);
  });

  it('takes 2^53-1 and refuses 2^53 naming the NID', async () => {
    expect((await smd('PUT', '/Defaults/NodeMaps/x7000c7s7b0n3', { NID: LARGEST })).status).toBe(200);
    expect((await smd('GET', '/Defaults/NodeMaps/x7000c7s7b0n3')).body.NID).toBe(LARGEST);
    const reply = await smd('PUT', '/Defaults/NodeMaps/x7000c7s7b0n4', { NID: LARGEST + 1 });
    expect(reply.status).toBe(400);
    expect(reply.body.detail).toMatch(/NID '9007199254740992' is out of range/);
  });

  it('gives a node created without a NID the NID of its map', async () => {
    const created = await smd('POST', '/State/Components', { Components: [{ ID: 'x7000c7s7b0n0', State: 'On' }] });
    expect(created.status).toBe(204);
    expect((await smd('GET', '/State/Components/x7000c7s7b0n0')).body).toMatchObject({ NID: BIG, Role: 'Compute' });
  });
});

describe('State/Components with 64-bit NIDs', () => {
  it('stores, finds by NID and filters by NID range above 2^31', async () => {
    const created = await smd('POST', '/State/Components', {
      Components: [{ ID: 'x7001c0s0b0n0', State: 'Ready', NID: BIG + 10, Role: 'Compute' }],
    });
    expect(created.status).toBe(204);
    expect((await smd('GET', '/State/Components/x7001c0s0b0n0')).body.NID).toBe(BIG + 10);
    const byNid = await smd('GET', `/State/Components/ByNID/${BIG + 10}`);
    expect(byNid.status).toBe(200);
    expect(byNid.body.ID).toBe('x7001c0s0b0n0');
    const ranged = await smd('GET', `/State/Components?nid_start=${BIG + 5}&nid_end=${BIG + 15}`);
    expect(ranged.body.Components.map((c: { ID: string }) => c.ID)).toEqual(['x7001c0s0b0n0']);
    const query = await smd('POST', '/State/Components/ByNID/Query', { NIDRanges: [`${BIG + 9}-${BIG + 11}`] });
    expect(query.body.Components.map((c: { ID: string }) => c.ID)).toEqual(['x7001c0s0b0n0']);
  });

  it('renumbers with BulkNID and keeps NIDs unique among live components', async () => {
    await smd('POST', '/State/Components', { Components: [{ ID: 'x7001c0s0b0n1', State: 'Ready', NID: 5 }] });
    const clash = await smd('PATCH', '/State/Components/BulkNID', { Components: [{ ID: 'x7001c0s0b0n1', NID: BIG + 10 }] });
    expect(clash.status).toBe(409);
    const moved = await smd('PATCH', '/State/Components/BulkNID', { Components: [{ ID: 'x7001c0s0b0n1', NID: BIG + 11 }] });
    expect(moved.status).toBe(204);
    expect((await smd('GET', '/State/Components/x7001c0s0b0n1')).body.NID).toBe(BIG + 11);
  });

  it('a PATCH to the NID it already has changes nothing: no revision, no event', async () => {
    const revision = async () => (await gw.db.prisma.component.findFirstOrThrow({ where: { xname: 'x7001c0s0b0n1' } })).revision;
    const events = () => gw.db.prisma.changeEvent.count();
    const [before, logged] = [await revision(), await events()];
    const same = await smd('PATCH', '/State/Components/BulkNID', { Components: [{ ID: 'x7001c0s0b0n1', NID: BIG + 11 }] });
    expect(same.status).toBe(204);
    expect(await revision()).toBe(before);
    expect(await events()).toBe(logged);
  });

  it('GraphQL reads a 32-bit NID as Int', async () => {
    await smd('PATCH', '/State/Components/BulkNID', { Components: [{ ID: 'x7001c0s0b0n1', NID: 77 }] });
    expect((await gw.gql('{ component(xname: "x7001c0s0b0n1") { nid } }')).data?.component.nid).toBe(77);
  });
});
