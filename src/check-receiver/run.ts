/**
 * `check-receiver`: proves a receiver's verifier. The mock is started in-process (so C1's JWKS is served
 * while the checks run) with one webhook pointing at the receiver, and each check is a real test call of the
 * vendor's API, made wrong by `X-Mock-Negative` — the deliveries come from the vendors' own code.
 */
import type { DeliveryRecord } from '../core/journal.js';
import { NEGATIVE_DESCRIPTIONS } from '../core/negative.js';
import type { NegativeKind } from '../core/negative.js';
import type { ReceiverCheck, ReceiverProbe, ReceiverVerdict, VendorName } from '../core/vendor-module.js';
import type { VendorModule } from '../core/vendor-runtime.js';
import type { MockServer } from '../server/index.js';
import { PortInUseError, receiverUrlProblem, withReceiverMock } from '../server/receiver-mock.js';
import { vendors } from '../vendors/index.js';

/** The vendors whose receivers can be checked (those with a `receiverCheck`). */
export const CHECK_VENDORS: readonly VendorName[] = vendors
  .filter((vendor) => vendor.receiverCheck !== undefined)
  .map((vendor) => vendor.name);

export interface CheckReceiverOptions {
  vendor: VendorName;
  /** The receiver's URL, where the deliveries go. */
  url: string;
  /** The receiver's signing secret (Shodai: required; SuperOffice: needed for the signature checks). */
  secret?: string;
  /** Time allowed for each delivery, in ms. */
  timeoutMs: number;
  /** Port of the in-process mock; default the vendor's (C1: 4010, its JWKS URL), any free port otherwise. */
  port?: number;
  /** Origin the receiver reaches the mock at (C1: JWT issuer and JWKS URL); default the listening origin. */
  publicUrl?: string;
  /** Told what is going on while the checks run (before a long wait); the CLI writes it to stderr. */
  progress?: (line: string) => void;
}

export type Verdict = ReceiverVerdict;

export interface CheckResult {
  /** `valid`, the negative kind, or one of the vendor's own checks (C1: `rotated-key`). */
  check: string;
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
  /** The vendor's name for people, e.g. `ConductorOne`. */
  vendorLabel: string;
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

const SIGNATURE_KINDS: readonly NegativeKind[] = ['tampered-body', 'wrong-secret', 'missing-signature'];

interface Checked {
  vendor: VendorModule;
  check: ReceiverCheck;
}

function checkOptions(options: CheckReceiverOptions): Checked {
  const vendor = vendors.find((candidate) => candidate.name === options.vendor);
  if (vendor?.receiverCheck === undefined)
    throw new CheckSetupError(`--vendor must be one of ${CHECK_VENDORS.join(', ')}`);
  const urlProblem = receiverUrlProblem(options.url);
  if (urlProblem !== undefined) throw new CheckSetupError(urlProblem);
  const problem = vendor.receiverCheck.secretProblem?.(options.secret);
  if (problem !== undefined) throw new CheckSetupError(problem);
  return { vendor, check: vendor.receiverCheck };
}

/** Makes one test call (made negative by `kind`) through the mock in process; returns the delivery it caused. */
async function deliverOnce(
  mock: MockServer,
  options: CheckReceiverOptions,
  checked: Checked,
  kind: NegativeKind | undefined,
): Promise<DeliveryRecord> {
  const call = checked.check.testCall(options.url, options.secret);
  const headers = { ...call.headers, ...(kind === undefined ? {} : { 'x-mock-negative': kind }) };
  const answer = await mock.call(options.vendor, { ...call, headers });
  const delivery = mock.deliveries
    .list({ vendor: options.vendor })
    .filter((record) => record.requestId === answer.requestId)
    .at(-1);
  if (delivery === undefined) {
    throw new CheckSetupError(
      `the mock's test call did not deliver anything (HTTP ${answer.status}): ${answer.body.toString('utf8').slice(0, 500)}`,
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

function judgeValid(status: number | undefined, checked: Checked): Pick<CheckResult, 'verdict' | 'note'> {
  if (!is2xx(status)) return { verdict: 'fail', note: 'the receiver refused a correctly signed delivery' };
  if (status !== undefined && checked.check.accepts?.(status) === 'only-2xx-not-200')
    return { verdict: 'warn', note: `${checked.vendor.label} counts only 200 OK as success` };
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
function plan(vendor: VendorModule): ('valid' | NegativeKind)[] {
  const kinds = vendor.negativeKinds;
  return [
    'valid',
    ...kinds.filter((kind) => kind === 'duplicate-event-id'),
    ...kinds.filter((kind) => kind !== 'duplicate-event-id'),
  ];
}

/** One check: the delivery it makes, the receiver's answer, and the verdict (or skipped without a secret). */
async function runCheck(
  mock: MockServer,
  options: CheckReceiverOptions,
  checked: Checked,
  check: 'valid' | NegativeKind,
): Promise<CheckResult> {
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
  const noSecret = !checked.check.signedWithoutSecret && (options.secret ?? '') === '';
  if (noSecret && kind !== undefined && SIGNATURE_KINDS.includes(kind)) {
    return { ...base, verdict: 'skip', note: 'needs --secret' };
  }
  const answer = received(await deliverOnce(mock, options, checked, kind));
  const judged =
    kind === undefined
      ? judgeValid(answer.status, checked)
      : kind === 'duplicate-event-id'
        ? judgeDuplicate(answer.status)
        : judgeNegative(answer.status);
  return { ...base, ...answer, ...judged };
}

/** What a vendor's own checks may do: deliver, run the vendor's actions, see its calls, wait. */
function probeFor(mock: MockServer, options: CheckReceiverOptions, checked: Checked): ReceiverProbe {
  return {
    deliver: async () => received(await deliverOnce(mock, options, checked, undefined)),
    action: (name, body) => mock.action(options.vendor, name, body),
    callsOf: (operationId) =>
      mock.requests
        .list({ vendor: options.vendor, operationId })
        .map((request) => new Date(request.receivedAt)),
    now: () => mock.clock.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    say: (line) => options.progress?.(line),
  };
}

/** The common checks, then the vendor's own. */
async function runChecks(
  mock: MockServer,
  options: CheckReceiverOptions,
  checked: Checked,
): Promise<CheckResult[]> {
  const checks: CheckResult[] = [];
  for (const check of plan(checked.vendor)) checks.push(await runCheck(mock, options, checked, check));
  for (const own of checked.check.ownChecks ?? []) {
    const { name, description, expected } = own;
    checks.push({ check: name, description, expected, ...(await own.run(probeFor(mock, options, checked))) });
  }
  return checks;
}

/** Runs the whole battery against the receiver. Throws CheckSetupError when it cannot run at all. */
export async function checkReceiver(options: CheckReceiverOptions): Promise<CheckReport> {
  const checked = checkOptions(options);
  const webhook = checked.check.fixtureWebhook?.(options.url, options.secret);
  const port = options.port ?? checked.check.defaultPort ?? 0;
  const mockOptions = {
    vendor: checked.vendor,
    port,
    deliveryTimeoutMs: options.timeoutMs,
    ...(webhook === undefined ? {} : { webhook }),
    ...(options.publicUrl === undefined ? {} : { publicUrl: options.publicUrl }),
    ...(checked.check.mockSettings === undefined
      ? {}
      : { vendorSettings: { [options.vendor]: checked.check.mockSettings } }),
  };
  try {
    return await withReceiverMock(mockOptions, async (mock) => {
      const checks = await runChecks(mock, options, checked);
      return {
        vendor: options.vendor,
        vendorLabel: checked.vendor.label,
        url: options.url,
        mockUrl: mock.url,
        ok: checks.every((check) => check.verdict !== 'fail'),
        checks,
        notes: checked.check.notes?.(mock.url, options.url, options.secret) ?? [],
      };
    });
  } catch (error) {
    if (!(error instanceof PortInUseError)) throw error;
    throw new CheckSetupError(
      `port ${port} is in use (is the mock running there?): stop it, or pass --port with a free port` +
        (checked.check.defaultPort === undefined ? '' : ' and point the receiver at that JWKS URL'),
    );
  }
}
