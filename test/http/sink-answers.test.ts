/**
 * The built-in sink answers each C1 event as a well-behaved receiver does — a response document C1 accepts — so
 * triggering any C1 event at the demo webhooks ends in a valid outcome; `?answer=` takes the other action.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MockServer } from '../../src/server/index.js';
import { startTestServer } from '../support/server.js';

const DEMO = '2bWkJ8Qv3nYc5hT0dLx9ZfRmPa1';
const DENYING = '2sinkSinkSinkSinkSinkSink01';
const ERRORING = '2sinkSinkSinkSinkSinkSink02';

describe("the built-in sink's answers to C1 events", () => {
  let mock: MockServer;
  before(async () => {
    mock = await startTestServer({
      webhooks: {
        c1: [
          { id: DENYING, displayName: 'denies', url: '{{sinkUrl}}/c1-deny?answer=deny' },
          { id: ERRORING, displayName: 'errors', url: '{{sinkUrl}}/c1-errored?answer=errored' },
        ],
      },
    });
  });
  after(() => mock.close());

  const expected: Record<string, string> = {
    'c1.webhooks.v1.PayloadTest': 'acknowledged',
    'c1.webhooks.v1.PayloadProvisionStep': 'provisioned',
    'c1.webhooks.v1.PayloadPolicyApprovalStep': 'approved',
    'c1.webhooks.v1.PayloadPolicyPostAction': 'acknowledged',
    'c1.webhooks.v1.PayloadWorkflowStep': 'automation-context',
    'c1.webhooks.v1.PayloadFindingDispatch': 'acknowledged',
  };

  it('answers every C1 event with a document C1 accepts', async () => {
    const events = mock.catalogue('c1')[0]!.events.map((event) => event.name);
    assert.deepEqual(events.sort(), Object.keys(expected).sort());
    for (const event of events) {
      const result = await mock.trigger({ vendor: 'c1', event, webhookId: DEMO });
      const [delivery] = result.deliveries;
      assert.equal(delivery?.result?.status, 200, event);
      assert.equal(delivery?.verdict?.valid, true, `${event}: ${delivery?.verdict?.description}`);
      assert.equal(delivery?.verdict?.kind, expected[event], event);
    }
  });

  it('takes the action ?answer= names: a denial, a provisioning error', async () => {
    const denied = await mock.trigger({
      vendor: 'c1',
      event: 'c1.webhooks.v1.PayloadPolicyApprovalStep',
      webhookId: DENYING,
    });
    assert.equal(denied.deliveries[0]?.verdict?.kind, 'denied');
    const errored = await mock.trigger({
      vendor: 'c1',
      event: 'c1.webhooks.v1.PayloadProvisionStep',
      webhookId: ERRORING,
    });
    assert.equal(errored.deliveries[0]?.verdict?.kind, 'provisioning-errored');
  });

  it('answers anything that is no C1 event with {"version":"v1"}', async () => {
    const res = await fetch(`${mock.url}/__sink/plain`, { method: 'POST', body: '{"event":"sale.sold"}' });
    assert.deepEqual(await res.json(), { version: 'v1' });
  });
});
