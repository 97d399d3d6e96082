/**
 * The action desk: the vendors' own actions (VendorDefinition.actions, e.g. C1's `rotate-key`) — what the admin
 * API's `/__admin/vendors/{vendor}/actions/{name}` and `/__admin/{vendor}/{name}`, `mock.action()` and its
 * typed sugar (`mock.c1.rotateKey()`) share. It finds the vendor, runs the action on its current state and logs it.
 */
import type { Logger } from 'pino';
import { MockError } from '../core/errors.js';
import type { VendorName } from '../core/vendor-module.js';
import type { VendorActionSummary } from '../core/vendor-runtime.js';
import type { MountedVendor } from './types.js';

/** A vendor's actions, as listings show them. */
export interface VendorActions {
  vendor: VendorName;
  actions: VendorActionSummary[];
}

export interface ActionDesk {
  /** Every mounted vendor's actions, or one vendor's; throws a MockError `not-found` for an unmounted vendor. */
  list(vendor?: VendorName): VendorActions[];
  /**
   * Runs a vendor's action and resolves with its answer; throws a MockError: `not-found` for an unmounted
   * vendor or an action it does not have, `invalid-request` for a body the action cannot use.
   */
  run(vendor: VendorName, name: string, body?: unknown): Promise<unknown>;
}

function mounted(vendors: readonly MountedVendor[], name: VendorName): MountedVendor {
  const found = vendors.find(({ module }) => module.name === name);
  if (found === undefined)
    throw new MockError(
      'not-found',
      `no vendor "${name}" is mounted (${vendors.map(({ module }) => module.name).join(', ')})`,
    );
  return found;
}

export function createActionDesk(vendors: readonly MountedVendor[], logger: Logger): ActionDesk {
  return {
    list: (vendor) =>
      (vendor === undefined ? vendors : [mounted(vendors, vendor)]).map(({ module }) => ({
        vendor: module.name,
        actions: [...module.actions],
      })),
    run: async (vendor, name, body) => {
      const result = await mounted(vendors, vendor).runtime.runAction(name, body);
      logger.info({ vendor, action: name, result }, `${vendor} ${name}`);
      return result;
    },
  };
}
