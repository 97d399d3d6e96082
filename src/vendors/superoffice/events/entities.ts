/**
 * SuperOffice's entity events as data, one table per reference page (docs/en/automation/webhook/reference/
 * *-events.md): the FieldValues columns the page lists (with a typed example for each), and per action the
 * `Changes` of the page's example, whether the action carries FieldValues and which id columns a delete puts
 * in `Values`.
 *
 * Which actions carry FieldValues follows the page examples: every `.created`; `sale` and `salestakeholder`
 * also on changed and deleted; `contact.changed` because dev/notification.md's example (contact.changed, with
 * FieldValues) shows it. The other `.changed` examples (dated 2018, before FieldValues were documented in 2025)
 * show none, and sale.sold/lost say "There are no field values for this event". Soft deletes are not shown; they
 * carry FieldValues here because the contact and person lists include `DeletedDate` (and contact `deleted`),
 * the columns a soft delete sets. Document, quote and ticket pages list no FieldValues, so none are sent.
 */
import type { Column } from './values.js';
import { V } from './values.js';

export interface EntityAction {
  summary: string;
  /** The example's `Changes`, in its order. */
  changes: readonly string[];
  /** FieldValues carried: the entity's columns, with these columns' values replaced. */
  fieldValues?: Readonly<Record<string, Column>>;
  /** A delete's `Values`: the deleted row's id columns. */
  values?: readonly string[];
}

export interface EntityTable {
  /** `Entity` in the body and the event names' prefix. */
  entity: string;
  /** The reference page the table transcribes. */
  page: string;
  /** The primary key column (`appointment_id` for activities). */
  keyColumn: string;
  /** The FieldValues columns the page lists, in its order. */
  fieldValues: Readonly<Record<string, Column>>;
  actions: Readonly<Record<string, EntityAction>>;
}

const ALL = {} as const;

const PERSON_COLUMNS = {
  activeInterests: V.constant(0),
  associate_id: V.associate,
  business_idx: V.list('business'),
  category_idx: V.list('category'),
  contact_id: V.ref('contact'),
  country_id: V.pick([578, 752, 826, 840, 276]),
  DeletedDate: V.never,
  group_id: V.list('usergroup', 8),
  person_id: V.key,
  position_idx: V.list('position'),
  registered: V.registered,
  registered_associate_id: V.registrar,
  retired: V.constant(0),
  source: V.constant(0),
  updated: V.updated,
  updated_associate_id: V.registrar,
  userdef2_id: V.constant(0),
  userdef_id: V.ref('udpersonsmall'),
};

const SALE_COLUMNS = {
  activeLinks: V.constant(0),
  appointment_id: V.constant(0),
  associate_id: V.associate,
  comptr_id: V.constant(0),
  contact_id: V.ref('contact'),
  credited_id: V.constant(0),
  currency_id: V.list('currency', 40),
  done: V.constant(0),
  group_idx: V.list('usergroup', 8),
  person_id: V.ref('person'),
  probability_idx: V.list('prob', 10),
  project_id: V.ref('project'),
  reason_id: V.constant(0),
  reasonSold_id: V.constant(0),
  reasonStalled_id: V.constant(0),
  registered: V.registered,
  registered_associate_id: V.registrar,
  saleTypeCat_id: V.list('saletypecat', 5),
  saleType_id: V.list('saletype', 8),
  saledate: V.day(45),
  source_id: V.list('source', 6),
  status: V.constant(1),
  updated: V.updated,
  updated_associate_id: V.registrar,
  userdef2_id: V.constant(0),
  userdef_id: V.ref('udsalesmall'),
};

const STAKEHOLDER_COLUMNS = {
  contact_id: V.ref('contact'),
  person_id: V.ref('person'),
  registered: V.registered,
  registered_associate_id: V.registrar,
  sale_id: V.ref('sale'),
  stakeholderrole_id: V.list('stakeholderrole', 6),
  updated: V.updated,
  updated_associate_id: V.registrar,
};

export const ENTITY_TABLES: readonly EntityTable[] = [
  {
    entity: 'activity',
    page: 'reference/activity-events.md',
    keyColumn: 'appointment_id',
    fieldValues: {
      activeDate: V.at(2),
      associate_id: V.associate,
      contact_id: V.ref('contact'),
      do_by: V.at(2),
      document_id: V.constant(0),
      endDate: V.at(2.04),
      modified_appointment_fields: V.constant(0),
      mother_id: V.constant(0),
      person_id: V.ref('person'),
      private: V.constant(0),
      project_id: V.ref('project'),
      sale_id: V.ref('sale'),
      status: V.constant(1),
      task_idx: V.list('task', 20),
      type: V.constant(1),
      updated: V.updated,
      userdef2_id: V.constant(0),
      userdef_id: V.constant(0),
    },
    actions: {
      created: {
        summary: 'An appointment, task or document activity was created.',
        // prettier-ignore
        changes: [
          'appointment_id', 'suggestedDocumentId', 'status', 'task_idx', 'endDate', 'document_id', 'activeLinks',
          'assignedBy', 'alarm', 'done', 'updatedCount', 'contact_id', 'emailId', 'lagTime', 'priority_idx',
          'associate_id', 'userdef_id', 'group_idx', 'recurrenceRuleId', 'private', 'do_by', 'location',
          'invitedPersonId', 'registered_associate_id', 'preferredTZLocation', 'updated', 'project_id',
          'rejectReason', 'sale_id', 'person_id', 'activeDate', 'rejectCounter', 'color_index',
          'suggestedAppointmentId', 'leadtime', 'registered', 'hasAlarm', 'alldayEvent', 'text_id',
          'updated_associate_id', 'type', 'userdef2_id', 'freeBusy', 'source', 'isMilestone', 'mother_id',
        ],
        fieldValues: ALL,
      },
      changed: {
        summary: 'An activity was changed (here: marked done).',
        changes: ['appointment_id', 'status', 'done', 'updated', 'updated_associate_id', 'updatedCount'],
      },
      deleted: {
        summary: 'An activity was deleted.',
        changes: [],
        values: ['appointment_id', 'contact_id', 'person_id', 'project_id', 'sale_id'],
      },
    },
  },
  {
    entity: 'associate',
    page: 'reference/associate-events.md',
    keyColumn: 'associate_id',
    fieldValues: {
      deleted: V.constant(0),
      group_idx: V.list('usergroup', 8),
      person_id: V.ref('person'),
      registered_associate_id: V.registrar,
      type: V.constant(0),
      updated: V.updated,
      updated_associate_id: V.registrar,
      waiting_for_approval: V.constant(0),
    },
    actions: {
      created: {
        summary: 'A user (associate) was created.',
        // prettier-ignore
        changes: [
          'associate_id', 'rank', 'checklistlimit', 'tzLocationId', 'group_idx', 'isLocation', 'locationAddress',
          'name', 'lastlogin', 'registered', 'updated_associate_id', 'type', 'tooltip', 'updated', 'userFlags',
          'encryptedCheck', 'person_id', 'lastlogout', 'deleted', 'updatedCount', 'registered_associate_id',
          'ejuserId',
        ],
        fieldValues: ALL,
      },
      changed: {
        summary: 'A user (associate) was changed (here: moved to another group).',
        changes: ['associate_id', 'group_idx', 'updated', 'updated_associate_id'],
      },
      deleted: {
        summary: 'A user (associate) was deleted.',
        changes: [],
        values: ['associate_id', 'person_id'],
      },
    },
  },
  {
    entity: 'chatsession',
    page: 'reference/chat-events.md',
    keyColumn: 'chatsession_id',
    // The list names the columns; the example (PascalCase there) is the only evidence of their JSON types.
    fieldValues: {
      alertLevel: V.constant(0),
      chatbotIsactive: V.constant(false),
      consented: V.constant(true),
      contactId: (row) => String(row.ref('contact')),
      customerAlias: V.ref('chatcustomeralias'),
      customerId: (row) => String(row.ref('person')),
      projectId: V.constant(0),
      rating: V.constant(0),
      saleId: V.constant(0),
      status: V.constant(1),
      ticketId: V.constant(0),
      topicId: V.list('chattopic', 5),
      userId: V.associate,
    },
    actions: {
      created: { summary: 'A chat session started.', changes: [], fieldValues: ALL },
      message: {
        summary: 'A message was added to a chat session.',
        // prettier-ignore
        changes: [
          'chatSession.topicId', 'chatSession.userId', 'chatSession.customerId', 'chatSession.customerName',
          'chatSession.customerEmail', 'chatSession.companyName', 'chatSession.customerPhone',
          'chatMessage.sessionId', 'chatMessage.id', 'chatMessage.message', 'chatMessage.type',
          'chatMessage.specialType', 'chatMessage.specialParam', 'chatMessage.author',
        ],
      },
      changed: { summary: 'A chat session changed state.', changes: [] },
    },
  },
  {
    entity: 'contact',
    page: 'reference/contact-events.md',
    keyColumn: 'contact_id',
    fieldValues: {
      activeInterests: V.constant(0),
      associate_id: V.associate,
      business_idx: V.list('business'),
      category_idx: V.list('category'),
      country_id: V.pick([578, 752, 826, 840, 276]),
      deleted: V.constant(0),
      DeletedDate: V.never,
      registered: V.registered,
      registered_associate_id: V.registrar,
      source: V.constant(0),
      updated: V.updated,
      userdef2_id: V.constant(0),
      userdef_id: V.ref('udcontactsmall'),
    },
    actions: {
      created: {
        summary: 'A company (contact) was created.',
        // prettier-ignore
        changes: [
          'contact_id', 'activeErpLinks', 'activeInterests', 'associate_id', 'business_idx', 'category_idx',
          'country_id', 'dbi_agent_id', 'dbi_key', 'dbi_last_modified', 'dbi_last_syncronized', 'deleted',
          'department', 'group_id', 'kananame', 'mother_id', 'name', 'nomailing', 'number1', 'number2', 'orgNr',
          'registered_associate_id', 'registered', 'soundEx', 'source', 'supportAssociateId', 'supportLanguageId',
          'supportPersonId', 'text_id', 'ticketPriorityId', 'tzLocationId', 'updated_associate_id', 'updated',
          'updatedCount', 'userdef_id', 'userdef2_id', 'xstop',
        ],
        fieldValues: ALL,
      },
      changed: {
        summary: 'A company (contact) was changed (here: new owner and department).',
        changes: [
          'contact_id',
          'associate_id',
          'department',
          'updated_associate_id',
          'updated',
          'updatedCount',
        ],
        fieldValues: ALL,
      },
      softdeleted: {
        summary: 'A company (contact) was deleted in the user interface (it can be restored).',
        changes: ['contact_id', 'deleted', 'DeletedDate', 'updated_associate_id', 'updated', 'updatedCount'],
        fieldValues: { deleted: V.constant(1), DeletedDate: V.now },
      },
      deleted: {
        summary: 'A company (contact) was permanently deleted by the system.',
        changes: [],
        values: ['associate_id', 'contact_id'],
      },
    },
  },
  {
    entity: 'document',
    page: 'reference/document-events.md',
    keyColumn: 'document_id',
    fieldValues: {},
    actions: {
      created: {
        summary: 'A document was created.',
        // prettier-ignore
        changes: [
          'document_id', 'updated', 'header', 'name', 'searchname', 'userdef2_id', 'attention',
          'registered_associate_id', 'your_ref', 'archiveProvider', 'application_id', 'updated_associate_id',
          'text_id', 'extref', 'appointment_id', 'registered', 'userdef_id', 'updatedCount', 'our_ref',
        ],
      },
      changed: {
        summary: "A document's properties (or its appointment) changed.",
        changes: ['status', 'done', 'updated', 'updated_associate_id', 'updatedCount'],
      },
      deleted: { summary: 'A document was deleted.', changes: [], values: ['document_id', 'appointment_id'] },
      edited: { summary: "A document's content changed.", changes: [] },
    },
  },
  {
    entity: 'person',
    page: 'reference/person-events.md',
    keyColumn: 'person_id',
    fieldValues: PERSON_COLUMNS,
    actions: {
      created: {
        summary: 'A person was created.',
        // prettier-ignore
        changes: [
          'person_id', 'usepersonaddress', 'dbi_last_modified', 'group_id', 'post2', 'department', 'activeInterests',
          'dbi_agent_id', 'gender', 'country_id', 'contact_id', 'activeErpLinks', 'year_of_birth', 'userdef2_id',
          'phone_present', 'initials', 'userdef_id', 'rank', 'retired', 'updatedCount', 'dbi_last_syncronized',
          'sentInfo', 'post1', 'registered_associate_id', 'person_number', 'dbi_key', 'middleName', 'text_id',
          'updated', 'ticketPriorityId', 'kanalname', 'month_of_birth', 'lastname', 'position_idx', 'business_idx',
          'kanafname', 'registered', 'title', 'supportLanguageId', 'tzLocationId', 'post3', 'nomailing',
          'blockEmarketing', 'firstname', 'updated_associate_id', 'supportAssociateId', 'day_of_birth',
          'showContactTickets', 'associate_id', 'source', 'mrmrs', 'category_idx', 'DeletedDate', 'salutation',
        ],
        fieldValues: ALL,
      },
      changed: {
        summary: 'A person was changed (here: new title and position).',
        // prettier-ignore
        changes: [
          'person_id', 'year_of_birth', 'person_number', 'position_idx', 'title', 'updated', 'updated_associate_id',
          'updatedCount',
        ],
      },
      softdeleted: {
        summary: 'A person was deleted in the user interface (it can be restored).',
        changes: ['person_id', 'DeletedDate', 'updated', 'updated_associate_id', 'updatedCount'],
        fieldValues: { DeletedDate: V.now },
      },
      deleted: {
        summary: 'A person was permanently deleted by the system.',
        changes: [],
        values: ['associate_id', 'contact_id', 'person_id'],
      },
      consented: {
        summary: 'A consent was added to or changed on a person (GDPR: legal base and source).',
        changes: [
          'consentperson_id',
          'comment',
          'updated_associate_id',
          'consentSource_id',
          'updated',
          'legalBase_id',
        ],
      },
      unconsented: { summary: "A person's consent was removed or withdrawn.", changes: [] },
    },
  },
  {
    entity: 'project',
    page: 'reference/project-events.md',
    keyColumn: 'project_id',
    fieldValues: {
      activeLinks: V.constant(0),
      associate_id: V.associate,
      done: V.constant(0),
      registered: V.registered,
      registered_associate_id: V.registrar,
      status_idx: V.list('projstatus', 5),
      type_idx: V.list('projtype', 6),
      updated: V.updated,
      updated_associate_id: V.registrar,
      userdef2_id: V.constant(0),
      userdef_id: V.ref('udprojectsmall'),
    },
    actions: {
      created: {
        summary: 'A project was created.',
        // prettier-ignore
        changes: [
          'project_id', 'text_id', 'tzLocationId', 'postitText_id', 'activeErpLinks', 'userdef2_id', 'status_idx',
          'nmdAppointment_id', 'registered', 'endDate', 'type_idx', 'source', 'activeLinks', 'associate_id',
          'group_id', 'done', 'soundEx', 'updated', 'userdef_id', 'updated_associate_id', 'project_number',
          'nextMilestoneDate', 'updatedCount', 'registered_associate_id', 'name',
        ],
        fieldValues: ALL,
      },
      changed: {
        summary: 'A project was changed (here: new end date, type and owner).',
        // prettier-ignore
        changes: [
          'project_id', 'endDate', 'type_idx', 'associate_id', 'group_id', 'updated', 'updated_associate_id',
          'updatedCount',
        ],
      },
      deleted: { summary: 'A project was deleted.', changes: [], values: ['associate_id', 'project_id'] },
    },
  },
  {
    entity: 'projectmember',
    page: 'reference/project-member-events.md',
    keyColumn: 'projectmember_id',
    fieldValues: {
      contact_id: V.ref('contact'),
      mtype_idx: V.list('pmembtype', 6),
      person_id: V.ref('person'),
      project_id: V.ref('project'),
      projectmember_id: V.key,
      registered: V.registered,
      registered_associate_id: V.registrar,
      updated: V.updated,
      updated_associate_id: V.registrar,
    },
    actions: {
      created: {
        summary: 'A person was added to a project.',
        // prettier-ignore
        changes: [
          'projectmember_id', 'rank', 'text_id', 'mtype_idx', 'registered', 'updated', 'project_id',
          'updated_associate_id', 'person_id', 'updatedCount', 'registered_associate_id', 'contact_id',
        ],
        fieldValues: ALL,
      },
      changed: {
        summary: "A project member's role changed.",
        changes: ['projectmember_id', 'mtype_idx', 'updated', 'updated_associate_id', 'updatedCount'],
      },
      // the page's example: the project's id and the owner, not the member's
      deleted: {
        summary: 'A person was removed from a project.',
        changes: [],
        values: ['associate_id', 'project_id'],
      },
    },
  },
  {
    entity: 'quote',
    page: 'reference/quote-events.md',
    keyColumn: 'quote_id',
    fieldValues: {},
    actions: {
      approved: { summary: 'A quote was approved.', changes: [] },
      rejected: { summary: 'A quote was rejected.', changes: [] },
      sent: { summary: 'A quote version was sent to the customer.', changes: [] },
      ordered: { summary: 'An order was placed for a quote.', changes: [] },
    },
  },
  {
    entity: 'relation',
    page: 'reference/relation-events.md',
    keyColumn: 'relation_id',
    fieldValues: {
      associate_id: V.associate,
      destination_record: V.ref('destination'),
      destination_table: V.constant(5),
      registered: V.registered,
      registered_associate_id: V.registrar,
      reldef_id: V.list('relationdefinition', 10),
      source_record: V.ref('contact'),
      source_table: V.constant(5),
      updated: V.updated,
      updated_associate_id: V.registrar,
    },
    actions: {
      created: {
        summary: 'A relation between two companies or persons was created.',
        // prettier-ignore
        changes: [
          'relation_id', 'source_table', 'updated', 'reversed', 'destination_table', 'registered_associate_id',
          'group_idx', 'reldef_id', 'startDate', 'updated_associate_id', 'updatedCount', 'associateId',
          'source_record', 'relFlags', 'registered', 'relcomment', 'endDate', 'destination_record',
        ],
        fieldValues: ALL,
      },
      changed: {
        summary: 'A relation was changed (here: new type and comment).',
        changes: ['relation_id', 'reldef_id', 'updated_associate_id', 'updated', 'relcomment'],
      },
      deleted: { summary: 'A relation was deleted.', changes: [], values: ['associate_id', 'relation_id'] },
    },
  },
  {
    entity: 'sale',
    page: 'reference/sale-events.md',
    keyColumn: 'sale_id',
    fieldValues: SALE_COLUMNS,
    actions: {
      created: {
        summary: 'A sale (opportunity) was created.',
        // prettier-ignore
        changes: [
          'sale_id', 'status', 'nddAppointment_id', 'postitText_id', 'appointment_id', 'activeLinks', 'saledate',
          'source_id', 'done', 'updatedCount', 'reasonStalled_id', 'contact_id', 'activeErpLinks', 'registered',
          'associate_id', 'comptr_id', 'userdef_id', 'currency_id', 'heading', 'credited_id', 'updated',
          'project_id', 'reopenDate', 'earning', 'probability', 'nextDueDate', 'reasonSold_id', 'person_id',
          'earning_percent', 'group_idx', 'saleTypeCat_id', 'visibility', 'text_id', 'number1', 'amount',
          'registered_associate_id', 'updated_associate_id', 'userdef2_id', 'saleType_id', 'source',
          'probability_idx', 'reason_id',
        ],
        fieldValues: ALL,
      },
      changed: {
        summary: 'A sale was changed (here: new amount and probability).',
        // prettier-ignore
        changes: [
          'sale_id', 'earning', 'probability', 'earning_percent', 'amount', 'probability_idx', 'updated',
          'updated_associate_id', 'updatedCount',
        ],
        fieldValues: ALL,
      },
      deleted: {
        summary: 'A sale was deleted.',
        changes: [],
        values: ['associate_id', 'contact_id', 'person_id', 'project_id'],
        fieldValues: ALL,
      },
      sold: {
        summary: "A sale's status changed to sold.",
        changes: ['sale_id', 'status', 'updated', 'updated_associate_id'],
      },
      lost: {
        summary: "A sale's status changed to lost.",
        changes: ['sale_id', 'status', 'updated', 'updated_associate_id'],
      },
      completed: {
        summary: 'A sale was marked completed.',
        changes: ['sale_id', 'done', 'updated', 'updated_associate_id'],
      },
    },
  },
  {
    entity: 'salestakeholder',
    page: 'reference/sale-stakeholder-events.md',
    keyColumn: 'salestakeholder_id',
    fieldValues: STAKEHOLDER_COLUMNS,
    actions: {
      created: {
        summary: 'A stakeholder was added to a sale.',
        // prettier-ignore
        changes: [
          'salestakeholder_id', 'rank', 'sale_id', 'stakeholderrole_id', 'registered', 'updated',
          'updated_associate_id', 'person_id', 'comment', 'updatedCount', 'registered_associate_id', 'contact_id',
        ],
        fieldValues: ALL,
      },
      changed: {
        summary: "A sale stakeholder's role changed.",
        // prettier-ignore
        changes: [
          'salestakeholder_id', 'stakeholderrole_id', 'updated', 'updated_associate_id', 'comment', 'updatedCount',
        ],
        fieldValues: ALL,
      },
      deleted: {
        summary: 'A stakeholder was removed from a sale.',
        changes: [],
        values: ['sale_id'],
        fieldValues: ALL,
      },
    },
  },
  {
    entity: 'ticket',
    page: 'reference/ticket-events.md',
    keyColumn: 'ticket_id',
    fieldValues: {},
    actions: {
      // "From version 10.2.11 ticket events list changed fields": a new request sets every column the page
      // lists; a change sets a few of them.
      created: {
        summary: 'A service request (ticket) was created.',
        // prettier-ignore
        changes: [
          'created_at', 'title', 'last_changed', 'read_by_owner', 'read_by_customer', 'closed_at', 'time_to_close',
          'real_time_to_close', 'time_to_reply', 'real_time_to_reply', 'author', 'created_by', 'alert_level',
          'alert_timeout', 'connect_id', 'filter_id', 'read_status', 'has_attachment', 'num_replies',
          'num_messages', 'display_filter', 'alert_stop', 'replied_at', 'slevel', 'category', 'priority', 'cust_id',
          'status', 'ticket_status', 'deadline', 'first_read_by_user', 'first_read_by_owner', 'activate',
          'owned_by', 'agent_id', 'dbi_key', 'dbi_last_syncronized', 'extraField', 'filter_address',
          'time_spent_internally', 'time_spent_externally', 'time_spent_queue', 'real_time_spent_internally',
          'real_time_spent_externally', 'real_time_spent_queue', 'tags', 'ticket_type',
        ],
      },
      changed: {
        summary: 'A service request (ticket) was changed (here: assigned and given a new status).',
        changes: ['last_changed', 'read_by_owner', 'owned_by', 'status', 'ticket_status', 'priority'],
      },
    },
  },
];
