// RFD 112's properties-key rule and its HPCM → OpenCHAMI key transformation table.
import { describe, expect, it } from 'vitest';
import { isValidPropertyKey, PropertyKeyError, toPropertyKey, validateProperties } from '../../src/domain/property-keys.js';

describe('toPropertyKey', () => {
  it.each([
    ['biosBootMode', 'bios_boot_mode'],
    ['operationalStatus', 'operational_status'],
    ['rootFs', 'root_fs'],
    ['CONSERVER_LOGGING', 'conserver_logging'],
    ['dns_domain', 'dns_domain'],
    ['Wake-up Type', 'wake_up_type'],
    ['SKU Number', 'sku_number'],
    ['bios.Release Date', 'bios.release_date'],
  ])('turns %j into %j, a valid key', (from, to) => {
    expect(toPropertyKey(from)).toBe(to);
    expect(isValidPropertyKey(to)).toBe(true);
  });
});

describe('validateProperties', () => {
  it('names every bad key', () => {
    const error = (() => {
      try {
        validateProperties({ ok_key: 1, biosBootMode: 'UEFI', 'Wake-up Type': 'x', 'bios..date': 2 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PropertyKeyError);
    expect((error as PropertyKeyError).keys).toEqual(['biosBootMode', 'Wake-up Type', 'bios..date']);
  });
});
