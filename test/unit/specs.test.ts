import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const addFormats = addFormatsModule.default ?? addFormatsModule;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function specPath(name: string): string {
  return fileURLToPath(new URL(`../../specs/${name}.openapi.yaml`, import.meta.url));
}

function loadSpec(name: string): JsonObject {
  return parse(readFileSync(specPath(name), 'utf8')) as JsonObject;
}

function asObject(value: Json | undefined): JsonObject {
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), 'expected an object');
  return value;
}

interface OperationEntry {
  where: string;
  operationId: string;
  operation: JsonObject;
}

/** Every operation of `paths` and `webhooks`, with where it sits. */
function operations(doc: JsonObject): OperationEntry[] {
  const found: OperationEntry[] = [];
  for (const section of ['paths', 'webhooks'] as const) {
    const items = doc[section];
    if (items === undefined) continue;
    for (const [key, item] of Object.entries(asObject(items))) {
      for (const method of METHODS) {
        const op = asObject(item)[method];
        if (op === undefined) continue;
        const operation = asObject(op);
        const operationId = operation.operationId;
        assert.equal(typeof operationId, 'string', `${section} ${key} ${method} has no operationId`);
        found.push({
          where: `${section} ${method.toUpperCase()} ${key}`,
          operationId: operationId as string,
          operation,
        });
      }
    }
  }
  return found;
}

/** Follows a local JSON pointer (`#/a/b`) through the document. */
function resolvePointer(doc: JsonObject, ref: string): Json | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: Json | undefined = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = node[key];
  }
  return node;
}

function collectRefs(node: Json, refs: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((child) => collectRefs(child, refs));
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') refs.push(value);
      else collectRefs(value, refs);
    }
  }
  return refs;
}

/** The operation's response for `status`, with a `$ref` to components/responses followed. */
function response(doc: JsonObject, operation: JsonObject, status: string): JsonObject | undefined {
  const responses = asObject(operation.responses);
  const raw = responses[status];
  if (raw === undefined) return undefined;
  const ref = asObject(raw).$ref;
  return asObject(typeof ref === 'string' ? resolvePointer(doc, ref) : raw);
}

function schemaRefsOf(doc: JsonObject, operation: JsonObject, status: string): string[] {
  const res = response(doc, operation, status);
  assert.ok(res, `no ${status} response`);
  const content = asObject(res.content);
  return Object.values(content).map((media) => String(asObject(asObject(media).schema).$ref));
}

/** A JSON Schema validator for `#/components/schemas/<name>` of a spec (draft 2020-12, formats on). */
function schemaValidator(doc: JsonObject): (name: string, value: unknown) => string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'spec', components: doc.components });
  return (name, value) => {
    const validate = ajv.getSchema(`spec#/components/schemas/${name}`);
    assert.ok(validate, `no schema ${name}`);
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}

const EXPECTED_OPERATION_IDS: Record<string, string[]> = {
  c1: [
    'c1.api.webhooks.v1.WebhooksSearch.Search',
    'c1.api.webhooks.v1.WebhooksService.List',
    'c1.api.webhooks.v1.WebhooksService.Create',
    'c1.api.webhooks.v1.WebhooksService.Get',
    'c1.api.webhooks.v1.WebhooksService.Update',
    'c1.api.webhooks.v1.WebhooksService.Delete',
    'c1.api.webhooks.v1.WebhooksService.Test',
    'c1.api.webhooks.v1.WebhooksCallback.Callback',
    'c1.api.auth.v1.Token',
    'c1.api.auth.v1.Jwks',
    'c1.webhooks.v1.DeliverTest',
    'c1.webhooks.v1.DeliverProvisionStep',
    'c1.webhooks.v1.DeliverPolicyApprovalStep',
    'c1.webhooks.v1.DeliverPolicyPostAction',
    'c1.webhooks.v1.DeliverWorkflowStep',
    'c1.webhooks.v1.DeliverFindingDispatch',
  ],
  shodai: [
    'createWebhook',
    'listWebhooks',
    'getWebhook',
    'updateWebhook',
    'deleteWebhook',
    'testWebhook',
    'deliverWebhookTest',
    'deliverAgreementTransitioned',
    'deliverAgreementNotificationTriggered',
  ],
  superoffice: [
    'v1Webhook_GetAllWebhooks',
    'v1Webhook_PostWebhook',
    'v1Webhook_DefaultWebhook',
    'v1Webhook_TestWebhook',
    'v1Webhook_GetWebhook',
    'v1Webhook_PutWebhook',
    'v1Webhook_PatchWebhook',
    'v1Webhook_DeleteWebhook',
    'v1Webhook_GetLastError',
    'v1Webhook_SignalEvent',
    'v1WebhookAgent_CreateDefaultWebhook',
    'v1WebhookAgent_GetWebhook',
    'v1WebhookAgent_SaveWebhook',
    'v1WebhookAgent_DeleteWebhook',
    'v1WebhookAgent_GetAllWebhooks',
    'v1WebhookAgent_TestWebhook',
    'v1WebhookAgent_SignalEvent',
    'v1WebhookAgent_GetLastError',
    'deliverTestEvent',
    'deliverEvent',
    // one webhooks entry per documented event (automation/webhook/dev/event-details.md, reference/*-events.md)
    'deliverActivityCreated',
    'deliverActivityChanged',
    'deliverActivityDeleted',
    'deliverAssociateCreated',
    'deliverAssociateChanged',
    'deliverAssociateDeleted',
    'deliverChatsessionCreated',
    'deliverChatsessionMessage',
    'deliverChatsessionChanged',
    'deliverContactCreated',
    'deliverContactChanged',
    'deliverContactSoftdeleted',
    'deliverContactDeleted',
    'deliverDocumentCreated',
    'deliverDocumentChanged',
    'deliverDocumentDeleted',
    'deliverDocumentEdited',
    'deliverPersonCreated',
    'deliverPersonChanged',
    'deliverPersonSoftdeleted',
    'deliverPersonDeleted',
    'deliverPersonConsented',
    'deliverPersonUnconsented',
    'deliverProjectCreated',
    'deliverProjectChanged',
    'deliverProjectDeleted',
    'deliverProjectmemberCreated',
    'deliverProjectmemberChanged',
    'deliverProjectmemberDeleted',
    'deliverQuoteApproved',
    'deliverQuoteRejected',
    'deliverQuoteSent',
    'deliverQuoteOrdered',
    'deliverRelationCreated',
    'deliverRelationChanged',
    'deliverRelationDeleted',
    'deliverSaleCreated',
    'deliverSaleChanged',
    'deliverSaleDeleted',
    'deliverSaleSold',
    'deliverSaleLost',
    'deliverSaleCompleted',
    'deliverSalestakeholderCreated',
    'deliverSalestakeholderChanged',
    'deliverSalestakeholderDeleted',
    'deliverTicketCreated',
    'deliverTicketChanged',
    'deliverYEquipmentCreated',
    'deliverYEquipmentChanged',
    'deliverYEquipmentDeleted',
    'deliverListCategoryCreated',
    'deliverListCategoryChanged',
    'deliverListCategorySoftdeleted',
    'deliverList110Created',
    'deliverList110Changed',
    'deliverList110Softdeleted',
    'deliverWebhookStarted',
    'deliverWebhookStopped',
    'deliverWebhookErrors',
  ],
};

const VENDOR_NAMES: Record<string, string> = { c1: 'C1', shodai: 'Shodai', superoffice: 'SuperOffice' };

for (const [spec, vendor] of Object.entries(VENDOR_NAMES)) {
  test(`the ${vendor} spec is a valid OpenAPI 3.1 document`, async () => {
    const doc = loadSpec(spec);
    assert.equal(doc.openapi, '3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc);
    assert.ok(result.valid, `invalid OpenAPI document:\n${JSON.stringify(result.errors, null, 2)}`);
    assert.equal(validator.version, '3.1');
  });

  test(`every operation of the ${vendor} spec, paths and webhooks, has its own expected operationId`, () => {
    const ids = operations(loadSpec(spec)).map((op) => op.operationId);
    assert.equal(new Set(ids).size, ids.length, `duplicate operationIds: ${ids.join(', ')}`);
    assert.deepEqual([...ids].sort(), [...(EXPECTED_OPERATION_IDS[spec] ?? [])].sort());
  });

  test(`every $ref in the ${vendor} spec resolves inside the document`, () => {
    const doc = loadSpec(spec);
    const unresolved = collectRefs(doc).filter((ref) => resolvePointer(doc, ref) === undefined);
    assert.deepEqual([...new Set(unresolved)], []);
  });

  test(`every ${vendor} operation states its security and every webhook its request body`, () => {
    const doc = loadSpec(spec);
    const schemes = Object.keys(asObject(asObject(doc.components).securitySchemes));
    for (const { where, operation } of operations(doc)) {
      if (where.startsWith('webhooks')) {
        assert.ok(operation.requestBody, `${where} has no requestBody`);
        continue;
      }
      assert.ok(Array.isArray(operation.security), `${where} has no security`);
      for (const requirement of operation.security) {
        for (const name of Object.keys(asObject(requirement))) assert.ok(schemes.includes(name), name);
      }
    }
  });
}

test('every C1 webhook operation declares 400, 401, 404 and default as google.rpc.Status', () => {
  const doc = loadSpec('c1');
  const webhookOps = operations(doc).filter((op) =>
    /^c1\.api\.webhooks\.v1\.(WebhooksService|WebhooksSearch)\./.test(op.operationId),
  );
  assert.equal(webhookOps.length, 7);
  for (const { where, operation } of webhookOps) {
    for (const status of ['400', '401', '404', 'default']) {
      assert.deepEqual(
        schemaRefsOf(doc, operation, status),
        ['#/components/schemas/google.rpc.Status'],
        where,
      );
    }
  }
});

test('the C1 token endpoint takes a form body and answers OAuth errors, without security', () => {
  const doc = loadSpec('c1');
  const token = operations(doc).find((op) => op.operationId === 'c1.api.auth.v1.Token');
  assert.ok(token);
  assert.deepEqual(token.operation.security, []);
  const body = asObject(
    asObject(asObject(token.operation.requestBody).content)['application/x-www-form-urlencoded'],
  );
  const schema = asObject(resolvePointer(doc, String(asObject(body.schema).$ref)));
  assert.deepEqual(schema.required, ['grant_type']);
  for (const status of ['400', '401']) {
    assert.deepEqual(schemaRefsOf(doc, token.operation, status), ['#/components/schemas/OAuthError']);
  }
});

test('every Shodai operation declares 400, 401, 402, 403 and 404 as ErrorResponse', () => {
  const doc = loadSpec('shodai');
  for (const { where, operation } of operations(doc).filter((op) => op.where.startsWith('paths'))) {
    for (const status of ['400', '401', '402', '403', '404']) {
      assert.deepEqual(schemaRefsOf(doc, operation, status), ['#/components/schemas/ErrorResponse'], where);
    }
  }
});

test('every SuperOffice operation declares 400, 401 and 403 (404 with an id, 409 on PATCH) as ErrorResponse', () => {
  const doc = loadSpec('superoffice');
  const withId = new Set([
    'v1Webhook_GetWebhook',
    'v1Webhook_PutWebhook',
    'v1Webhook_PatchWebhook',
    'v1Webhook_DeleteWebhook',
    'v1Webhook_GetLastError',
    'v1WebhookAgent_GetWebhook',
    'v1WebhookAgent_SaveWebhook',
    'v1WebhookAgent_DeleteWebhook',
    'v1WebhookAgent_GetLastError',
  ]);
  const errorRef = '#/components/schemas/ErrorResponse';
  for (const { where, operationId, operation } of operations(doc).filter((op) =>
    op.where.startsWith('paths'),
  )) {
    const statuses = ['400', '401', '403'];
    if (withId.has(operationId)) statuses.push('404');
    if (operationId === 'v1Webhook_PatchWebhook') statuses.push('409');
    for (const status of statuses) {
      assert.deepEqual(
        schemaRefsOf(doc, operation, status),
        [errorRef, errorRef, errorRef, errorRef],
        `${where} ${status}`,
      );
    }
  }
});

test("the C1 schemas accept the vendor's own samples and reject a test event without version", () => {
  const check = schemaValidator(loadSpec('c1'));
  const delivery = {
    version: 'v1',
    webhookId: '2fCjgK8tYJxV9u8d1wupBMeXZ45',
    callbackUrl:
      'https://test-domain.conductor.one/api/v1/webhooks/callback/ChsyNVR0dHZXSWhpQVYwT0N5ZWwwQTJiTVdGN1IS',
    event: 'c1.webhooks.v1.PayloadTest',
    payload: { '@type': 'type.googleapis.com/c1.webhooks.v1.PayloadTest' },
  };
  assert.deepEqual(check('TestDeliveryBody', delivery), []);
  assert.notDeepEqual(check('TestDeliveryBody', { ...delivery, version: undefined }), []);
  assert.notDeepEqual(
    check('TestDeliveryBody', { ...delivery, event: 'c1.webhooks.v1.PayloadProvisionStep' }),
    [],
  );
  assert.deepEqual(
    check('c1.api.webhooks.v1.WebhooksServiceTestResponse', {
      webhook: {
        attempts: 123,
        completedAt: '2023-11-07T05:31:56Z',
        createdAt: '2023-11-07T05:31:56Z',
        expiresAt: '2023-11-07T05:31:56Z',
        id: '<string>',
        lastAttemptedAt: '2023-11-07T05:31:56Z',
        source: { test: {} },
        spec: { destination: '<string>' },
        state: 'WEBHOOK_STATE_UNSPECIFIED',
        updatedAt: '2023-11-07T05:31:56Z',
        webhookId: '<string>',
      },
    }),
    [],
  );
  assert.deepEqual(
    check('c1.api.webhooks.v1.WebhooksServiceCreateResponse', {
      webhook: {
        id: 'wh1',
        displayName: 'Demo',
        url: 'https://example.com/hook',
        callbackTimeout: '691200s',
      },
    }),
    [],
  );
  assert.deepEqual(
    check('OAuthTokenResponse', {
      access_token: 'secret_access_token_value',
      token_type: 'Bearer',
      expires_in: 600,
    }),
    [],
  );
  assert.deepEqual(check('WebhookCallbackRequest', { version: 'v1', complete: { comment: 'done' } }), []);
  assert.notDeepEqual(check('WebhookCallbackRequest', { complete: {} }), []);
  assert.deepEqual(check('google.rpc.Status', { code: 5, message: 'not found', details: [] }), []);
});

test('the Shodai schemas accept the documented samples and require the secret format on create', () => {
  const check = schemaValidator(loadSpec('shodai'));
  const subscription = {
    id: 'wh_123',
    principalId: 'prn_1',
    url: 'https://example.com/shodai/webhooks',
    status: 'active',
    eventTypes: ['agreement.transitioned', 'agreement.notification.triggered'],
    filters: { templateIds: ['did:template:service-retainer-v0-1'], ruleIds: ['deployment-follow-up'] },
    createdAt: '2026-06-02T18:00:00.000Z',
    updatedAt: '2026-06-02T18:00:00.000Z',
  };
  assert.deepEqual(check('WebhookSubscription', subscription), []);
  assert.deepEqual(
    check('WebhookSubscriptionWithSecret', { ...subscription, secret: `whsec_${'ab'.repeat(32)}` }),
    [],
  );
  assert.notDeepEqual(check('WebhookSubscriptionWithSecret', { ...subscription, secret: 'whsec_short' }), []);
  assert.notDeepEqual(check('CreateWebhookRequest', { eventTypes: ['agreement.transitioned'] }), []);
  assert.notDeepEqual(check('UpdateWebhookRequest', { status: 'paused' }), []);
  assert.deepEqual(
    check('WebhookTestEvent', {
      id: 'evt_123',
      type: 'webhook.test',
      apiVersion: '2026-06-01',
      createdAt: '2026-06-02T18:00:00.000Z',
      data: {},
    }),
    [],
  );
  assert.deepEqual(
    check('ErrorResponse', {
      error: { code: 'unauthorized', message: 'Missing API key', requestId: 'req_123' },
    }),
    [],
  );
});

test('the SuperOffice schemas accept the docs samples, including nulls and the zone-less default dates', () => {
  const check = schemaValidator(loadSpec('superoffice'));
  assert.deepEqual(
    check('WebhookResult', {
      Success: false,
      Message: 'nulla',
      TableRight: { Mask: 'Delete', Reason: '' },
      FieldProperties: {
        fieldName: { FieldRight: { Mask: 'FULL', Reason: '' }, FieldType: 'System.Int32', FieldLength: 273 },
      },
    }),
    [],
  );
  assert.deepEqual(
    check('WebhookResult', {
      Success: true,
      Message: 'et',
      TableRight: null,
      FieldProperties: { fieldName: { FieldRight: null, FieldType: 'System.String', FieldLength: 176 } },
    }),
    [],
  );
  assert.deepEqual(
    check('WebhookWithLinks', {
      WebhookId: 627,
      Name: 'Waters-Effertz',
      Events: ['et', 'neque'],
      TargetUrl: 'http://www.example.com/',
      Secret: 'eos',
      State: 'Active',
      Type: 'est',
      Headers: { Headers1: 'hic', Headers2: 'officiis' },
      Properties: { fieldName: {} },
      Registered: '2017-12-26T03:24:52.1307225+01:00',
      RegisteredAssociate: null,
      Updated: '2014-12-21T03:24:52.1307225+01:00',
      UpdatedAssociate: null,
      ErrorsEmail: 'jeanette_lemke@blockdibbert.uk',
      _Links: {
        Self: 'https://www.example.com/api/v1/project/321',
        Archive: 'https://www.example.com/api/v1/project',
      },
    }),
    [],
  );
  const defaults = {
    WebhookId: 0,
    Name: null,
    Events: ['contact.created', 'contact.deleted'],
    ErrorsEmail: null,
    TargetUrl: null,
    Secret: null,
    State: 'Active',
    Type: 'webhook',
    Headers: null,
    Properties: null,
    Registered: '0001-01-01T00:00:00',
    RegisteredAssociate: null,
    Updated: '0001-01-01T00:00:00',
    UpdatedAssociate: null,
  };
  assert.deepEqual(check('WebhookInput', defaults), []);
  assert.notDeepEqual(check('WebhookToTest', defaults), [], 'a webhook to test needs a TargetUrl');
  assert.notDeepEqual(check('WebhookInput', { ...defaults, State: 'Paused' }), []);
  const testEvent = {
    EventId: '4b5ce038-50f2-4796-bdb2-f96908cf31c2',
    Timestamp: '2018-04-24T08:52:59.0005158Z',
    Changes: [],
    Event: 'test',
    PrimaryKey: 0,
    Entity: 'test',
    ContextIdentifier: 'Default',
    ChangedByAssociateId: 316,
    WebhookName: 'Name you provided',
  };
  assert.deepEqual(check('TestEventPayload', { ...testEvent, customProperty: { merged: true } }), []);
  assert.notDeepEqual(check('TestEventPayload', { ...testEvent, Event: 'contact.changed' }), []);
  assert.deepEqual(
    check('WebhookPayload', { ...testEvent, Event: 'window.closed', Entity: 'window', PrimaryKey: 7 }),
    [],
  );
  assert.deepEqual(
    check('ErrorResponse', {
      Error: true,
      ErrorType: 'ArgumentException',
      Message: 'Webhook 7 not found',
      ErrorSource: 'SuperOffice.Services.Implementation',
    }),
    [],
  );
  assert.deepEqual(check('JsonPatch', [{ op: 'replace', path: '/Name', value: 'foo' }]), []);
  assert.notDeepEqual(check('JsonPatch', [{ op: 'move', path: '/Name', from: '/Type' }]), []);
});
