/**
 * The start-up banner: where the mock listens, each vendor's base URL, the inspector, the admin API, the sink
 * and where the credentials are. Text for a terminal; the same as one JSON log record for JSON logs.
 */
import { CREDENTIALS_DOC } from './core/entry-points.js';
import type { EntryPoint } from './core/entry-points.js';

export interface BannerInput {
  version: string;
  /** The origin the server listens on. */
  localUrl: string;
  /** The origin clients and receivers use (`--public-url`), often the same. */
  url: string;
  /** The entry points below `url`. */
  entries: EntryPoint[];
  fixturesDir: string;
  /** True when the fixtures are the demo ones shipped with the package. */
  demoFixtures: boolean;
}

const VENDORS = new Set(['c1', 'shodai', 'superoffice']);

function credentials(input: BannerInput): string {
  return input.demoFixtures
    ? `the demo ones: ${CREDENTIALS_DOC}`
    : `in ${input.fixturesDir} (c1.yaml, shodai.yaml, superoffice.yaml)`;
}

export function bannerMessage(input: BannerInput): string {
  return `vendor-webhook-mock ${input.version} listening on ${input.localUrl}`;
}

export function bannerText(input: BannerInput): string {
  const line = (label: string, value: string, note = ''): string =>
    `  ${label.padEnd(13)} ${note === '' ? value : `${value.padEnd(40)} ${note}`}`.trimEnd();
  const lines = [
    bannerMessage(input),
    ...(input.url === input.localUrl ? [] : [line('public URL', input.url)]),
    '',
    ...input.entries.map((entry) =>
      // a vendor's line is only its base URL, for whoever copies it
      VENDORS.has(entry.name) ? line(entry.label, entry.url) : line(entry.label, entry.url, entry.note),
    ),
    line('credentials', credentials(input)),
    '',
  ];
  if (input.demoFixtures)
    lines.push(
      `Try: curl -s -X POST ${input.url}/shodai/v0/webhooks/wh_demo_alice_1/test -H 'X-API-Key: cns_pk_demo_free'`,
    );
  lines.push(
    'One line per request and per delivery below (--log-format json for JSON lines); Ctrl-C stops.',
    '',
  );
  return lines.join('\n');
}

/** The banner as a log record's fields (its message is bannerMessage). */
export function bannerRecord(input: BannerInput): object {
  return {
    version: input.version,
    url: input.url,
    localUrl: input.localUrl,
    urls: Object.fromEntries(input.entries.map((entry) => [entry.name, entry.url])),
    credentials: credentials(input),
  };
}
