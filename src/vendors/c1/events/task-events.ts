/**
 * The task events: provision step, policy approval step and policy post action. Each carries a grant task as
 * C1's GetTask returns it (c1.api.task.v1.TaskView) and the objects it expands. All three follow one policy —
 * manager approval, then a webhook approval step, then webhook provisioning — at the stage the event fires.
 */
import type { EventGenerationContext } from '../../../core/event-catalogue.js';
import { expandGrant } from './expanded.js';
import type { GrantScene } from './scene.js';
import { grantScene, minutesBefore, protoTimestamp } from './scene.js';
import { C1_EVENT, typeUrl } from './types.js';
import type {
  C1PolicyApprovalStepPayload,
  C1PolicyPostActionPayload,
  C1ProvisionStepPayload,
  C1Task,
  C1TaskView,
  JsonObject,
} from './types.js';

/** Where the request stands when the event fires. */
type Stage = 'approval-step' | 'provision-step' | 'post-action';

/** Minutes before the event at which things happened. */
const CREATED = 95;
const MANAGER_APPROVED = 40;
const WEBHOOK_APPROVED = 2;

function entitlementRefs(scene: GrantScene): JsonObject[] {
  return [{ appId: scene.ids.app, appEntitlementId: scene.ids.entitlement }];
}

/** What each of the policy's steps is configured to do (the insides of c1.api.policy.v1.PolicyStep). */
function stepConfigs(
  scene: GrantScene,
): Record<'managerApproval' | 'webhookApproval' | 'provision', JsonObject> {
  return {
    managerApproval: { manager: { fallback: true }, allowReassignment: true, requireDenialReason: true },
    webhookApproval: { webhook: { webhookId: scene.ids.approvalWebhook } },
    provision: { provisionPolicy: { webhook: { webhookId: scene.ids.provisionWebhook } } },
  };
}

/** What a provision step instance provisions: this task's app, entitlement, app user and duration. */
function provisionTarget(scene: GrantScene): JsonObject {
  return {
    appId: scene.ids.app,
    appEntitlementId: scene.ids.entitlement,
    appUserId: scene.ids.appUser,
    grantDuration: scene.grantDuration,
  };
}

/** c1.api.policy.v1.Policy: the grant policy the task follows. */
function policy(scene: GrantScene): JsonObject {
  const { managerApproval, webhookApproval, provision } = stepConfigs(scene);
  const policySteps: JsonObject[] = [
    { approval: managerApproval },
    { approval: webhookApproval },
    { provision },
  ];
  return {
    id: scene.ids.policy,
    displayName: `${scene.app.displayName} privileged access`,
    description:
      'Manager approval, then a check against the HR system by webhook, then provisioning by webhook.',
    policyType: 'POLICY_TYPE_GRANT',
    policySteps: { grant: { steps: policySteps } },
    createdAt: minutesBefore(scene.now, 200 * 24 * 60),
    updatedAt: minutesBefore(scene.now, 45 * 24 * 60),
  };
}

/** The step instances (c1.api.policy.v1.PolicyStepInstance) the task has gone through or is in. */
function stepInstances(scene: GrantScene): Record<'manager' | 'webhookActive' | 'webhookDone', JsonObject> {
  const { managerApproval, webhookApproval } = stepConfigs(scene);
  const base = (id: string, done: boolean): JsonObject => ({
    id,
    policyGenerationId: scene.ids.policyGeneration,
    state: done ? 'POLICY_STEP_STATE_DONE' : 'POLICY_STEP_STATE_ACTIVE',
  });
  const webhookAssigned = { ...webhookApproval, assigned: true };
  return {
    manager: {
      ...base(scene.ids.managerStep, true),
      approval: {
        approval: { ...managerApproval, manager: { fallback: true, assignedUserIds: [scene.ids.approver] } },
        approved: {
          approvedAt: minutesBefore(scene.now, MANAGER_APPROVED),
          userId: scene.ids.approver,
          entitlements: entitlementRefs(scene),
        },
        assignedAt: minutesBefore(scene.now, CREATED),
        state: 'APPROVAL_INSTANCE_STATE_DONE',
      },
    },
    webhookActive: {
      ...base(scene.ids.webhookStep, false),
      approval: {
        approval: webhookAssigned,
        assignedAt: minutesBefore(scene.now, 0),
        state: 'APPROVAL_INSTANCE_STATE_WAITING',
      },
    },
    webhookDone: {
      ...base(scene.ids.webhookStep, true),
      approval: {
        approval: webhookAssigned,
        approved: {
          approvedAt: minutesBefore(scene.now, WEBHOOK_APPROVED),
          entitlements: entitlementRefs(scene),
        },
        assignedAt: minutesBefore(scene.now, MANAGER_APPROVED),
        state: 'APPROVAL_INSTANCE_STATE_DONE',
      },
    },
  };
}

/** The provision step instance: waiting on the webhook, or completed. */
function provisionInstance(scene: GrantScene, done: boolean): JsonObject {
  const { provision } = stepConfigs(scene);
  return {
    id: scene.ids.provisionStep,
    policyGenerationId: scene.ids.policyGeneration,
    state: done ? 'POLICY_STEP_STATE_DONE' : 'POLICY_STEP_STATE_ACTIVE',
    provision: {
      provision: { ...provision, provisionTarget: provisionTarget(scene), assigned: true },
      ...(done
        ? { completed: { completedAt: protoTimestamp(scene.now), entitlements: entitlementRefs(scene) } }
        : {}),
      state: done ? 'PROVISION_INSTANCE_STATE_DONE' : 'PROVISION_INSTANCE_STATE_WEBHOOK',
      webhookId: scene.ids.provisionWebhook,
    },
  };
}

/** c1.api.policy.v1.PolicyInstance at the stage: history, the current step and what comes next. */
function policyInstance(scene: GrantScene, stage: Stage): JsonObject {
  const instances = stepInstances(scene);
  const instance: JsonObject = { policy: policy(scene) };
  if (stage === 'approval-step') {
    instance.current = instances.webhookActive;
    instance.history = [instances.manager];
    instance.next = [{ provision: stepConfigs(scene).provision }];
  } else if (stage === 'provision-step') {
    instance.current = provisionInstance(scene, false);
    instance.history = [instances.manager, instances.webhookDone];
  } else {
    instance.history = [instances.manager, instances.webhookDone, provisionInstance(scene, true)];
  }
  return instance;
}

/** c1.api.task.v1.Task: the grant request. */
function grantTask(scene: GrantScene, stage: Stage): C1Task {
  const { ids, now } = scene;
  const closed = stage === 'post-action';
  return {
    id: ids.task,
    numericId: scene.numericId,
    displayName: `Grant ${scene.entitlement.displayName} in ${scene.app.displayName} to ${scene.requester.displayName}`,
    description: scene.justification,
    userId: ids.user,
    createdByUserId: ids.user,
    type: {
      grant: {
        appId: ids.app,
        appEntitlementId: ids.entitlement,
        appUserId: ids.appUser,
        identityUserId: ids.user,
        grantDuration: scene.grantDuration,
        ...(closed ? { outcome: 'GRANT_OUTCOME_GRANTED', outcomeTime: protoTimestamp(now) } : {}),
      },
    },
    policy: policyInstance(scene, stage),
    policyGenerationId: ids.policyGeneration,
    state: closed ? 'TASK_STATE_CLOSED' : 'TASK_STATE_OPEN',
    processing: closed ? 'TASK_PROCESSING_TYPE_DONE' : 'TASK_PROCESSING_TYPE_WAITING',
    origin: 'TASK_ORIGIN_WEBAPP',
    approverIds: [ids.approver],
    commentCount: 1,
    createdAt: minutesBefore(now, CREATED),
    updatedAt: protoTimestamp(now),
  };
}

/** The taskView and expanded objects of a grant task at `stage`. */
function taskPayload(
  ctx: EventGenerationContext,
  stage: Stage,
): Pick<C1ProvisionStepPayload, 'taskView' | 'expanded'> {
  const scene = grantScene(ctx);
  const { expanded, paths } = expandGrant(scene, true);
  const taskView: C1TaskView = { task: grantTask(scene, stage), ...paths };
  return { taskView, expanded };
}

export function provisionStepPayload(ctx: EventGenerationContext): C1ProvisionStepPayload {
  return { '@type': typeUrl(C1_EVENT.provisionStep), ...taskPayload(ctx, 'provision-step') };
}

export function policyApprovalStepPayload(ctx: EventGenerationContext): C1PolicyApprovalStepPayload {
  return { '@type': typeUrl(C1_EVENT.policyApprovalStep), ...taskPayload(ctx, 'approval-step') };
}

export function policyPostActionPayload(ctx: EventGenerationContext): C1PolicyPostActionPayload {
  return { '@type': typeUrl(C1_EVENT.policyPostAction), ...taskPayload(ctx, 'post-action') };
}
