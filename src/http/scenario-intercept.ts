import type { MockErrorKind } from '../core/errors.js';
import { MockError } from '../core/errors.js';
import { isNegativeKind } from '../core/negative.js';
import type { NegativeKind } from '../core/negative.js';
import type { OperationCatalog } from '../core/operation-catalog.js';
import type { ScenarioEngine } from '../core/scenario-engine.js';
import { presentedCredential, targetWebhook } from '../core/scenario-engine.js';
import type { RespondOverride, SimulatedDelivery } from '../core/scenario-file.js';
import type { VendorRequest, VendorResponse } from '../core/vendor-module.js';
import type { Interceptor, Vendor } from '../core/vendor-runtime.js';
import { ProblemError } from './problem.js';

/** Delivery outcomes scenarios decided, by the id of the request whose deliveries they replace. */
export type PendingSimulations = Map<string, { scenario: string; simulate: SimulatedDelivery }>;

/**
 * Negative deliveries asked for (`X-Mock-Negative`, a scenario step's `negative`), by the id of the request
 * whose deliveries they spoil; `scenario` is unset for the header.
 */
export type PendingNegatives = Map<string, { kind: NegativeKind; scenario?: string }>;

/** What the shared scenario machinery gives each vendor's router. */
export interface ScenarioSupport {
  engine: ScenarioEngine;
  simulations: PendingSimulations;
  negatives: PendingNegatives;
  /** Seed for generated bodies; each generated body takes the next one. */
  nextSeed(): number;
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
export function negativeFromHeader(vendor: Vendor, header: string | undefined): NegativeKind | undefined {
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

interface BodyChoice {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  example?: string;
  dynamic?: boolean;
  reason: string;
}

/** An answer in the vendor's format for a forced status: given body, named example, generated or default. */
function forcedResponse(
  vendor: Vendor,
  catalog: OperationCatalog,
  request: VendorRequest,
  support: ScenarioSupport,
  choice: BodyChoice,
): VendorResponse {
  const { status, reason } = choice;
  const headers = choice.headers ?? {};
  if (choice.body !== undefined) return { status, headers, body: choice.body };
  if (!catalog.hasBody(request.operationId, status)) return { status, headers };
  if (choice.dynamic === true) {
    return { status, headers, body: catalog.generate(request.operationId, status, support.nextSeed()) };
  }
  if (choice.example !== undefined) {
    return { status, headers, body: catalog.example(request.operationId, status, choice.example).value };
  }
  if (status >= 400) {
    const kind = KIND_BY_STATUS[status] ?? 'internal';
    const formatted = vendor.formatError(new MockError(kind, reason), request);
    return { ...formatted, status, headers: { ...formatted.headers, ...headers } };
  }
  const example = catalog.example(request.operationId, status);
  if (example.found) return { status, headers, body: example.value };
  return { status, headers, body: catalog.generate(request.operationId, status, support.nextSeed()) };
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

/**
 * The interceptor for one request: a `Prefer` header answers first; otherwise the scenarios named in
 * `X-Mock-Scenario` and the active ones may answer, add latency, or decide the delivery's outcome.
 * `applied` records which one shaped the answer, for the journal.
 */
export function createInterceptor(
  vendor: Vendor,
  catalog: OperationCatalog,
  support: ScenarioSupport,
  options: {
    preference?: Preference;
    preferStatus?: number;
    oneOff: string[];
    applied: { scenario?: string };
  },
): Interceptor {
  return async (request) => {
    if (options.preference !== undefined && options.preferStatus !== undefined) {
      options.applied.scenario = 'Prefer';
      return forcedResponse(vendor, catalog, request, support, {
        status: options.preferStatus,
        ...(options.preference.example === undefined ? {} : { example: options.preference.example }),
        ...(options.preference.dynamic === undefined ? {} : { dynamic: options.preference.dynamic }),
        reason: `the Prefer header asked for ${options.preferStatus}`,
      });
    }
    const decision = support.engine.decide(
      {
        vendor: vendor.name,
        operationId: request.operationId,
        webhookId: targetWebhook(request.params, request.query, request.body),
        credential: presentedCredential(request.headers),
        headers: request.headers,
        body: request.body,
      },
      options.oneOff,
    );
    if (decision === undefined) return undefined;
    options.applied.scenario = decision.scenario;
    const { step } = decision;
    if (step.latencyMs !== undefined) await new Promise((resolve) => setTimeout(resolve, step.latencyMs));
    if (step.simulate !== undefined) {
      support.simulations.set(request.requestId, { scenario: decision.scenario, simulate: step.simulate });
    }
    // X-Mock-Negative on the call itself wins over a scenario's `negative`
    if (step.negative !== undefined && !support.negatives.has(request.requestId)) {
      support.negatives.set(request.requestId, { kind: step.negative, scenario: decision.scenario });
    }
    if (step.respond !== undefined)
      return respondWith(vendor, catalog, request, support, step.respond, decision.scenario);
    return undefined;
  };
}

function respondWith(
  vendor: Vendor,
  catalog: OperationCatalog,
  request: VendorRequest,
  support: ScenarioSupport,
  respond: RespondOverride,
  scenario: string,
): VendorResponse {
  return forcedResponse(vendor, catalog, request, support, {
    status: respond.status,
    ...(respond.body === undefined ? {} : { body: respond.body }),
    ...(respond.headers === undefined ? {} : { headers: respond.headers }),
    reason: `scenario "${scenario}" answers ${respond.status} here`,
  });
}
