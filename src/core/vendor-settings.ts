/**
 * Vendors' settings (VendorDefinition.settings): durations given on the command line (`--c1-key-grace 10m`), in
 * the environment (`C1_KEY_GRACE`) or to startMockServer (`vendorSettings: {c1: {keyGraceMs: 600000}}`),
 * checked against what each vendor declares, with its defaults filled in.
 */
import type { VendorName, VendorSetting } from './vendor-module.js';

/** Settings as given: by vendor, then by setting name (values in ms). */
export type VendorSettingsInput = Readonly<Record<VendorName, Readonly<Record<string, number>>>>;

/** Each vendor's settings, every declared one present (given or its default). */
export type ResolvedVendorSettings = ReadonlyMap<VendorName, Readonly<Record<string, number>>>;

/** What resolving needs of a vendor: its name and the settings it declares. */
export interface SettingsOwner {
  name: VendorName;
  settings: Readonly<Record<string, VendorSetting>>;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds from `600000`, `500ms`, `90s`, `1.5m` or `1h`; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (match === null) return undefined;
  return Math.round(Number(match[1]) * UNIT_MS[match[2] ?? 'ms']!);
}

/** The shortest exact way to write `ms`: `10m`, `90s`, `1500ms`. */
export function formatDuration(ms: number): string {
  for (const unit of ['h', 'm', 's'] as const) {
    const size = UNIT_MS[unit]!;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** The flag of a vendor's setting: `--c1-key-grace`. */
export function settingFlag(vendor: VendorName, setting: VendorSetting): string {
  return `--${vendor}-${setting.flag}`;
}

/** The environment variable of a vendor's setting: `C1_KEY_GRACE`. */
export function settingEnvName(vendor: VendorName, setting: VendorSetting): string {
  return `${vendor}_${setting.flag}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/** Why `value` cannot be the setting's value, or undefined when it can. */
export function settingProblem(setting: VendorSetting, value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > setting.max)
    return `must be a number of milliseconds from 0 to ${setting.max} (${formatDuration(setting.max)})`;
  return undefined;
}

/**
 * Every mounted vendor's settings: those given, checked, and the defaults for the rest. Throws a RangeError
 * naming the vendor, the setting and what is wrong, for an unmounted vendor, an unknown setting or a bad value.
 */
export function resolveVendorSettings(
  vendors: readonly SettingsOwner[],
  given: VendorSettingsInput = {},
): ResolvedVendorSettings {
  for (const [vendorName, values] of Object.entries(given)) {
    const vendor = vendors.find((candidate) => candidate.name === vendorName);
    if (vendor === undefined)
      throw new RangeError(
        `vendorSettings: no vendor "${vendorName}" is mounted (${vendors.map(({ name }) => name).join(', ')})`,
      );
    for (const [name, value] of Object.entries(values)) {
      const declared = Object.hasOwn(vendor.settings, name) ? vendor.settings[name] : undefined;
      const known = Object.keys(vendor.settings);
      if (declared === undefined)
        throw new RangeError(
          `vendorSettings.${vendorName}: no setting "${name}"` +
            (known.length === 0 ? ` (${vendorName} has none)` : ` (it has ${known.join(', ')})`),
        );
      const problem = settingProblem(declared, value);
      if (problem !== undefined) throw new RangeError(`vendorSettings.${vendorName}.${name} ${problem}`);
    }
  }
  return new Map(
    vendors.map((vendor) => {
      const values = Object.hasOwn(given, vendor.name) ? given[vendor.name] : undefined;
      return [
        vendor.name,
        Object.fromEntries(
          Object.entries(vendor.settings).map(([name, setting]) => [
            name,
            values !== undefined && Object.hasOwn(values, name) ? values[name]! : setting.default,
          ]),
        ),
      ];
    }),
  );
}
