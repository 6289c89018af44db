// The SMD rules the codec and the services share as values (src/domain): SMD's FRUID.
import { describe, expect, it } from 'vitest';
import { HARDWARE_TYPES, standardFruId } from '../../../src/domain/smd-hardware.js';

describe("SMD's hardware rules", () => {
  it('builds the standard FRUID from the cleaned parts, else FRUIDfor<xname>', () => {
    expect(standardFruId('Memory', 'x1c0s0b0n0d0', 'Hynix', 'HMA-84GR', 'S/N 1')).toBe('Memory.Hynix.HMA84GR.SN1');
    expect(standardFruId('Memory', 'x1c0s0b0n0d0', 'Hynix', null, null)).toBe('FRUIDforx1c0s0b0n0d0');
    expect(standardFruId('Memory', 'x1', 'M'.repeat(300), null, 'S')).toBe('FRUIDforx1');
  });

  it('keeps inventory for nodes and their parts, not for every HMS type', () => {
    expect(HARDWARE_TYPES).toContain('Processor');
    expect(HARDWARE_TYPES).not.toContain('NodeInterface');
  });
});
