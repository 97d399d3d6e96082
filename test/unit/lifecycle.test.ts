/**
 * The README's lifecycle table is the error catalogue: every stage's error kinds, and each vendor's status and
 * code for them, as the vendors' error tables produce them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { MockError } from '../../src/core/errors.js';
import type { MockErrorKind } from '../../src/core/errors.js';
import type { PipelineStage } from '../../src/core/vendor-module.js';
import { STAGES } from '../../src/pipeline/stages.js';
import { vendors } from '../../src/vendors/index.js';
import { repoRoot } from '../support/process.js';

/** The code each vendor's error body carries: C1's gRPC code, Shodai's error.code, SuperOffice's ErrorType. */
function codeOf(body: unknown): string {
  const value = body as { code?: number; error?: { code?: string }; ErrorType?: string };
  return String(value.code ?? value.error?.code ?? value.ErrorType);
}

function readmeRows(): { stage: string; kind: string; cells: string[] }[] {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const table = /<!-- lifecycle-table -->\s*\n((?:\|.*\n)+)/.exec(readme);
  assert.ok(table, 'no table marked <!-- lifecycle-table --> in the README');
  return table[1]!
    .trim()
    .split('\n')
    .slice(2)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replaceAll('`', '')),
    )
    .map(([stage = '', kind = '', ...cells]) => ({ stage, kind, cells }));
}

test("the README's lifecycle table lists exactly the stages' error kinds, in order", () => {
  assert.deepEqual(
    readmeRows().map((row) => `${row.stage} ${row.kind}`),
    STAGES.flatMap(({ stage, kinds }) => kinds.map((kind) => `${stage} ${kind}`)),
  );
});

test("each vendor's column is what its error table answers for that stage and kind", () => {
  const titles = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  assert.match(titles, /\| stage\s+\| error kind\s+\| C1\s+\| Shodai\s+\| SuperOffice\s+\|/);
  for (const row of readmeRows()) {
    vendors.forEach((vendor, index) => {
      const answer = vendor.formatError(new MockError(row.kind as MockErrorKind, 'x'), {
        stage: row.stage as PipelineStage,
        requestId: 'req_1',
        headers: {},
      });
      assert.equal(
        row.cells[index],
        `${answer.status} ${codeOf(answer.body)}`,
        `${vendor.name}: ${row.stage} ${row.kind}`,
      );
    });
  }
});
