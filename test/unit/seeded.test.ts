import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SettableClock, seededIdSource } from '../../src/core/seeded.js';
import { base62 } from '../../src/core/ids.js';

describe('seededIdSource', () => {
  it('gives the same ids for the same seed and other ids for another', () => {
    const a = seededIdSource('42');
    const b = seededIdSource('42');
    const c = seededIdSource('43');
    const draw = (ids: ReturnType<typeof seededIdSource>) => [
      base62(ids, 27),
      ids.uuid(),
      ids.bytes(40).toString('hex'),
    ];
    const first = draw(a);
    assert.deepEqual(first, draw(b));
    assert.notDeepEqual(first, draw(c));
    assert.match(first[1]!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('SettableClock', () => {
  it('stays put when frozen and moves only when told', () => {
    const clock = new SettableClock({ now: () => new Date() }, new Date('2026-01-01T00:00:00Z'));
    assert.equal(clock.now().toISOString(), '2026-01-01T00:00:00.000Z');
    clock.advance(1500);
    assert.equal(clock.now().toISOString(), '2026-01-01T00:00:01.500Z');
    clock.set(new Date('2027-02-03T04:05:06Z'));
    assert.equal(clock.now().toISOString(), '2027-02-03T04:05:06.000Z');
  });

  it('runs on from a moment it is set to when not frozen', () => {
    let real = Date.parse('2026-05-01T00:00:00Z');
    const clock = new SettableClock({ now: () => new Date(real) });
    clock.set(new Date('2030-01-01T00:00:00Z'));
    real += 1000;
    assert.equal(clock.now().toISOString(), '2030-01-01T00:00:01.000Z');
    clock.advance(60_000);
    assert.equal(clock.now().toISOString(), '2030-01-01T00:01:01.000Z');
  });
});
