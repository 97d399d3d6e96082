/**
 * One access request as the C1 task events describe it: who asked for which entitlement of which app, who
 * approved it, and the IDs and times around it. Every event draws its own scene from the generation context.
 */
import type { EventGenerationContext } from '../../../core/event-catalogue.js';
import { newC1Id } from '../state.js';
import { APPS, JUSTIFICATIONS, MANAGERS, PEOPLE, pick, pickNumber } from './samples.js';
import type { AppSample, EntitlementSample, PersonSample } from './samples.js';

export interface GrantScene {
  now: Date;
  app: AppSample;
  entitlement: EntitlementSample;
  requester: PersonSample;
  approver: PersonSample;
  justification: string;
  /** A protobuf JSON duration: how long the access lasts. */
  grantDuration: string;
  /** The task's human-usable number (an int64, so a string). */
  numericId: string;
  ids: {
    app: string;
    appAccount: string;
    entitlement: string;
    resourceType: string;
    resource: string;
    appUser: string;
    user: string;
    approver: string;
    directory: string;
    task: string;
    policy: string;
    policyGeneration: string;
    approvalWebhook: string;
    provisionWebhook: string;
    managerStep: string;
    webhookStep: string;
    provisionStep: string;
  };
}

const GRANT_DURATIONS = ['28800s', '86400s', '604800s', '2592000s'] as const;

function sceneIds(ctx: EventGenerationContext): GrantScene['ids'] {
  const id = (): string => newC1Id(ctx.ids);
  return {
    app: id(),
    appAccount: id(),
    entitlement: id(),
    resourceType: id(),
    resource: id(),
    appUser: id(),
    user: id(),
    approver: id(),
    directory: id(),
    task: id(),
    policy: id(),
    policyGeneration: id(),
    approvalWebhook: id(),
    provisionWebhook: id(),
    managerStep: id(),
    webhookStep: id(),
    provisionStep: id(),
  };
}

export function grantScene(ctx: EventGenerationContext): GrantScene {
  const app = pick(ctx.ids, APPS);
  return {
    now: ctx.clock.now(),
    app,
    entitlement: pick(ctx.ids, app.entitlements),
    requester: pick(ctx.ids, PEOPLE),
    approver: pick(ctx.ids, MANAGERS),
    justification: pick(ctx.ids, JUSTIFICATIONS),
    grantDuration: pick(ctx.ids, GRANT_DURATIONS),
    numericId: String(pickNumber(ctx.ids, 1000, 99_999)),
    ids: sceneIds(ctx),
  };
}

const MINUTE = 60_000;

/**
 * A timestamp `minutesAgo` before the scene's moment, as protobuf JSON writes one: RFC 3339 in UTC, the
 * fraction of a second only when there is one.
 */
export function minutesBefore(now: Date, minutesAgo: number): string {
  return protoTimestamp(new Date(now.getTime() - minutesAgo * MINUTE));
}

export function protoTimestamp(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/** The name an app knows the person by: the email or the handle. */
export function usernameIn(app: AppSample, person: PersonSample): string {
  return app.usernameStyle === 'email' ? person.email : person.handle;
}
