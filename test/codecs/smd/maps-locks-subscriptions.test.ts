// SMD node maps, power maps, locks and SCN subscriptions: /hsm/v2 is their only dialect.
import { describe, expect, it } from 'vitest';
import {
  decodeLockFilter,
  decodeNodeMapPut,
  decodeNodeMapsPost,
  decodePowerMapsPost,
  decodeSubscription,
  decodeSubscriptionPatch,
  lockFilterFromQuery,
  lockStatusesJson,
  nodeMapJson,
  nodeMapWriteError,
  powerMapJson,
  powerMapWriteError,
  reservationJson,
  SmdRuleError,
  subscriptionJson,
} from '../../../src/codecs/smd/index.js';
import { ConflictError } from '../../../src/domain/errors.js';

const query = (search: string) => {
  const params = new URLSearchParams(search);
  return { all: (n: string) => params.getAll(n), get: (n: string) => params.get(n) ?? undefined, has: (n: string) => params.has(n) };
};

describe('node maps', () => {
  it('writes sm.NodeMap without empty fields and reads it back', () => {
    const json = nodeMapJson({ xname: 'x1c0s0b0n0', nid: 12, role: 'Compute', subRole: null, nodeInfo: null } as never);
    expect(json).toEqual({ ID: 'x1c0s0b0n0', NID: 12, Role: 'Compute' });
    expect(decodeNodeMapPut(json, 'x1c0s0b0n0')).toMatchObject({ xname: 'x1c0s0b0n0', nid: 12, role: 'Compute' });
  });

  it('takes one map or a list, and words errors per form', () => {
    expect(decodeNodeMapsPost({ ID: 'x1', NID: 1 }).write).toBe('post-one');
    expect(decodeNodeMapsPost({ NodeMaps: [{ ID: 'x1', NID: 1 }] }).write).toBe('post-list');
    expect(() => decodeNodeMapsPost({ NodeMaps: [{ NID: 'one' }] })).toThrow(
      'json: cannot unmarshal string into Go struct field sm.NodeMap.NID of type int',
    );
    expect(
      (nodeMapWriteError('post-list', new SmdRuleError("NID '0' is out of range", 'BAD_USER_INPUT', 'nodeMaps.4')) as Error).message,
    ).toBe("couldn't validate map data at idx 4: NID '0' is out of range");
    expect((nodeMapWriteError('put', new ConflictError('nid', 'taken')) as SmdRuleError).code).toBe('CONFLICT');
  });
});

describe('power maps', () => {
  it('writes {id, poweredBy} and reads a bare array', () => {
    expect(powerMapJson({ xname: 'x1', poweredBy: [] })).toEqual({ id: 'x1' });
    expect(decodePowerMapsPost([{ id: 'x1', poweredBy: ['x2'] }])).toEqual([{ xname: 'x1', poweredBy: ['x2'] }]);
    expect(() => decodePowerMapsPost({ id: 'x1' })).toThrow('json: cannot unmarshal object into Go value of type []sm.PowerMap');
    expect(
      (powerMapWriteError('put', new SmdRuleError('poweredby is required', 'BAD_USER_INPUT', 'powerMaps.0.poweredBy')) as Error).message,
    ).toBe('poweredby is required in PUT body');
  });
});

describe('locks', () => {
  it('reads the lock filter, its lists lenient and its numbers strict', () => {
    expect(decodeLockFilter({ ComponentIDs: 'x1', ReservationDuration: 2 })).toMatchObject({ id: ['x1'], reservationDuration: 2 });
    expect(() => lockFilterFromQuery(query('reserved=maybe'))).toThrow("bad 'Reserved' query parameter: maybe");
  });

  it('writes times as Go writes time.RFC3339 (whole seconds), NotFound only when there is some', () => {
    const status = {
      id: 'x1',
      locked: false,
      reserved: true,
      creationTime: new Date('2025-01-01T00:00:00.250Z'),
      reservationDisabled: false,
    };
    expect(lockStatusesJson([status])).toEqual({
      Components: [{ ID: 'x1', Locked: false, Reserved: true, CreationTime: '2025-01-01T00:00:00Z', ReservationDisabled: false }],
    });
    expect(lockStatusesJson([], ['x9'])).toEqual({ Components: [], NotFound: ['x9'] });
    expect(reservationJson({ success: [{ id: 'x1', deputyKey: 'd' }], failure: [{ id: 'x2', reason: 'Locked' }] })).toEqual({
      Success: [{ ID: 'x1', DeputyKey: 'd' }],
      Failure: [{ ID: 'x2', Reason: 'Locked' }],
    });
  });
});

describe('SCN subscriptions', () => {
  it('writes sm.SCNSubscription without empty lists and reads its triggers back', () => {
    const json = subscriptionJson({
      id: 3,
      subscriber: 'hmnfd',
      url: 'http://h/scn',
      enabled: null,
      roles: [],
      subRoles: [],
      softwareStatus: [],
      states: ['Ready'],
    } as never);
    expect(json).toEqual({ ID: 3, Subscriber: 'hmnfd', States: ['Ready'], Url: 'http://h/scn' });
    expect(decodeSubscription(json)).toMatchObject({ subscriber: 'hmnfd', url: 'http://h/scn', states: ['Ready'] });
    expect(decodeSubscriptionPatch({ Op: 'add', Roles: ['Compute'] })).toMatchObject({ op: 'add', triggers: { roles: ['Compute'] } });
  });
});
