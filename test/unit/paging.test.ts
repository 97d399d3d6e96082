import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MockError } from '../../src/core/errors.js';
import { decodePageToken, encodePageToken, paginate } from '../../src/core/paging.js';

describe('paging', () => {
  it('walks a list page by page with the tokens it hands out', () => {
    const items = Array.from({ length: 7 }, (_, index) => index);
    const seen: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = paginate(items, decodePageToken(token, 'page_token'), 3);
      seen.push(...page.items);
      token = page.next;
      pages += 1;
    } while (token !== undefined);
    assert.deepEqual(seen, items);
    assert.equal(pages, 3);
  });

  it('starts at the beginning without a token and has no next token on the last page', () => {
    assert.equal(decodePageToken(undefined, 'page_token'), 0);
    assert.equal(decodePageToken('', 'page_token'), 0);
    assert.equal(paginate([1, 2], 0, 5).next, undefined);
  });

  it('rejects a token it did not issue, naming the field', () => {
    for (const bad of ['garbage', encodePageToken(-1), Buffer.from('{"o":"x"}').toString('base64url')]) {
      assert.throws(
        () => decodePageToken(bad, 'cursor'),
        (error: unknown) =>
          error instanceof MockError &&
          error.kind === 'invalid-request' &&
          error.fields[0]?.field === 'cursor',
      );
    }
  });
});
