import type { RequestHandler, Response } from 'express';
import type { OpenAPIBackend, Operation } from 'openapi-backend';
import { MockError, isMockError } from '../core/errors.js';
import type { RequestJournal } from '../core/journal.js';
import type { OperationCatalog } from '../core/operation-catalog.js';
import { UnknownScenarioError } from '../core/scenario-engine.js';
import type { Vendor, VendorRuntime } from '../core/vendor-runtime.js';
import type { ErrorContext, VendorRequest, VendorResponse } from '../core/vendor-module.js';
import { parseRequestBody } from './body.js';
import { mediaType } from '../core/media-type.js';
import { ProblemError, writeProblem } from './problem.js';
import { RouteTable } from './route-table.js';
import type { ScenarioSupport } from './scenario-intercept.js';
import {
  checkPreference,
  createInterceptor,
  negativeFromHeader,
  parsePrefer,
  scenarioNamesFrom,
} from './scenario-intercept.js';
import { summarise, toFieldProblems } from './validation-errors.js';
import { flattenHeaders } from '../core/delivery.js';

export interface RoutedLocals {
  requestId: string;
  vendor?: string;
  operationId?: string;
}

/** Does the operation accept a body of this media type? */
function acceptsMediaType(operation: Operation, type: string): boolean {
  const content =
    operation.requestBody && 'content' in operation.requestBody ? operation.requestBody.content : {};
  return Object.keys(content).some((declared) => {
    const want = declared.toLowerCase();
    if (want === type || want === '*/*') return true;
    if (want.endsWith('/*')) return type.startsWith(want.slice(0, -1));
    return false;
  });
}

function declaredMediaTypes(operation: Operation): string[] {
  const content =
    operation.requestBody && 'content' in operation.requestBody ? operation.requestBody.content : {};
  return Object.keys(content);
}

/** Writes a vendor's answer; returns the headers and bytes sent, for the journal. */
export function writeVendorResponse(
  res: Response,
  vendor: Vendor,
  response: VendorResponse,
  context: ErrorContext,
): { headers: Record<string, string>; body: Buffer } {
  const headers: Record<string, string> = { 'x-request-id': context.requestId, ...response.headers };
  if (response.body === undefined || response.status === 204) {
    res.writeHead(response.status, headers);
    res.end();
    return { headers, body: Buffer.alloc(0) };
  }
  const serialized = vendor.serialize(response.body, context);
  headers['content-type'] = serialized.contentType;
  headers['content-length'] = String(serialized.body.length);
  res.writeHead(response.status, headers);
  res.end(serialized.body);
  return { headers, body: serialized.body };
}

/** What a vendor's router needs besides the vendor: its spec's catalog, scenarios and the request journal. */
export interface VendorRouterSupport {
  catalog: OperationCatalog;
  scenarios: ScenarioSupport;
  requests: RequestJournal;
  /** How much of each body the request journal keeps. */
  journalBodyBytes: number;
}

function clip(buffer: Buffer, limit: number): { text: string; truncated: boolean } {
  return buffer.length > limit
    ? { text: buffer.subarray(0, limit).toString('utf8'), truncated: true }
    : { text: buffer.toString('utf8'), truncated: false };
}

/**
 * The express handler for one vendor: route and validate against the vendor's spec (openapi-backend), then hand
 * the request to the vendor (auth, handler). Every failure is answered in the vendor's own error format.
 */
export function createVendorHandler(
  vendor: Vendor,
  api: OpenAPIBackend,
  runtime: VendorRuntime,
  support: VendorRouterSupport,
): RequestHandler {
  const routes = new RouteTable(api);
  return async (req, res) => {
    const receivedAt = new Date();
    const started = performance.now();
    const locals = res.locals as RoutedLocals;
    locals.vendor = vendor.name;
    const headers = flattenHeaders(req.headers);
    const context: ErrorContext = { requestId: locals.requestId, headers };
    const { path, tenant } = vendor.splitPath(req.path);
    const method = req.method.toLowerCase();
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const query = req.query as Record<string, string | string[] | undefined>;

    const journal = (
      scenario: string | undefined,
      operationId: string | undefined,
      status: number,
      sent: { headers: Record<string, string>; body: Buffer },
    ): void => {
      const body = clip(rawBody, support.journalBodyBytes);
      const answer = clip(sent.body, support.journalBodyBytes);
      support.requests.record({
        id: locals.requestId,
        receivedAt: receivedAt.toISOString(),
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        vendor: vendor.name,
        ...(operationId === undefined ? {} : { operationId }),
        method: req.method,
        url: req.originalUrl,
        headers,
        body: body.text,
        bodyTruncated: body.truncated,
        response: { status, headers: sent.headers, body: answer.text, bodyTruncated: answer.truncated },
        ...(scenario === undefined ? {} : { scenario }),
      });
    };

    const matched = routes.match(method, path);
    if (matched === undefined) {
      const otherMethod = routes.hasPath(path);
      const error = otherMethod
        ? new MockError('method-not-allowed', `${req.method} is not allowed on ${path}`)
        : new MockError('route-not-found', `no ${vendor.title} operation matches ${req.method} ${path}`);
      const answer = vendor.formatError(error, context);
      journal(undefined, undefined, answer.status, writeVendorResponse(res, vendor, answer, context));
      return;
    }

    const operation = matched.operation;
    const operationId = operation.operationId ?? `${method} ${path}`;
    locals.operationId = operationId;
    const request: VendorRequest = {
      requestId: locals.requestId,
      operationId,
      method: req.method,
      path,
      headers,
      query,
      params: matched.params,
      body: undefined,
      rawBody,
      ...(tenant !== undefined ? { tenant } : {}),
    };

    const problem = checkAndParse(vendor, api, operation, request);
    if (isMockError(problem)) {
      const answer = await runtime.reject(request, problem);
      journal(undefined, operationId, answer.status, writeVendorResponse(res, vendor, answer, context));
      return;
    }

    // credentials first: a caller without them learns nothing about the mock's own headers
    const refusal = await runtime.checkCredentials(request);
    if (refusal !== undefined) {
      journal(undefined, operationId, refusal.status, writeVendorResponse(res, vendor, refusal, context));
      return;
    }

    const applied: { scenario?: string } = {};
    let intercept;
    let negative;
    try {
      const oneOff = scenarioNamesFrom(headers['x-mock-scenario']);
      const unknown = support.scenarios.engine.unknown(oneOff);
      if (unknown.length > 0)
        throw new UnknownScenarioError(
          unknown,
          support.scenarios.engine.list().map((s) => s.name),
        );
      negative = negativeFromHeader(vendor, headers['x-mock-negative']);
      const preference = parsePrefer(headers.prefer);
      const preferStatus =
        preference === undefined ? undefined : checkPreference(support.catalog, operationId, preference);
      intercept = createInterceptor(vendor, support.catalog, support.scenarios, {
        ...(preference === undefined ? {} : { preference }),
        ...(preferStatus === undefined ? {} : { preferStatus }),
        oneOff,
        applied,
      });
    } catch (error) {
      const problemError =
        error instanceof UnknownScenarioError
          ? new ProblemError(400, 'Unknown scenario', `X-Mock-Scenario: ${error.message}`)
          : error instanceof ProblemError
            ? error
            : undefined;
      if (problemError === undefined) throw error;
      writeProblem(res, problemError, locals.requestId);
      return;
    }

    let response: VendorResponse;
    if (negative !== undefined) support.scenarios.negatives.set(request.requestId, { kind: negative });
    try {
      response = await runtime.handle(request, intercept);
    } finally {
      support.scenarios.simulations.delete(request.requestId);
      support.scenarios.negatives.delete(request.requestId);
    }
    journal(
      applied.scenario,
      operationId,
      response.status,
      writeVendorResponse(res, vendor, response, context),
    );
  };
}

/** Parses the body and validates the request against the operation; returns the problem, if any. */
function checkAndParse(
  vendor: Vendor,
  api: OpenAPIBackend,
  operation: Operation,
  request: VendorRequest,
): MockError | undefined {
  const declared = declaredMediaTypes(operation);
  const hasBody = request.rawBody.length > 0;
  const contentType = request.headers['content-type'];
  if (hasBody && declared.length > 0) {
    const type = mediaType(contentType);
    if (!acceptsMediaType(operation, type)) {
      return new MockError(
        'unsupported-media-type',
        `content type ${type === '' ? '(none)' : type} is not accepted here; send ${declared.join(' or ')}`,
        { fields: [{ field: 'header.content-type', message: `must be one of: ${declared.join(', ')}` }] },
      );
    }
    try {
      request.body = parseRequestBody(vendor, contentType, request.rawBody);
    } catch (error) {
      if (isMockError(error)) return error;
      throw error;
    }
  }

  const validation = api.validateRequest(
    {
      method: request.method.toLowerCase(),
      path: request.path,
      headers: request.headers as Record<string, string | string[]>,
      query: request.query as Record<string, string | string[]>,
      body: request.body,
    },
    operation,
  );
  if (!validation.valid) {
    const fields = toFieldProblems(validation.errors);
    return new MockError('invalid-request', `invalid request: ${summarise(fields)}`, { fields });
  }
  return undefined;
}
