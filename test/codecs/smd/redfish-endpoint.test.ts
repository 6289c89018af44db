// SMD Redfish endpoints: the password never shown, SMD's derivation of the xname, one decoder
// in two dialects, the POST/PUT/PATCH bodies and the discovery payload they may carry.
import { describe, expect, it } from 'vitest';
import {
  decodeRedfishEndpoint,
  decodeRedfishEndpointPatch,
  decodeRedfishEndpointPut,
  decodeRedfishEndpointsPost,
  REDFISH_ENDPOINT_TEXTS,
  redfishEndpointJson,
  redfishEndpointWriteError,
  type SmdRuleError,
} from '../../../src/codecs/smd/index.js';
import { ConflictError, ValidationError } from '../../../src/domain/errors.js';
import type { RedfishEndpointView } from '../../../src/services/smd/index.js';

const row = {
  xname: 'x1000c0s0b0',
  type: 'NodeBMC',
  name: null,
  hostname: 'bmc0',
  domain: 'hmn',
  fqdn: 'bmc0.hmn',
  enabled: true,
  uuid: null,
  username: 'root',
  useSsdp: false,
  macRequired: false,
  macAddr: 'aa:bb:cc:dd:ee:ff',
  ipAddress: null,
  rediscoverOnUpdate: true,
  templateId: null,
  discoveryInfo: { LastDiscoveryStatus: 'DiscoverOK', RedfishVersion: '1.7.0', Other: 'dropped' },
} as unknown as RedfishEndpointView;

describe('endpoint JSON', () => {
  it("writes rf.RedfishEPDescription with an empty password and SMD's DiscoveryInfo", () => {
    const json = redfishEndpointJson(row);
    expect(json).toMatchObject({ ID: 'x1000c0s0b0', Type: 'NodeBMC', User: 'root', Password: '', MACAddr: 'aa:bb:cc:dd:ee:ff' });
    expect(json.DiscoveryInfo).toEqual({ LastDiscoveryStatus: 'DiscoverOK', RedfishVersion: '1.7.0' });
    expect(json).not.toHaveProperty('Name');
  });

  it('reads back what it writes, keeping the stored password (an empty one is not given)', () => {
    const input = decodeRedfishEndpoint(redfishEndpointJson(row), 'lenient');
    expect(input).toMatchObject({ xname: 'x1000c0s0b0', hostname: 'bmc0', username: 'root', macAddr: 'aa:bb:cc:dd:ee:ff', enabled: true });
    expect(input).not.toHaveProperty('password');
    expect(decodeRedfishEndpoint(redfishEndpointJson(row), 'strict').password).toBeUndefined();
  });
});

describe('the two dialects', () => {
  it('strict derives the xname from a dotless Hostname or the FQDN, as SMD', () => {
    expect(decodeRedfishEndpoint({ Hostname: 'X1C0S0B0' }, 'strict').xname).toBe('x1c0s0b0');
    expect(decodeRedfishEndpoint({ FQDN: 'x1c0s0b1.hmn.example' }, 'strict').xname).toBe('x1c0s0b1');
    expect(() => decodeRedfishEndpoint({}, 'strict')).toThrow("couldn't validate endpoint data: No xname ID found");
    expect(() => decodeRedfishEndpoint({ ID: 'x1c0s0b0n0' }, 'strict', { idx: 2 })).toThrow(
      "couldn't validate endpoint data at idx 2: xname ID x1c0s0b0n0 has wrong type for RF endpoint: Node",
    );
  });

  it('lenient keeps the ID as given for the service to check, "" clears, DiscoveryInfo is read', () => {
    expect(decodeRedfishEndpoint({ ID: 'whatever', Name: '', DiscoveryInfo: { a: 1 } }, 'lenient')).toEqual({
      xname: 'whatever',
      name: null,
      discoveryInfo: { a: 1 },
    });
  });
});

describe('/hsm/v2 bodies', () => {
  it('tells one endpoint with its discovery payload from a list', () => {
    const one = decodeRedfishEndpointsPost({
      ID: 'x1c0s0b0',
      SchemaVersion: 1,
      Systems: [{ uri: '/redfish/v1/Systems/1', actions: ['On'] }],
    });
    expect(one.kind).toBe('one');
    expect(one.kind === 'one' && one.inventory?.systems?.[0]).toMatchObject({ uri: '/redfish/v1/Systems/1', actions: ['On'] });
    const list = decodeRedfishEndpointsPost({ RedfishEndpoints: [{ ID: 'x1c0s0b0' }, { ID: 'x1c0s0b1' }] });
    expect(list.kind === 'list' && list.inputs.map((i) => i.xname)).toEqual(['x1c0s0b0', 'x1c0s0b1']);
    expect(decodeRedfishEndpointsPost({})).toEqual({ kind: 'list', inputs: [] });
  });

  it("PUT takes the URL's xname; PATCH gives only the fields sent", () => {
    expect(decodeRedfishEndpointPut({ User: 'admin' }, 'X1C0S0B0').input).toMatchObject({ xname: 'x1c0s0b0', username: 'admin' });
    expect(() => decodeRedfishEndpointPut({ ID: 'x1c0s0b1' }, 'x1c0s0b0')).toThrow('xname in URL and PUT body do not match');
    expect(decodeRedfishEndpointPatch({ Enabled: false, Password: '' }, 'x1c0s0b0')).toEqual({
      xname: 'x1c0s0b0',
      fields: { enabled: false },
    });
    expect(() => decodeRedfishEndpointPatch({}, 'x1c0s0b0n0')).toThrow('No such entry: x1c0s0b0n0');
    expect(() => decodeRedfishEndpointPatch({}, 'bad')).toThrow(REDFISH_ENDPOINT_TEXTS.badUrlXname);
  });
});

describe("SMD's wording per route", () => {
  it('answers a duplicate endpoint as SMD, and names the list index of a bad item', () => {
    const conflict = redfishEndpointWriteError('post-one', new ConflictError('xname', 'taken')) as SmdRuleError;
    expect([conflict.code, conflict.message]).toEqual(['CONFLICT', REDFISH_ENDPOINT_TEXTS.conflictNew]);
    expect(
      (redfishEndpointWriteError('post-list', new ValidationError('RedfishEndpoints.3.ipAddress', 'not an IP')) as Error).message,
    ).toBe("couldn't validate endpoint data at idx 3: not an IP");
    expect((redfishEndpointWriteError('put', new ConflictError('fqdn', 'taken')) as Error).message).toBe(
      REDFISH_ENDPOINT_TEXTS.conflictFqdn,
    );
  });
});
