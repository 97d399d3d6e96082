/**
 * C1's event catalogue: every event C1 sends, as data — name, summary, the spec's `webhooks:` entry its
 * bodies satisfy and a generator of realistic payloads — and the WebhookInstance `source` C1 records for it.
 */
import type { EventDefinition } from '../../../core/event-catalogue.js';
import { findingDispatchPayload, workflowStepPayload } from './automation-events.js';
import { policyApprovalStepPayload, policyPostActionPayload, provisionStepPayload } from './task-events.js';
import { C1_EVENT, typeUrl } from './types.js';
import type { C1Payload, C1WebhookSource } from './types.js';

export const c1Events: EventDefinition<C1Payload>[] = [
  {
    name: C1_EVENT.test,
    summary: 'A test of the webhook, sent from its "Test webhook" action; the payload is empty.',
    specWebhook: C1_EVENT.test,
    generate: () => ({ '@type': typeUrl(C1_EVENT.test) }),
  },
  {
    name: C1_EVENT.provisionStep,
    summary:
      'Approved access to an entitlement that is provisioned by this webhook: the grant task and its app, ' +
      'entitlement and users; answer complete or errored.',
    specWebhook: C1_EVENT.provisionStep,
    generate: provisionStepPayload,
  },
  {
    name: C1_EVENT.policyApprovalStep,
    summary:
      "A policy's webhook step runs on an access request: the task and its related objects; answer approve, " +
      'deny, reassign or replacePolicy.',
    specWebhook: C1_EVENT.policyApprovalStep,
    generate: policyApprovalStepPayload,
  },
  {
    name: C1_EVENT.policyPostAction,
    summary:
      'A webhook run after a policy has finished processing a task (the task, now closed, and its related ' +
      'objects); answer {"version": "v1"}.',
    specWebhook: C1_EVENT.policyPostAction,
    generate: policyPostActionPayload,
  },
  {
    name: C1_EVENT.workflowStep,
    summary:
      "An automation's Run webhook step: the automation and execution IDs and its context; answer with a " +
      'context for the later steps.',
    specWebhook: C1_EVENT.workflowStep,
    generate: workflowStepPayload,
  },
  {
    name: C1_EVENT.findingDispatch,
    summary:
      'A finding matched a routing rule whose dispatcher is this webhook: the finding, the rule and the ' +
      "dispatcher's rendered template.",
    specWebhook: C1_EVENT.findingDispatch,
    generate: findingDispatchPayload,
  },
];

/** The catalogue entry of an event, if C1 sends one of that name. */
export function c1EventDefinition(name: string): EventDefinition<C1Payload> | undefined {
  return c1Events.find((definition) => definition.name === name);
}

/**
 * The `source` C1 records on the WebhookInstance of a delivery (c1.api.webhooks.v1.WebhookSource, a oneof of
 * test, provisionStep, approvalStep, policyPostAction and workflowStep): the task events name the task
 * (`ticketId`, C1's older word for a task), the workflow step its execution and step. The finding dispatch has
 * no variant in C1's document, so its source is empty. Throws when the payload is not the event's.
 */
export function instanceSourceFor(eventName: string, payload: C1Payload): C1WebhookSource {
  if (payload['@type'] !== typeUrl(eventName)) {
    throw new Error(`a ${payload['@type']} payload is not the payload of ${eventName}`);
  }
  switch (payload['@type']) {
    case typeUrl(C1_EVENT.test):
      return { test: {} };
    case typeUrl(C1_EVENT.provisionStep):
      return { provisionStep: { ticketId: payload.taskView.task.id } };
    case typeUrl(C1_EVENT.policyApprovalStep):
      return { approvalStep: { ticketId: payload.taskView.task.id } };
    case typeUrl(C1_EVENT.policyPostAction):
      return { policyPostAction: { ticketId: payload.taskView.task.id } };
    case typeUrl(C1_EVENT.workflowStep):
      // the source's workflowStepId is the payload's workflowExecutionStepId: the step of this execution
      return {
        workflowStep: {
          workflowExecutionId: payload.workflowExecutionId,
          workflowStepId: payload.workflowExecutionStepId,
        },
      };
    case typeUrl(C1_EVENT.findingDispatch):
      return {};
  }
}
