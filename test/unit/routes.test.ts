/** The pipeline's route stage: every vendor operation found by method and path, literal paths before templates. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { readSpec } from '../../src/core/spec-document.js';
import { RouteTable } from '../../src/pipeline/routes.js';
import { repoRoot } from '../support/process.js';

function table(vendor: string): RouteTable {
  return new RouteTable(readSpec(path.join(repoRoot, 'specs', `${vendor}.openapi.yaml`)));
}

test('routes C1 requests to their operationIds', async () => {
  const routes = table('c1');
  const cases: [string, string, string][] = [
    ['post', '/api/v1/webhooks/abc/test', 'c1.api.webhooks.v1.WebhooksService.Test'],
    ['post', '/api/v1/search/webhooks', 'c1.api.webhooks.v1.WebhooksSearch.Search'],
    ['get', '/api/v1/webhooks', 'c1.api.webhooks.v1.WebhooksService.List'],
    ['post', '/api/v1/webhooks', 'c1.api.webhooks.v1.WebhooksService.Create'],
    ['get', '/api/v1/webhooks/abc', 'c1.api.webhooks.v1.WebhooksService.Get'],
    ['post', '/api/v1/webhooks/abc', 'c1.api.webhooks.v1.WebhooksService.Update'],
    ['delete', '/api/v1/webhooks/abc', 'c1.api.webhooks.v1.WebhooksService.Delete'],
    ['post', '/api/v1/webhooks/callback/ChsyNVR0dHZXSWhp', 'c1.api.webhooks.v1.WebhooksCallback.Callback'],
    ['post', '/auth/v1/token', 'c1.api.auth.v1.Token'],
    ['get', '/auth/v1/jwks', 'c1.api.auth.v1.Jwks'],
  ];
  for (const [method, path, expected] of cases) {
    assert.equal(routes.match(method, path)?.operation.operationId, expected, `${method} ${path}`);
  }
});

test('routes Shodai requests to their operationIds', async () => {
  const routes = table('shodai');
  const cases: [string, string, string][] = [
    ['post', '/v0/webhooks/wh_123/test', 'testWebhook'],
    ['post', '/v0/webhooks', 'createWebhook'],
    ['get', '/v0/webhooks', 'listWebhooks'],
    ['get', '/v0/webhooks/wh_123', 'getWebhook'],
    ['patch', '/v0/webhooks/wh_123', 'updateWebhook'],
    ['delete', '/v0/webhooks/wh_123', 'deleteWebhook'],
  ];
  for (const [method, path, expected] of cases) {
    assert.equal(routes.match(method, path)?.operation.operationId, expected, `${method} ${path}`);
  }
});

test('routes SuperOffice requests to their operationIds, literal paths before ids', async () => {
  const routes = table('superoffice');
  const cases: [string, string, string][] = [
    ['post', '/api/v1/Webhook/Test', 'v1Webhook_TestWebhook'],
    ['get', '/api/v1/Webhook/default', 'v1Webhook_DefaultWebhook'],
    ['get', '/api/v1/Webhook', 'v1Webhook_GetAllWebhooks'],
    ['post', '/api/v1/Webhook', 'v1Webhook_PostWebhook'],
    ['get', '/api/v1/Webhook/7', 'v1Webhook_GetWebhook'],
    ['put', '/api/v1/Webhook/7', 'v1Webhook_PutWebhook'],
    ['patch', '/api/v1/Webhook/7', 'v1Webhook_PatchWebhook'],
    ['delete', '/api/v1/Webhook/7', 'v1Webhook_DeleteWebhook'],
    ['get', '/api/v1/Webhook/7/LastError', 'v1Webhook_GetLastError'],
    ['post', '/api/v1/Webhook/window.closed/0', 'v1Webhook_SignalEvent'],
    ['post', '/api/v1/Agents/Webhook/CreateDefaultWebhook', 'v1WebhookAgent_CreateDefaultWebhook'],
    ['post', '/api/v1/Agents/Webhook/GetWebhook', 'v1WebhookAgent_GetWebhook'],
    ['post', '/api/v1/Agents/Webhook/SaveWebhook', 'v1WebhookAgent_SaveWebhook'],
    ['post', '/api/v1/Agents/Webhook/DeleteWebhook', 'v1WebhookAgent_DeleteWebhook'],
    ['post', '/api/v1/Agents/Webhook/GetAllWebhooks', 'v1WebhookAgent_GetAllWebhooks'],
    ['post', '/api/v1/Agents/Webhook/TestWebhook', 'v1WebhookAgent_TestWebhook'],
    ['post', '/api/v1/Agents/Webhook/SignalEvent', 'v1WebhookAgent_SignalEvent'],
    ['post', '/api/v1/Agents/Webhook/GetLastError', 'v1WebhookAgent_GetLastError'],
  ];
  for (const [method, path, expected] of cases) {
    assert.equal(routes.match(method, path)?.operation.operationId, expected, `${method} ${path}`);
  }
});

test('decodes path parameters, ignores a trailing slash, and tells a wrong method from an unknown path', () => {
  const routes = table('c1');
  const found = routes.match('POST', '/api/v1/webhooks/a%20b/test/');
  assert.equal(found?.operation.operationId, 'c1.api.webhooks.v1.WebhooksService.Test');
  assert.deepEqual(found?.params, { id: 'a b' });
  assert.equal(routes.match('PUT', '/api/v1/webhooks/abc/test'), undefined);
  assert.equal(routes.hasPath('/api/v1/webhooks/abc/test'), true);
  assert.equal(routes.hasPath('/api/v2/nothing'), false);
});

test('resolves an operation’s parameters and request body from the spec’s components', () => {
  const create = table('shodai').find('createWebhook');
  assert.equal(create?.requestBody?.required, true);
  assert.deepEqual(Object.keys(create?.requestBody?.content ?? {}), ['application/json']);
  const list = table('shodai').find('listWebhooks');
  assert.ok(list?.parameters.some((parameter) => parameter.in === 'query' && parameter.name === 'limit'));
});
