/**
 * The events that do not carry a task: an automation's Run webhook step (c1.webhooks.v1.PayloadWorkflowStep)
 * and a finding routed to a webhook dispatcher (c1.webhooks.v1.PayloadFindingDispatch).
 */
import type { EventGenerationContext } from '../../../core/event-catalogue.js';
import { hex } from '../../../core/ids.js';
import { newC1Id } from '../state.js';
import { APPS, MANAGERS, PEOPLE, pick, pickNumber } from './samples.js';
import { protoTimestamp } from './scene.js';
import { C1_EVENT, typeUrl } from './types.js';
import type { C1FindingDispatchPayload, C1WorkflowStepPayload, JsonObject } from './types.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * An automation triggered by a new hire, at its Run webhook step after a lookup step. The context is what the
 * automation's expressions read as `ctx`: `ctx.trigger` (the event that started it) and one entry per
 * completed step, with snake_case fields as C1's workflow expressions show them (`ctx.trigger.user.display_name`).
 */
export function workflowStepPayload(ctx: EventGenerationContext): C1WorkflowStepPayload {
  const person = pick(ctx.ids, PEOPLE);
  const manager = pick(ctx.ids, MANAGERS);
  const userId = newC1Id(ctx.ids);
  const managerId = newC1Id(ctx.ids);
  const now = ctx.clock.now();
  const context: JsonObject = {
    trigger: {
      type: 'USER_CREATED',
      occurred_at: protoTimestamp(new Date(now.getTime() - 3 * MINUTE)),
      user: {
        id: userId,
        display_name: person.displayName,
        email: person.email,
        department: person.department,
        job_title: person.jobTitle,
        status: 'ENABLED',
      },
    },
    look_up_manager: {
      manager: { id: managerId, display_name: manager.displayName, email: manager.email },
    },
  };
  return {
    '@type': typeUrl(C1_EVENT.workflowStep),
    workflowId: newC1Id(ctx.ids),
    workflowExecutionId: String(pickNumber(ctx.ids, 100_000, 9_999_999)),
    workflowExecutionStepId: newC1Id(ctx.ids),
    context,
  };
}

/** c1.api.finding.v1.Finding (a detector's, so without the custom findings' description). */
function unownedServiceAccount(
  ctx: EventGenerationContext,
  ids: { finding: string; app: string },
  appName: string,
): JsonObject {
  const now = ctx.clock.now().getTime();
  const firstSeen = protoTimestamp(new Date(now - 6 * DAY));
  const score = pickNumber(ctx.ids, 60, 89);
  return {
    id: ids.finding,
    appId: ids.app,
    serviceAccountUnowned: {},
    appUserTarget: { appId: ids.app, appUserId: newC1Id(ctx.ids) },
    severity: 'FINDING_SEVERITY_HIGH',
    state: 'FINDING_STATE_OPEN',
    sourceKind: 'FINDING_SOURCE_KIND_DETECTOR',
    sourceDetectorId: newC1Id(ctx.ids),
    fingerprint: hex(ctx.ids, 16),
    remediationDescription:
      'Assign a primary owner to the service account, or disable it if nobody needs it.',
    computedOwner: { appOwnerAppId: ids.app },
    riskScore: {
      score,
      systemScore: score,
      originalScore: score,
      riskFactors: [
        {
          name: 'Privileged access',
          description: `The account holds an administrator entitlement in ${appName}.`,
          severity: 'FINDING_SEVERITY_HIGH',
          weight: 40,
        },
        {
          name: 'No owner',
          description: 'Nobody is accountable for the account.',
          severity: 'FINDING_SEVERITY_MEDIUM',
          weight: 25,
        },
      ],
    },
    recurrenceCount: 1,
    firstObservedAt: firstSeen,
    lastObservedAt: protoTimestamp(new Date(now - 20 * MINUTE)),
    createdAt: firstSeen,
    updatedAt: protoTimestamp(new Date(now - 20 * MINUTE)),
  };
}

/**
 * An unowned service account with admin rights, routed to a webhook dispatcher whose payload template renders
 * a chat message (a dispatcher on the default payload would leave `payloadTemplate` out).
 */
export function findingDispatchPayload(ctx: EventGenerationContext): C1FindingDispatchPayload {
  const ids = { finding: newC1Id(ctx.ids), app: newC1Id(ctx.ids) };
  const app = pick(ctx.ids, APPS);
  const finding = unownedServiceAccount(ctx, ids, app.displayName);
  return {
    '@type': typeUrl(C1_EVENT.findingDispatch),
    dispatchId: newC1Id(ctx.ids),
    finding,
    findingId: ids.finding,
    payloadTemplate: JSON.stringify({
      text: `[HIGH] Unowned service account deploy-bot in ${app.displayName} (finding ${ids.finding})`,
      severity: 'high',
    }),
    ruleId: newC1Id(ctx.ids),
  };
}
