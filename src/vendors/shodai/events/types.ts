/**
 * The data of Shodai's subscribable events, as the SDK's `webhooks.ts` types them
 * (CNSLabs/agreements-api-sdk packages/agreements-api-client/src/webhooks.ts @ fb087b8).
 */
import type { EventType } from '../fixture-schema.js';

export type ShodaiEventType = EventType;

/** `agreement.transitioned`: a deployment (`fromState: ""`, `inputId: "__deploy"`) or a state-changing input. */
export interface AgreementTransitionedData {
  agreementId: string;
  agreementName?: string;
  templateId: string;
  fromState: string;
  toState: string;
  inputId: string;
}

export interface NotificationAttachmentStrategy {
  type: 'customerInvoicePdf';
  variant: string;
}

/** The transition an `onTransition` rule fired on. */
export interface NotificationTransition {
  fromState: string;
  toState: string;
  inputId: string;
  occurredAt: string;
}

/** `agreement.notification.triggered`: an `external_webhook` notification rule resolved a recipient. */
export interface AgreementNotificationTriggeredData {
  agreementId: string;
  agreementName?: string;
  templateId: string;
  notificationTemplateId: string;
  ruleId: string;
  triggerType: 'onTransition' | 'temporal';
  recipient: string;
  notification: {
    subject: string;
    title?: string;
    body: string;
    ctaLabel?: string;
    attachmentStrategy?: NotificationAttachmentStrategy;
  };
  variables?: Record<string, unknown>;
  transition?: NotificationTransition;
}

export type ShodaiEventData = AgreementTransitionedData | AgreementNotificationTriggeredData;

/** The data type of each event name. */
export interface ShodaiEventDataOf {
  'agreement.transitioned': AgreementTransitionedData;
  'agreement.notification.triggered': AgreementNotificationTriggeredData;
}
