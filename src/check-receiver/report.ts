import type { CheckReport, CheckResult, Verdict } from './run.js';

const VERDICT_LABELS: Readonly<Record<Verdict, string>> = {
  pass: 'ok',
  fail: 'FAIL',
  warn: 'warn',
  skip: 'skipped',
};

function verdictText(check: CheckResult): string {
  const label = VERDICT_LABELS[check.verdict];
  return check.note === undefined ? label : `${label}: ${check.note}`;
}

/** A plain-text table: check, what is wrong with it, expected, the receiver's answer, verdict. */
export function formatTable(report: CheckReport): string {
  const header = ['check', 'what it sends', 'expected', 'receiver', 'verdict'];
  const rows = report.checks.map((check) => [
    check.check,
    check.description,
    check.expected,
    check.received ?? '-',
    verdictText(check),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (column === 4 ? 0 : row[column]!.length))),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();

  const failed = report.checks.filter((check) => check.verdict === 'fail');
  const warned = report.checks.filter((check) => check.verdict === 'warn').length;
  const passed = report.checks.filter((check) => check.verdict === 'pass').length;
  const summary =
    failed.length === 0
      ? `OK: ${passed} passed${warned > 0 ? `, ${warned} with a warning` : ''}.`
      : `FAILED: ${failed.map((check) => check.check).join(', ')} (${failed.length} of ${report.checks.length} checks).`;

  return [
    `check-receiver: ${report.vendorLabel} deliveries to ${report.url}`,
    '',
    line(header),
    line(header.map((_, column) => '-'.repeat(column === 4 ? 7 : widths[column]!))),
    ...rows.map(line),
    '',
    ...report.notes.map((note) => `note: ${note}`),
    ...(report.notes.length > 0 ? [''] : []),
    summary,
    '',
  ].join('\n');
}
