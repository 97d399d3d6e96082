import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seededIdSource } from '../../src/core/seeded.js';
import { runPlan, sendingPlan } from '../../src/pipeline/burst.js';

const firstSendings = (plan: ReturnType<typeof sendingPlan>): number[] =>
  plan.filter((send) => !send.duplicate).map((send) => send.event);

describe('a burst’s sending plan', () => {
  it('sends the events in creation order, reversed, or shuffled — each exactly once', () => {
    const ids = seededIdSource('plan');
    assert.deepEqual(firstSendings(sendingPlan(5, 'created', 0, ids)), [0, 1, 2, 3, 4]);
    assert.deepEqual(firstSendings(sendingPlan(5, 'reversed', 0, ids)), [4, 3, 2, 1, 0]);
    const shuffled = firstSendings(sendingPlan(20, 'shuffled', 0, ids));
    assert.deepEqual(
      [...shuffled].sort((a, b) => a - b),
      Array.from({ length: 20 }, (_, index) => index),
    );
    assert.notDeepEqual(
      shuffled,
      Array.from({ length: 20 }, (_, index) => index),
    );
  });

  it('sends round(count × duplicates) events a second time, each after its first sending', () => {
    const plan = sendingPlan(10, 'shuffled', 0.3, seededIdSource('dupes'));
    const duplicates = plan.filter((send) => send.duplicate);
    assert.equal(plan.length, 13);
    assert.equal(duplicates.length, 3);
    assert.equal(new Set(duplicates.map((send) => send.event)).size, 3);
    for (const [position, send] of plan.entries()) {
      if (!send.duplicate) continue;
      const first = plan.findIndex((other) => other.event === send.event && !other.duplicate);
      assert.ok(first < position, `event ${send.event}'s duplicate comes after it`);
    }
  });

  it('draws the same plan from the same seed', () => {
    const one = sendingPlan(30, 'shuffled', 0.5, seededIdSource('same'));
    const two = sendingPlan(30, 'shuffled', 0.5, seededIdSource('same'));
    assert.deepEqual(one, two);
    assert.notDeepEqual(one, sendingPlan(30, 'shuffled', 0.5, seededIdSource('other')));
  });

  it('keeps at most `concurrency` sends on their way, starting them in plan order', async () => {
    const plan = sendingPlan(12, 'created', 0, seededIdSource('run'));
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const results = await runPlan(plan, 3, async (send, position) => {
      started.push(position);
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return send.event * 10;
    });
    assert.equal(most, 3);
    assert.deepEqual(
      started,
      Array.from({ length: 12 }, (_, index) => index),
    );
    assert.deepEqual(
      results,
      plan.map((send) => send.event * 10),
    );
  });
});
