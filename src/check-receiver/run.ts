/**
 * `check-receiver`: proves a receiver's verifier. The mock is started in-process (so C1's JWKS is served
 * while the checks run) with one webhook pointing at the receiver, and each check is a real test call of the
 * vendor's API, made wrong by `X-Mock-Negative` — the deliveries come from the vendors' own code.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { DeliveryRecord, VendorName } from '../core/journal.js';
import { NEGATIVE_DESCRIPTIONS } from '../core/negative.js';
import type { NegativeKind } from '../core/negative.js';
import { defaultFixturesDir, startMockServer } from '../server.js';
import type { MockServer } from '../server.js';
import { vendors } from '../vendors/index.js';

export const CHECK_VENDORS = ['c1', 'shodai', 'superoffice'] as const satisfies readonly VendorName[];

/** The port C1 receivers expect the local mock (and so its JWKS) at. */
export const DEFAULT_C1_PORT = 4010;

export interface CheckReceiverOptions {
  vendor: VendorName;
  /** The receiver's URL, where the deliveries go. */
  url: string;
  /** The receiver's signing secret (Shodai: required; SuperOffice: needed for the signature checks). */
  secret?: string;
  /** Time allowed for each delivery, in ms. */
  timeoutMs: number;
  /** Port of the in-process mock; default 4010 for C1 (its JWKS URL), any free port otherwise. */
  port?: number;
  /** Origin the receiver reaches the mock at (C1: JWT issuer and JWKS URL); default the listening origin. */
  publicUrl?: string;
}

export type Verdict = 'pass' | 'fail' | 'warn' | 'skip';

export interface CheckResult {
  /** `valid` or the negative kind. */
  check: 'valid' | NegativeKind;
  description: string;
  expected: string;
  /** The receiver's status, or what went wrong on the way (`timeout: ...`); absent when skipped. */
  received?: string;
  status?: number;
  verdict: Verdict;
  note?: string;
}

export interface CheckReport {
  vendor: VendorName;
  url: string;
  /** The in-process mock's public origin (C1's JWKS is at `<mockUrl>/c1/auth/v1/jwks`). */
  mockUrl: string;
  /** False when the receiver accepted something it should refuse, or refused the valid delivery. */
  ok: boolean;
  checks: CheckResult[];
  notes: string[];
}

/** A usage or set-up problem (bad option, port taken): nothing was checked. */
export class CheckSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckSetupError';
  }
}

const C1_WEBHOOK_ID = '2bWkJ8Qv3nYc5hT0dLx9ZfCHECK';
const SHODAI_WEBHOOK_ID = 'wh_check_receiver';
const SHODAI_SECRET = /^whsec_[0-9a-f]{64}$/;
const SIGNATURE_KINDS: readonly NegativeKind[] = ['tampered-body', 'wrong-secret', 'missing-signature'];

function checkOptions(options: CheckReceiverOptions): void {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new CheckSetupError(`--url ${options.url} is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CheckSetupError(`--url must be an http or https URL, not ${url.protocol}`);
  if (options.vendor === 'shodai') {
    if (options.secret === undefined)
      throw new CheckSetupError(
        '--secret is required for shodai: the whsec_... secret your receiver verifies with',
      );
    if (!SHODAI_SECRET.test(options.secret))
      throw new CheckSetupError('--secret must be a Shodai signing secret: whsec_ followed by 64 hex digits');
  }
}

/** The demo fixtures plus the webhook that delivers to the receiver, in a temporary folder. */
async function fixturesFor(options: CheckReceiverOptions): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vwm-check-receiver-'));
  await cp(defaultFixturesDir, dir, {
    recursive: true,
    filter: (source) => !source.includes(`${path.sep}scenarios`),
  });
  const add = async (vendor: VendorName, webhook: object): Promise<void> => {
    const file = path.join(dir, `${vendor}.yaml`);
    const data = parse(await readFile(file, 'utf8')) as { webhooks?: object[] };
    data.webhooks = [...(data.webhooks ?? []), webhook];
    await writeFile(file, stringify(data));
  };
  if (options.vendor === 'c1') {
    await add('c1', { id: C1_WEBHOOK_ID, displayName: 'check-receiver', url: options.url });
  } else if (options.vendor === 'shodai') {
    await add('shodai', {
      id: SHODAI_WEBHOOK_ID,
      principalId: 'prn_demo_alice',
      url: options.url,
      secret: options.secret,
    });
  }
  return dir;
}

/** The client's test call, as the demo credentials make it (SuperOffice's carries the webhook itself). */
function testCall(options: CheckReceiverOptions, base: string): { url: string; init: RequestInit } {
  switch (options.vendor) {
    case 'c1':
      return {
        url: `${base}/c1/api/v1/webhooks/${C1_WEBHOOK_ID}/test`,
        init: {
          method: 'POST',
          headers: { Authorization: 'Bearer demo-c1-token', 'Content-Type': 'application/json' },
          body: '{}',
        },
      };
    case 'shodai':
      return {
        url: `${base}/shodai/v0/webhooks/${SHODAI_WEBHOOK_ID}/test`,
        init: { method: 'POST', headers: { 'X-API-Key': 'cns_pk_demo_free' } },
      };
    case 'superoffice':
      return {
        url: `${base}/superoffice/api/v1/Webhook/Test`,
        init: {
          method: 'POST',
          headers: {
            Authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}`,
            'Content-Type': 'application/json',
            Accept: 'application/json',
          },
          body: JSON.stringify({
            Name: 'check-receiver',
            TargetUrl: options.url,
            Secret: options.secret ?? '',
          }),
        },
      };
  }
}

async function startMock(options: CheckReceiverOptions, fixturesDir: string): Promise<MockServer> {
  const port = options.port ?? (options.vendor === 'c1' ? DEFAULT_C1_PORT : 0);
  try {
    return await startMockServer({
      port,
      fixturesDir,
      deliveryTimeoutMs: options.timeoutMs,
      ...(options.publicUrl === undefined ? {} : { publicUrl: options.publicUrl }),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CheckSetupError(
        `port ${port} is in use (is the mock running there?): stop it, or pass --port with a free port` +
          (options.vendor === 'c1' ? ' and point the receiver at that JWKS URL' : ''),
      );
    }
    throw error;
  }
}

/** Sends one test call (made negative by `kind`) and returns the delivery it caused. */
async function deliverOnce(
  mock: MockServer,
  options: CheckReceiverOptions,
  kind: NegativeKind | undefined,
): Promise<DeliveryRecord> {
  const call = testCall(options, mock.localUrl);
  const headers = new Headers(call.init.headers);
  if (kind !== undefined) headers.set('X-Mock-Negative', kind);
  const res = await fetch(call.url, { ...call.init, headers });
  const text = await res.text();
  const requestId = res.headers.get('x-request-id');
  const delivery = mock.deliveries
    .list({ vendor: options.vendor })
    .filter((record) => record.requestId === requestId)
    .at(-1);
  if (delivery === undefined) {
    throw new CheckSetupError(
      `the mock's test call did not deliver anything (HTTP ${res.status}): ${text.slice(0, 500)}`,
    );
  }
  return delivery;
}

function received(delivery: DeliveryRecord): { received: string; status?: number } {
  const result = delivery.outcome.result;
  if (result.kind === 'response')
    return { received: String(result.response.status), status: result.response.status };
  return { received: result.kind };
}

const is2xx = (status: number | undefined): boolean => status !== undefined && status >= 200 && status < 300;

function judgeValid(status: number | undefined, vendor: VendorName): Pick<CheckResult, 'verdict' | 'note'> {
  if (!is2xx(status)) return { verdict: 'fail', note: 'the receiver refused a correctly signed delivery' };
  if (vendor === 'superoffice' && status !== 200)
    return { verdict: 'warn', note: 'SuperOffice counts only 200 OK as success' };
  return { verdict: 'pass' };
}

function judgeNegative(status: number | undefined): Pick<CheckResult, 'verdict' | 'note'> {
  if (is2xx(status)) return { verdict: 'fail', note: 'the receiver accepted it' };
  if (status === undefined) return { verdict: 'warn', note: 'no answer: refused, but answer a 4xx' };
  if (status >= 500)
    return { verdict: 'warn', note: 'refused, but a 5xx makes the vendor retry: answer a 4xx' };
  if (status >= 400) return { verdict: 'pass' };
  return { verdict: 'warn', note: `refused with ${status}: answer a 4xx` };
}

function judgeDuplicate(status: number | undefined): Pick<CheckResult, 'verdict' | 'note'> {
  if (is2xx(status))
    return { verdict: 'pass', note: 'only the status is checked: make sure the event was processed once' };
  return {
    verdict: 'warn',
    note: 'a repeated event id should get a 2xx again (without processing it twice); the vendor retries otherwise',
  };
}

/** The checks in the order they run: the valid delivery, its duplicate, then each wrong one. */
function plan(vendor: VendorName): ('valid' | NegativeKind)[] {
  const kinds = vendors.find((candidate) => candidate.name === vendor)?.negativeKinds ?? [];
  return [
    'valid',
    ...kinds.filter((kind) => kind === 'duplicate-event-id'),
    ...kinds.filter((kind) => kind !== 'duplicate-event-id'),
  ];
}

/** Runs the whole battery against the receiver. Throws CheckSetupError when it cannot run at all. */
export async function checkReceiver(options: CheckReceiverOptions): Promise<CheckReport> {
  checkOptions(options);
  const fixturesDir = await fixturesFor(options);
  try {
    const mock = await startMock(options, fixturesDir);
    try {
      const notes: string[] = [];
      if (options.vendor === 'c1') {
        notes.push(
          `C1 deliveries are signed with a key made at start-up; the receiver must fetch it from ${mock.url}/c1/auth/v1/jwks (issuer ${new URL(mock.url).host}, audience ${new URL(options.url).hostname}).`,
        );
        if (options.secret !== undefined)
          notes.push('--secret is not used for C1: C1 signs with a JWT, not a shared secret.');
      }
      const noSecret = options.vendor === 'superoffice' && (options.secret ?? '') === '';
      if (noSecret) {
        notes.push(
          'No --secret: SuperOffice signs only webhooks with a Secret, so the signature checks were skipped; pass the secret your receiver verifies with.',
        );
      }
      const checks: CheckResult[] = [];
      for (const check of plan(options.vendor)) {
        const kind = check === 'valid' ? undefined : check;
        const base = {
          check,
          description: kind === undefined ? 'a correctly signed test delivery' : NEGATIVE_DESCRIPTIONS[kind],
          expected:
            kind === undefined
              ? '2xx (accept)'
              : kind === 'duplicate-event-id'
                ? '2xx (idempotent)'
                : '4xx (refuse)',
        };
        if (noSecret && kind !== undefined && SIGNATURE_KINDS.includes(kind)) {
          checks.push({ ...base, verdict: 'skip', note: 'needs --secret' });
          continue;
        }
        const delivery = await deliverOnce(mock, options, kind);
        const answer = received(delivery);
        const judged =
          kind === undefined
            ? judgeValid(answer.status, options.vendor)
            : kind === 'duplicate-event-id'
              ? judgeDuplicate(answer.status)
              : judgeNegative(answer.status);
        checks.push({ ...base, ...answer, ...judged });
      }
      return {
        vendor: options.vendor,
        url: options.url,
        mockUrl: mock.url,
        ok: checks.every((check) => check.verdict !== 'fail'),
        checks,
        notes,
      };
    } finally {
      await mock.close();
    }
  } finally {
    await rm(fixturesDir, { recursive: true, force: true });
  }
}
