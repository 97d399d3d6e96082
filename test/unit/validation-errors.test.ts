import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ErrorObject } from 'ajv';
import { summarise, toFieldProblems } from '../../src/pipeline/validate.js';
import { checkWebhookUrl } from '../../src/core/webhook-url.js';
import { MockError } from '../../src/core/errors.js';

const error = (instancePath: string, keyword: string, params: object, message?: string): ErrorObject => ({
  instancePath,
  keyword,
  params,
  schemaPath: '#',
  ...(message === undefined ? {} : { message }),
});

describe('toFieldProblems', () => {
  it('names body fields the way a user reads them', () => {
    const problems = toFieldProblems([
      error('/requestBody/url', 'type', { type: 'string' }, 'must be string'),
      error(
        '/requestBody',
        'required',
        { missingProperty: 'displayName' },
        "must have required property 'displayName'",
      ),
      error(
        '/requestBody',
        'additionalProperties',
        { additionalProperty: 'extra' },
        'must NOT have additional properties',
      ),
      error(
        '/query/limit',
        'enum',
        { allowedValues: [10, 20] },
        'must be equal to one of the allowed values',
      ),
    ]);
    assert.deepEqual(problems, [
      { field: 'body.url', message: 'must be string' },
      { field: 'body.displayName', message: 'is required' },
      { field: 'body.extra', message: 'is not allowed here' },
      { field: 'query.limit', message: 'must be one of: 10, 20' },
    ]);
    assert.equal(summarise(problems.slice(0, 1)), 'body.url must be string');
  });

  it('drops duplicates', () => {
    const same = error('/path/id', 'pattern', {}, 'must match pattern');
    assert.equal(toFieldProblems([same, same]).length, 1);
  });
});

describe('checkWebhookUrl', () => {
  it('accepts http and https by default and only https when strict', () => {
    assert.equal(checkWebhookUrl('http://localhost:3000/h', false, 'url'), 'http://localhost:3000/h');
    assert.equal(checkWebhookUrl('https://example.com/h', true, 'url'), 'https://example.com/h');
    assert.throws(() => checkWebhookUrl('http://example.com/h', true, 'url'), MockError);
  });

  it('rejects relative and non-http URLs, naming the field', () => {
    for (const bad of ['/relative', 'ftp://example.com/x', 'javascript:alert(1)']) {
      assert.throws(
        () => checkWebhookUrl(bad, false, 'body.url'),
        (thrown: unknown) => thrown instanceof MockError && thrown.fields[0]?.field === 'body.url',
      );
    }
  });
});
