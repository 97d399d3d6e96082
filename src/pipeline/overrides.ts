/**
 * The overrides stage: what a request asks of the mock itself, on top of the vendor's behaviour — a Prism-style
 * `Prefer` header, scenarios named in `X-Mock-Scenario` or switched on, and `X-Mock-Negative`. The result is a
 * value that travels with the request: an answer to give instead of the handler's, a delivery outcome to
 * simulate, a negative delivery to make. Misuse of these headers is the mock's own 400 (problem+json), decided
 * only after the credentials passed.
 */
import { MockError } from '../core/errors.js';
import type { MockErrorKind } from '../core/errors.js';
import { isNegativeKind } from '../core/negative.js';
import type { NegativeKind } from '../core/negative.js';
import type { OperationCatalog } from '../core/operation-catalog.js';
import { ProblemError } from '../core/problem.js';
import { UnknownScenarioError } from '../core/scenario-engine.js';
import type { ScenarioEngine } from '../core/scenario-engine.js';
import type { RespondOverride, SimulatedDelivery } from '../core/scenario-file.js';
import type { VendorRequest, VendorResponse } from '../core/vendor-module.js';
import type { VendorModule } from '../core/vendor-runtime.js';

/** What the overrides stage decided for one request. */
export interface RequestOverrides {
  /** An answer in place of the handler's (a `Prefer` header, a scenario's `respond`). */
  answer?: VendorResponse;
  /** The scenario (or `Prefer`) that shaped the answer, for the journal. */
  shapedBy?: string;
  /** A delivery outcome decided without contacting anyone. */
  simulate?: { scenario: string; simulate: SimulatedDelivery };
  /** A negative delivery to make (the header wins over a scenario's). */
  negative?: NegativeKind;
  /** Extra time before the answer, in ms. */
  latencyMs?: number;
}

/** A `Prefer` header in Prism's dialect: `code=404`, `example=name`, `dynamic=true`. */
export interface Preference {
  code?: number;
  example?: string;
  dynamic?: boolean;
}

export function parsePrefer(header: string | undefined): Preference | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const preference: Preference = {};
  for (const part of header.split(/[,;]/)) {
    const [rawKey, ...rest] = part.split('=');
    const key = rawKey?.trim().toLowerCase();
    const value = rest
      .join('=')
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (key === 'code') {
      const code = Number(value);
      if (!Number.isInteger(code) || code < 100 || code > 599)
        throw new ProblemError(400, 'Bad Prefer header', `Prefer code=${value} is not an HTTP status code`);
      preference.code = code;
    } else if (key === 'example') preference.example = value;
    else if (key === 'dynamic') preference.dynamic = value === 'true';
  }
  return preference.code === undefined && preference.example === undefined && preference.dynamic !== true
    ? undefined
    : preference;
}

/** Scenario names from `X-Mock-Scenario: a, b`. */
export function scenarioNamesFrom(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}

/** `X-Mock-Negative: <kind>`, checked against the kinds the vendor can make; a misuse is our own 400. */
export function negativeFromHeader(
  vendor: VendorModule,
  header: string | undefined,
): NegativeKind | undefined {
  const value = header?.trim() ?? '';
  if (value === '') return undefined;
  if (isNegativeKind(value) && vendor.negativeKinds.includes(value)) return value;
  throw new ProblemError(
    400,
    'Unknown negative delivery',
    `X-Mock-Negative: ${vendor.title} has no negative delivery "${value}" (known: ${
      vendor.negativeKinds.join(', ') || 'none'
    })`,
  );
}

const KIND_BY_STATUS: Record<number, MockErrorKind> = {
  400: 'invalid-request',
  401: 'unauthenticated',
  402: 'payment-required',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'limit-exceeded',
  501: 'not-implemented',
};

function successStatus(catalog: OperationCatalog, operationId: string): number {
  const statuses = catalog
    .declaredStatuses(operationId)
    .map(Number)
    .filter((status) => status >= 200 && status < 300)
    .sort((a, b) => a - b);
  return statuses[0] ?? 200;
}

/** Checks a Prefer header against the operation's spec before anything runs; a misuse is our own 400. */
export function checkPreference(
  catalog: OperationCatalog,
  operationId: string,
  preference: Preference,
): number {
  const status = preference.code ?? successStatus(catalog, operationId);
  if (!catalog.declares(operationId, status)) {
    throw new ProblemError(
      400,
      'Status not in the spec',
      `Prefer code=${status}: ${operationId} does not declare ${status} (declared: ${catalog
        .declaredStatuses(operationId)
        .join(', ')})`,
    );
  }
  if (preference.example !== undefined) {
    const names = catalog.exampleNames(operationId, status);
    if (!names.includes(preference.example)) {
      throw new ProblemError(
        400,
        'Unknown example',
        `Prefer example=${preference.example}: ${operationId} has no such example for ${status} (examples: ${
          names.join(', ') || 'none'
        })`,
      );
    }
  }
  return status;
}

interface BodyChoice {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  example?: string;
  dynamic?: boolean;
  reason: string;
}

/** What the forced answers need: the vendor (its error format), its spec's catalogue, a seed per generated body. */
export interface OverrideSupport {
  vendor: VendorModule;
  catalog: OperationCatalog;
  scenarios: ScenarioEngine;
  nextBodySeed(): number;
}

/** An answer in the vendor's format for a forced status: given body, named example, generated or default. */
async function forcedResponse(
  support: OverrideSupport,
  request: VendorRequest,
  choice: BodyChoice,
): Promise<VendorResponse> {
  const { catalog } = support;
  const { status, reason } = choice;
  const headers = choice.headers ?? {};
  if (choice.body !== undefined) return { status, headers, body: choice.body };
  if (!catalog.hasBody(request.operationId, status)) return { status, headers };
  if (choice.dynamic === true) {
    return {
      status,
      headers,
      body: await catalog.generate(request.operationId, status, support.nextBodySeed()),
    };
  }
  if (choice.example !== undefined) {
    return { status, headers, body: catalog.example(request.operationId, status, choice.example).value };
  }
  if (status >= 400) {
    const kind = KIND_BY_STATUS[status] ?? 'internal';
    const formatted = support.vendor.formatError(new MockError(kind, reason), {
      requestId: request.requestId,
      headers: request.headers,
      stage: 'overrides',
      operationId: request.operationId,
    });
    return { ...formatted, status, headers: { ...formatted.headers, ...headers } };
  }
  const example = catalog.example(request.operationId, status);
  if (example.found) return { status, headers, body: example.value };
  return {
    status,
    headers,
    body: await catalog.generate(request.operationId, status, support.nextBodySeed()),
  };
}

function respondWith(
  support: OverrideSupport,
  request: VendorRequest,
  respond: RespondOverride,
  scenario: string,
): Promise<VendorResponse> {
  return forcedResponse(support, request, {
    status: respond.status,
    ...(respond.body === undefined ? {} : { body: respond.body }),
    ...(respond.headers === undefined ? {} : { headers: respond.headers }),
    reason: `scenario "${scenario}" answers ${respond.status} here`,
  });
}

/**
 * The overrides for one authenticated request: a `Prefer` header answers first; otherwise the scenarios named
 * in `X-Mock-Scenario` and the active ones may answer, add latency, simulate the delivery or make it negative.
 * Throws a ProblemError for a header the mock cannot honour.
 */
export async function resolveOverrides(
  support: OverrideSupport,
  request: VendorRequest,
): Promise<RequestOverrides> {
  const { vendor, catalog, scenarios } = support;
  const oneOff = scenarioNamesFrom(request.headers['x-mock-scenario']);
  const unknown = scenarios.unknown(oneOff);
  if (unknown.length > 0) {
    const known = scenarios.list().map((scenario) => scenario.name);
    const error = new UnknownScenarioError(unknown, known);
    throw new ProblemError(400, 'Unknown scenario', `X-Mock-Scenario: ${error.message}`);
  }
  const headerNegative = negativeFromHeader(vendor, request.headers['x-mock-negative']);
  const preference = parsePrefer(request.headers.prefer);
  if (preference !== undefined) {
    const status = checkPreference(catalog, request.operationId, preference);
    const answer = await forcedResponse(support, request, {
      status,
      ...(preference.example === undefined ? {} : { example: preference.example }),
      ...(preference.dynamic === undefined ? {} : { dynamic: preference.dynamic }),
      reason: `the Prefer header asked for ${status}`,
    });
    return {
      answer,
      shapedBy: 'Prefer',
      ...(headerNegative === undefined ? {} : { negative: headerNegative }),
    };
  }
  const decision = scenarios.decide(
    {
      vendor: vendor.name,
      operationId: request.operationId,
      webhookId: vendor.targetWebhook(request),
      credential: vendor.presentedCredential(request.headers),
      headers: request.headers,
      body: request.body,
    },
    oneOff,
  );
  if (decision === undefined) return headerNegative === undefined ? {} : { negative: headerNegative };
  const { step, scenario } = decision;
  const negative = headerNegative ?? step.negative;
  return {
    shapedBy: scenario,
    ...(step.latencyMs === undefined ? {} : { latencyMs: step.latencyMs }),
    ...(step.simulate === undefined ? {} : { simulate: { scenario, simulate: step.simulate } }),
    ...(negative === undefined ? {} : { negative }),
    ...(step.respond === undefined
      ? {}
      : { answer: await respondWith(support, request, step.respond, scenario) }),
  };
}
