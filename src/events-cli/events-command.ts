/**
 * `vendor-webhook-mock events [--vendor V] [--json]`: every event each vendor sends, with its variants. The
 * catalogue is data in the vendors' modules, so no mock needs to run; `--json` prints what the admin API's
 * `GET /__admin/catalogue` answers.
 */
import { Command, Option } from 'commander';
import type { VendorCatalogue } from '../pipeline/event-desk.js';
import { cataloguesOf } from '../pipeline/event-desk.js';
import { vendors } from '../vendors/index.js';
import { exitOnUsageError } from './usage.js';

/** The vendors that send events, by name. */
export const EVENT_VENDORS: readonly string[] = cataloguesOf(vendors).map((catalogue) => catalogue.vendor);

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The catalogue for people: per vendor its events, each with its summary and variants. */
export function formatCatalogue(catalogues: readonly VendorCatalogue[]): string {
  const lines: string[] = [];
  for (const catalogue of catalogues) {
    lines.push(`${catalogue.title} (${catalogue.vendor}): ${plural(catalogue.events.length, 'event')}`);
    for (const event of catalogue.events) {
      lines.push(`  ${event.name}`, `      ${event.summary}`);
      const width = Math.max(0, ...event.variants.map((variant) => variant.name.length));
      for (const variant of event.variants)
        lines.push(`      variant ${variant.name.padEnd(width)}  ${variant.summary}`);
    }
    lines.push('');
  }
  lines.push(
    'Send one: vendor-webhook-mock trigger <vendor> <event> [--variant NAME] [--set path=value] (see trigger --help)',
    '',
  );
  return lines.join('\n');
}

export function eventsCommand(): Command {
  return new Command('events')
    .description(
      'list every event each vendor sends (the catalogue), with its variants; needs no running mock',
    )
    .addOption(new Option('--vendor <vendor>', 'only this vendor').choices([...EVENT_VENDORS]))
    .option('--json', 'print the catalogue as JSON, as GET /__admin/catalogue answers it')
    .exitOverride(exitOnUsageError)
    .action((options: { vendor?: string; json?: boolean }) => {
      const catalogues = cataloguesOf(vendors).filter(
        (catalogue) => options.vendor === undefined || catalogue.vendor === options.vendor,
      );
      process.stdout.write(
        options.json === true
          ? `${JSON.stringify({ vendors: catalogues }, null, 2)}\n`
          : formatCatalogue(catalogues),
      );
    });
}
