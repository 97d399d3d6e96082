/**
 * Vendors' settings (VendorDefinition.settings): durations read from flags and the environment, checked against
 * what each vendor declares, with the defaults filled in for what is not given.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VendorSetting } from '../../src/core/vendor-module.js';
import {
  formatDuration,
  parseDuration,
  resolveVendorSettings,
  settingEnvName,
  settingFlag,
} from '../../src/core/vendor-settings.js';
import type { SettingsOwner } from '../../src/core/vendor-settings.js';

const GRACE: VendorSetting = {
  flag: 'key-grace',
  description: 'grace',
  kind: 'duration',
  default: 600_000,
  max: 3_600_000,
};
const OWNERS: SettingsOwner[] = [
  { name: 'c1', settings: { keyGraceMs: GRACE } },
  { name: 'shodai', settings: {} },
];

describe('vendor settings', () => {
  it('reads durations as milliseconds, with or without a unit, and nothing else', () => {
    const read = ['600000', '500ms', '90s', '1.5m', '10m', '1h', ' 2s '].map(parseDuration);
    assert.deepEqual(read, [600_000, 500, 90_000, 90_000, 600_000, 3_600_000, 2000]);
    for (const bad of ['', '-1', '10 minutes', '1d', 'm', '1e3', '0x10'])
      assert.equal(parseDuration(bad), undefined, bad);
  });

  it('writes a duration in its largest exact unit', () => {
    assert.deepEqual([600_000, 90_000, 1500, 0, 3_600_000].map(formatDuration), [
      '10m',
      '90s',
      '1500ms',
      '0ms',
      '1h',
    ]);
  });

  it('names the flag and the environment variable after the vendor and the setting', () => {
    assert.equal(settingFlag('c1', GRACE), '--c1-key-grace');
    assert.equal(settingEnvName('c1', GRACE), 'C1_KEY_GRACE');
  });

  it('fills in the defaults and keeps what is given', () => {
    assert.deepEqual(
      [...resolveVendorSettings(OWNERS)],
      [
        ['c1', { keyGraceMs: 600_000 }],
        ['shodai', {}],
      ],
    );
    assert.deepEqual(resolveVendorSettings(OWNERS, { c1: { keyGraceMs: 0 } }).get('c1'), { keyGraceMs: 0 });
  });

  it('refuses an unmounted vendor, an unknown setting and a value out of range, naming each', () => {
    assert.throws(() => resolveVendorSettings(OWNERS, { acme: {} }), {
      message: 'vendorSettings: no vendor "acme" is mounted (c1, shodai)',
    });
    assert.throws(() => resolveVendorSettings(OWNERS, { shodai: { keyGraceMs: 1 } }), {
      message: 'vendorSettings.shodai: no setting "keyGraceMs" (shodai has none)',
    });
    assert.throws(() => resolveVendorSettings(OWNERS, { c1: { toString: 1 } }), {
      message: 'vendorSettings.c1: no setting "toString" (it has keyGraceMs)',
    });
    for (const value of [-1, 3_600_001, Number.NaN, Number.POSITIVE_INFINITY])
      assert.throws(() => resolveVendorSettings(OWNERS, { c1: { keyGraceMs: value } }), {
        message: 'vendorSettings.c1.keyGraceMs must be a number of milliseconds from 0 to 3600000 (1h)',
      });
  });
});
