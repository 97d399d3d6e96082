/**
 * Every event SuperOffice documents (automation/webhook/dev/event-details.md and reference/*-events.md), as
 * catalogue entries built from data: the entity tables (entities.ts), an example extra table, two example
 * lists and the webhook state events. Each generator returns the event-specific part of the body
 * (`SoEventPart`); event-delivery.ts adds the rest.
 *
 * Extra tables and lists are open-ended (`{tablename}.created`, `list.{listName|UDListDefinition_id}.*`), so
 * the catalogue carries one representative of each: the extra table `y_equipment` (with an integer and a
 * datetime extra field, and a string one that FieldValues leave out: "all extrafields besides fields of type
 * 'dbString', `dbShort` and `dbStringBlob` are added"), the system list `category` and the user-defined list
 * 110, as the reference pages' examples do.
 */
import type { EventDefinition, EventGenerationContext } from '../../../core/event-catalogue.js';
import type { EntityAction, EntityTable } from './entities.js';
import { ENTITY_TABLES } from './entities.js';
import { WEBHOOK_STATE_KINDS, webhookStateEvent } from './state-events.js';
import type { SoEventPart, WebhookStateKind } from './types.js';
import type { Column, Row } from './values.js';
import { NO_DATE, drawInt, idColumn, newRow, soDate, soDateTime, typedDateTime, typedInt } from './values.js';

export interface SoEventDefinition extends EventDefinition<SoEventPart> {
  /** The reference page (below docs/en/automation/webhook/) the event is transcribed from. */
  page: string;
}

function valuesOf(row: Row, columns: Readonly<Record<string, Column>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(columns).map(([name, column]) => [name, column(row)]));
}

function entityEvent(table: EntityTable, action: string, spec: EntityAction): SoEventDefinition {
  const name = `${table.entity}.${action}`;
  return {
    name,
    summary: spec.summary,
    specWebhook: name,
    page: table.page,
    generate(ctx) {
      const row = newRow(ctx, action === 'created');
      const part: SoEventPart = {
        Event: name,
        Entity: table.entity,
        PrimaryKey: row.primaryKey,
        Changes: [...spec.changes],
      };
      if (spec.fieldValues !== undefined) {
        // the overrides keep the table's column order
        part.FieldValues = valuesOf(row, { ...table.fieldValues, ...spec.fieldValues });
      }
      if (spec.values !== undefined) {
        const columns = spec.values.map((column) => [column, idColumn(column, table.keyColumn)] as const);
        part.Values = valuesOf(row, Object.fromEntries(columns));
      }
      return part;
    },
  };
}

const EXTRA_TABLE = 'y_equipment';
const EXTRA_TABLE_PAGE = 'reference/extratable-events.md';
const TYPED_NO_DATE = '[DT:01/01/0001 00:00:00.0000000]';

/** An extra table row; created and changed events type every value as a string (`[I:6]`), a delete does not. */
function extraTableFieldValues(row: Row, typed: boolean): Record<string, unknown> {
  const quantity = drawInt(row.ids, 1, 40);
  const purchased = new Date(row.now.getTime() - drawInt(row.ids, 10, 700) * 86_400_000);
  if (typed) {
    return {
      id: typedInt(row.primaryKey),
      last_changed: typedDateTime(row.now),
      dbi_agent_id: typedInt(-1),
      dbi_last_syncronized: TYPED_NO_DATE,
      dbi_last_modified: TYPED_NO_DATE,
      x_quantity: typedInt(quantity),
      x_purchased: typedDateTime(purchased),
    };
  }
  return {
    id: row.primaryKey,
    last_changed: soDate(purchased),
    dbi_agent_id: -1,
    dbi_last_syncronized: NO_DATE,
    dbi_last_modified: NO_DATE,
    x_quantity: quantity,
    x_purchased: soDate(purchased),
  };
}

const EXTRA_TABLE_ACTIONS: Record<string, { summary: string; changes: string[] }> = {
  created: {
    summary: 'A row was added to the extra table y_equipment.',
    changes: ['id', 'last_changed', 'x_serial', 'x_quantity', 'x_purchased'],
  },
  changed: {
    summary: 'A row of the extra table y_equipment changed.',
    changes: ['id', 'x_quantity', 'last_changed'],
  },
  deleted: { summary: 'A row of the extra table y_equipment was deleted.', changes: [] },
};

function extraTableEvent(action: string): SoEventDefinition {
  const name = `${EXTRA_TABLE}.${action}`;
  const spec = EXTRA_TABLE_ACTIONS[action]!;
  return {
    name,
    summary: spec.summary,
    specWebhook: name,
    page: EXTRA_TABLE_PAGE,
    generate(ctx) {
      const row = newRow(ctx, action === 'created', 5_000);
      const deleted = action === 'deleted';
      return {
        Event: name,
        Entity: EXTRA_TABLE,
        PrimaryKey: row.primaryKey,
        Changes: [...spec.changes],
        FieldValues: extraTableFieldValues(row, !deleted),
        // the page's delete example: an empty Values next to the (untyped) FieldValues
        ...(deleted ? { Values: {} } : {}),
      };
    },
  };
}

const LIST_PAGE = 'reference/list-events.md';

/** The reference page's two example lists; their events carry empty FieldValues. */
const LISTS: { entity: string; what: string; created: string[]; changed: string[] }[] = [
  {
    entity: 'list.category',
    what: 'the system list category',
    // prettier-ignore
    created: [
      'Category_id', 'updated', 'name', 'CategoryFamily_id', 'registered_associate_id', 'rank', 'deleted', 'tooltip',
      'category_group', 'updated_associate_id', 'enable_lead_status', 'registered', 'updatedCount',
    ],
    changed: ['Category_id', 'deleted', 'rank', 'updated', 'updated_associate_id', 'name', 'tooltip'],
  },
  {
    entity: 'list.110',
    what: 'the user-defined list 110 (its UDListDefinition_id)',
    // prettier-ignore
    created: [
      'UDList_id', 'deleted', 'registered', 'name', 'rank', 'updated', 'registered_associate_id',
      'updated_associate_id', 'UDListDefinition_id', 'updatedCount', 'tooltip',
    ],
    changed: ['UDList_id', 'deleted', 'rank', 'updated', 'updated_associate_id', 'name', 'tooltip'],
  },
];

function listEvent(
  list: (typeof LISTS)[number],
  action: 'created' | 'changed' | 'softdeleted',
): SoEventDefinition {
  const name = `${list.entity}.${action}`;
  const verb = { created: 'was added to', changed: 'changed in', softdeleted: 'was deleted (hidden) from' }[
    action
  ];
  return {
    name,
    summary: `An item ${verb} ${list.what}.`,
    specWebhook: name,
    page: LIST_PAGE,
    generate: ({ ids }) => ({
      Event: name,
      Entity: list.entity,
      PrimaryKey: drawInt(ids, 1, 60),
      Changes: [...(action === 'created' ? list.created : list.changed)],
      FieldValues: {},
    }),
  };
}

const STATE_SUMMARIES: Record<WebhookStateKind, string> = {
  started: "A webhook's State was set to Active (subscribed to as webhook<id>.started).",
  stopped: "A webhook's State was set to Stopped (subscribed to as webhook<id>.stopped).",
  errors:
    'A webhook was stopped by errors: TooManyErrors or a 410 Gone (subscribed to as webhook<id>.errors).',
};

/** A state event about a made-up webhook; `webhookStateEvent` makes one about a stored webhook. */
function stateEvent(kind: WebhookStateKind): SoEventDefinition {
  const name = `webhook.${kind}`;
  return {
    name,
    summary: STATE_SUMMARIES[kind],
    specWebhook: name,
    page: 'reference/state-events.md',
    generate({ ids, clock }: EventGenerationContext) {
      const now = clock.now();
      const registrar = { AssociateId: drawInt(ids, 2, 60) };
      const source = {
        WebhookId: drawInt(ids, 1, 200),
        Registered: soDateTime(new Date(now.getTime() - drawInt(ids, 1, 400) * 86_400_000)),
        RegisteredAssociate: registrar,
        Updated: soDateTime(now),
        UpdatedAssociate: registrar,
      };
      return webhookStateEvent(source, kind, kind === 'started' ? 0 : drawInt(ids, 1, 5_000));
    },
  };
}

export const superOfficeEvents: readonly SoEventDefinition[] = [
  ...ENTITY_TABLES.flatMap((table) =>
    Object.entries(table.actions).map(([action, spec]) => entityEvent(table, action, spec)),
  ),
  ...Object.keys(EXTRA_TABLE_ACTIONS).map(extraTableEvent),
  ...LISTS.flatMap((list) =>
    (['created', 'changed', 'softdeleted'] as const).map((action) => listEvent(list, action)),
  ),
  ...WEBHOOK_STATE_KINDS.map(stateEvent),
];

/** The catalogue entry of an event name (case-insensitive, as NetServer matches names), or undefined. */
export function findSuperOfficeEvent(name: string): SoEventDefinition | undefined {
  const wanted = name.trim().toLowerCase();
  return superOfficeEvents.find((entry) => entry.name.toLowerCase() === wanted);
}
