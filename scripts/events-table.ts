/**
 * The README's catalogue table (vendor | event | summary | variants), made from the vendors' catalogues and
 * formatted as prettier formats the README. `npm run docs:events` rewrites the part of README.md between the
 * `events-table` markers; without `--write` the table is printed. test/unit/events-table.test.ts fails when
 * the README's table is not the catalogue's.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { cataloguesOf } from '../src/pipeline/event-desk.js';
import { vendors } from '../src/vendors/index.js';

export const README = fileURLToPath(new URL('../README.md', import.meta.url));
export const START_MARKER = '<!-- events-table:start -->';
export const END_MARKER = '<!-- events-table:end -->';

/** Text for a table cell: no pipes, no line breaks, and no `<id>` read as an HTML tag. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/[|<>]/g, (character) => `\\${character}`);
}

const code = (text: string): string => `\`${text}\``;

/** The table, formatted with the repository's prettier settings. */
export async function eventsTable(): Promise<string> {
  const rows = cataloguesOf(vendors).flatMap((catalogue) =>
    catalogue.events.map((event) => [
      code(catalogue.vendor),
      code(event.name),
      cell(event.summary),
      event.variants.length === 0 ? '—' : event.variants.map((variant) => code(variant.name)).join(', '),
    ]),
  );
  const table = [
    '| vendor | event | summary | variants |',
    '| --- | --- | --- | --- |',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n');
  const config = (await resolveConfig(README)) ?? {};
  return (await format(table, { ...config, parser: 'markdown' })).trimEnd();
}

function markers(readme: string): { start: number; end: number } {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start === -1 || end === -1 || end < start)
    throw new Error(`README.md needs ${START_MARKER} and, after it, ${END_MARKER}`);
  return { start: start + START_MARKER.length, end };
}

/** What the README holds between the markers, without the blank lines around it. */
export function tableIn(readme: string): string {
  const { start, end } = markers(readme);
  return readme.slice(start, end).trim();
}

/** The README with `table` between the markers. */
export function withTable(readme: string, table: string): string {
  const { start, end } = markers(readme);
  return `${readme.slice(0, start)}\n\n${table}\n\n${readme.slice(end)}`;
}

async function main(): Promise<void> {
  const table = await eventsTable();
  if (!process.argv.includes('--write')) {
    process.stdout.write(`${table}\n`);
    return;
  }
  const readme = await readFile(README, 'utf8');
  const next = withTable(readme, table);
  if (next !== readme) await writeFile(README, next);
  process.stdout.write(
    `${path.relative(process.cwd(), README)}: the events table ${next === readme ? 'was current' : 'was rewritten'}\n`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
