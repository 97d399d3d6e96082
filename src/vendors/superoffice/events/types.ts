/**
 * The event-specific part of a SuperOffice webhook body (dev/notification.md `WebhookPayload`,
 * reference/*-events.md); the delivery adds EventId, Timestamp, ContextIdentifier, ChangedByAssociateId,
 * WebhookName and the webhook's Properties.
 */
export interface SoEventPart {
  /** The event name in the body: `contact.created`, `y_equipment.changed`, `webhook.stopped`. */
  Event: string;
  /** The entity (`contact`, `list.category`, `y_equipment`); webhook state events have none. */
  Entity?: string;
  PrimaryKey: number;
  /** Database column names connected to the change. */
  Changes: string[];
  /** Database column name → value, on the actions whose reference page shows them. */
  FieldValues?: Record<string, unknown>;
  /** A deleted row's id columns (reference/index.md "Delete events"). */
  Values?: Record<string, unknown>;
  /** Set only when the event fixes it: webhook state events come from NetServer itself (0). */
  ChangedByAssociateId?: number;
}

/** The three webhook state events (reference/state-events.md). */
export type WebhookStateKind = 'started' | 'stopped' | 'errors';
