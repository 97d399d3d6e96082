/** The express app for the mock's own routes, made on the first request that needs it (not at start-up). */
import type { ScenarioEngine } from '../core/scenario-engine.js';
import type { NodeHandler } from '../http/listener.js';
import type { ActionDesk } from '../pipeline/action-desk.js';
import type { EventDesk } from '../pipeline/event-desk.js';
import type { MountedVendor } from '../pipeline/types.js';
import type { VendorAnswer, VendorCall } from './facade.js';
import type { Lifecycle } from './lifecycle.js';
import { isLoopback } from './options.js';
import type { ResolvedOptions } from './options.js';
import type { Services } from './services.js';

/** The scenario switches the admin API and the facade share. */
export function scenarioControl(scenarios: ScenarioEngine) {
  return {
    list: () => scenarios.list(),
    activate: (names: string[]) => scenarios.activate(names),
    deactivate: (names: string[]) => scenarios.deactivate(names),
    setActive: (names: string[]) => scenarios.setActive(names),
  };
}

export interface AdminAppParts {
  resolved: ResolvedOptions;
  services: Services;
  vendors: readonly MountedVendor[];
  lifecycle: Lifecycle;
  call(vendor: string, call: VendorCall): Promise<VendorAnswer>;
  events: EventDesk;
  actions: ActionDesk;
}

export function adminAppLoader(parts: AdminAppParts): () => Promise<NodeHandler> {
  const { resolved, services, vendors, lifecycle, call, events, actions } = parts;
  let app: Promise<NodeHandler> | undefined;
  return () =>
    (app ??= import('../http/app.js').then(({ createApp }) =>
      createApp({
        sink: services.sink,
        clock: resolved.clock,
        logger: resolved.logger,
        bodyLimitBytes: resolved.bodyLimitBytes,
        admin: {
          control: {
            reset: lifecycle.reset,
            scenarios: scenarioControl(services.pipeline.scenarios),
            requests: services.requests,
            deliveries: services.deliveries,
            clock: services.time,
            redeliver: (deliveryId) => services.engine.redeliver(deliveryId),
            dispatch: call,
            events,
            actions,
          },
          ...(resolved.adminToken === undefined ? {} : { token: resolved.adminToken }),
          refused: resolved.adminToken === undefined && !isLoopback(resolved.host),
          vendors,
        },
      }),
    ));
}
