/**
 * The vendors' settings as flags of the command line (`--c1-key-grace 10m`, env `C1_KEY_GRACE`): one flag per
 * setting a vendor declares, so a vendor's setting needs no line here.
 */
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import type { VendorSetting } from './core/vendor-module.js';
import type { VendorModule } from './core/vendor-runtime.js';
import {
  formatDuration,
  parseDuration,
  settingEnvName,
  settingFlag,
  settingProblem,
} from './core/vendor-settings.js';
import type { VendorSettingsInput } from './core/vendor-settings.js';

function durationArgument(setting: VendorSetting): (value: string) => number {
  return (value) => {
    const ms = parseDuration(value);
    if (ms === undefined)
      throw new InvalidArgumentError(
        'must be a duration: milliseconds, or a number with ms, s, m or h (90s, 10m)',
      );
    const problem = settingProblem(setting, ms);
    if (problem !== undefined) throw new InvalidArgumentError(problem);
    return ms;
  };
}

/**
 * Adds each vendor's settings to `program` as options; returns what reads them back from the parsed options
 * as startMockServer's `vendorSettings`.
 */
export function addVendorSettingOptions(
  program: Command,
  vendors: readonly VendorModule[],
): (options: Readonly<Record<string, unknown>>) => VendorSettingsInput {
  const added: { vendor: string; name: string; attribute: string }[] = [];
  for (const vendor of vendors) {
    for (const [name, setting] of Object.entries(vendor.settings)) {
      const option = new Option(`${settingFlag(vendor.name, setting)} <duration>`, setting.description)
        .env(settingEnvName(vendor.name, setting))
        .default(setting.default, formatDuration(setting.default))
        .argParser(durationArgument(setting));
      program.addOption(option);
      added.push({ vendor: vendor.name, name, attribute: option.attributeName() });
    }
  }
  return (options) => {
    const settings: Record<string, Record<string, number>> = {};
    for (const { vendor, name, attribute } of added) {
      const value = options[attribute];
      if (typeof value === 'number') (settings[vendor] ??= {})[name] = value;
    }
    return settings;
  };
}
