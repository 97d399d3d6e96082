/**
 * The vocabulary of C1's events: their names, the `@type` of their payloads and the shapes the generators
 * make. Names and fields follow `specs/c1.openapi.yaml` (`webhooks:` and the `c1.webhooks.v1.*` messages).
 */

/** A JSON value, as payloads and response documents hold them. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/** Every event C1 sends: the body's `event`, the `Webhook-Event` header and the spec's `webhooks:` key. */
export const C1_EVENT = {
  test: 'c1.webhooks.v1.PayloadTest',
  provisionStep: 'c1.webhooks.v1.PayloadProvisionStep',
  policyApprovalStep: 'c1.webhooks.v1.PayloadPolicyApprovalStep',
  policyPostAction: 'c1.webhooks.v1.PayloadPolicyPostAction',
  workflowStep: 'c1.webhooks.v1.PayloadWorkflowStep',
  findingDispatch: 'c1.webhooks.v1.PayloadFindingDispatch',
} as const;

export type C1EventName = (typeof C1_EVENT)[keyof typeof C1_EVENT];

export const C1_EVENT_NAMES: readonly C1EventName[] = Object.values(C1_EVENT);

export function isC1EventName(name: string): name is C1EventName {
  return (C1_EVENT_NAMES as readonly string[]).includes(name);
}

/** The `@type` of a google.protobuf.Any holding a message: `type.googleapis.com/<message name>`. */
export type TypeUrl<Message extends string> = `type.googleapis.com/${Message}`;

export function typeUrl<Message extends string>(message: Message): TypeUrl<Message> {
  return `type.googleapis.com/${message}`;
}

/** The `@type`s of the objects C1 expands into task events (`expanded[]`). */
export const C1_EXPANDED_TYPE = {
  app: typeUrl('c1.api.app.v1.App'),
  appEntitlement: typeUrl('c1.api.app.v1.AppEntitlement'),
  appUser: typeUrl('c1.api.app.v1.AppUser'),
  user: typeUrl('c1.api.user.v1.User'),
} as const;

/** A google.protobuf.Any in JSON: the message's fields next to its `@type`. */
export interface C1AnyObject {
  '@type': string;
  [field: string]: Json;
}

/** A c1.api.task.v1.Task (the fields the generators fill; the rest as C1 leaves them out when unset). */
export interface C1Task {
  id: string;
  numericId: string;
  displayName: string;
  [field: string]: Json;
}

/**
 * The JSONPath fields of c1.api.task.v1.TaskView that the generators set, each `$.expanded[<index>]`, and the
 * `@type` of the object each points at.
 */
export const C1_TASK_VIEW_PATHS = {
  appPath: C1_EXPANDED_TYPE.app,
  entitlementsPath: C1_EXPANDED_TYPE.appEntitlement,
  appUserPath: C1_EXPANDED_TYPE.appUser,
  identityUserPath: C1_EXPANDED_TYPE.user,
  userPath: C1_EXPANDED_TYPE.user,
  createdByUserPath: C1_EXPANDED_TYPE.user,
  approversPath: C1_EXPANDED_TYPE.user,
} as const;

export type C1TaskViewPath = keyof typeof C1_TASK_VIEW_PATHS;

/** c1.api.task.v1.TaskView: the task and JSONPath pointers into the payload's `expanded`. */
export type C1TaskView = { task: C1Task } & Partial<Record<C1TaskViewPath, string>>;

interface C1TaskStepFields {
  taskView: C1TaskView;
  expanded: C1AnyObject[];
}

export interface C1TestPayload {
  '@type': TypeUrl<typeof C1_EVENT.test>;
}

export interface C1ProvisionStepPayload extends C1TaskStepFields {
  '@type': TypeUrl<typeof C1_EVENT.provisionStep>;
}

export interface C1PolicyApprovalStepPayload extends C1TaskStepFields {
  '@type': TypeUrl<typeof C1_EVENT.policyApprovalStep>;
}

export interface C1PolicyPostActionPayload extends C1TaskStepFields {
  '@type': TypeUrl<typeof C1_EVENT.policyPostAction>;
}

export interface C1WorkflowStepPayload {
  '@type': TypeUrl<typeof C1_EVENT.workflowStep>;
  /** The automation (workflow template) ID. */
  workflowId: string;
  /** An int64, so a decimal string in protobuf JSON. */
  workflowExecutionId: string;
  workflowExecutionStepId: string;
  /** The automation's context data (`ctx` in its expressions). */
  context: JsonObject;
}

export interface C1FindingDispatchPayload {
  '@type': TypeUrl<typeof C1_EVENT.findingDispatch>;
  dispatchId: string;
  finding: JsonObject;
  findingId: string;
  /** The dispatcher's rendered payload template; left out when the dispatcher uses the default payload. */
  payloadTemplate?: string;
  ruleId: string;
}

/** The `payload` of a C1 delivery, one per event. */
export type C1Payload =
  | C1TestPayload
  | C1ProvisionStepPayload
  | C1PolicyApprovalStepPayload
  | C1PolicyPostActionPayload
  | C1WorkflowStepPayload
  | C1FindingDispatchPayload;

/** The task events: their payloads carry a taskView and expanded objects. */
export type C1TaskStepPayload =
  C1ProvisionStepPayload | C1PolicyApprovalStepPayload | C1PolicyPostActionPayload;

/**
 * c1.api.webhooks.v1.WebhookSource, the `source` oneof of a WebhookInstance: which of these is set says what
 * fired the webhook. The finding dispatch has no variant in C1's document, so its source is empty (`{}`).
 */
export type C1WebhookSource =
  | { test: Record<string, never> }
  | { provisionStep: { ticketId: string } }
  | { approvalStep: { ticketId: string } }
  | { policyPostAction: { ticketId: string } }
  | { workflowStep: { workflowExecutionId: string; workflowStepId: string } }
  | Record<string, never>;
