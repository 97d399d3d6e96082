/**
 * `handleRequest`: one request to a vendor, from the adapter's plain request to the answer's bytes — route →
 * read → parse → validate → authenticate → overrides → handle → serialize — then the request journal. Pure of
 * express and of Node's request and response. Each stage fails with a typed error; the vendor's error table
 * turns it into the vendor's status and body. Problems with the request's body or parameters are answered after
 * its credentials are checked, as the vendors do: a caller without credentials learns nothing else.
 */
import { MockError, isMockError } from '../core/errors.js';
import { mediaType } from '../core/media-type.js';
import { ProblemError, problemAnswer } from '../core/problem.js';
import { setOwn } from '../core/safe-object.js';
import type { Dispatch, PipelineStage, VendorRequest, VendorResponse } from '../core/vendor-module.js';
import { parseBody } from './parse.js';
import { resolveOverrides } from './overrides.js';
import type { RequestOverrides } from './overrides.js';
import type { MountedVendor, PipelineRequest, PipelineResponse, PipelineServices } from './types.js';
import { summarise } from './validate.js';

/** What the stages came to: a vendor answer to serialise, or a finished one (the mock's own problem+json). */
type Outcome =
  | { kind: 'vendor'; response: VendorResponse; operationId?: string; shapedBy?: string }
  | { kind: 'ready'; response: PipelineResponse; operationId?: string };

/** The query string as the vendor sees it: repeated names become lists; names are own properties only. */
export function parseQuery(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(query)) {
    const earlier = Object.hasOwn(out, name) ? out[name] : undefined;
    setOwn(
      out,
      name,
      earlier === undefined ? value : Array.isArray(earlier) ? [...earlier, value] : [earlier, value],
    );
  }
  return out;
}

function failure(
  mounted: MountedVendor,
  request: PipelineRequest,
  stage: PipelineStage,
  error: MockError,
  operationId?: string,
): Outcome {
  const response = mounted.module.formatError(error, {
    requestId: request.requestId,
    headers: request.headers,
    stage,
    ...(operationId === undefined ? {} : { operationId }),
  });
  return { kind: 'vendor', response, ...(operationId === undefined ? {} : { operationId }) };
}

/** The parse and validate stages: the problem they found, if any (answered after authentication). */
function parseAndValidate(
  mounted: MountedVendor,
  vendorRequest: VendorRequest,
  operation: MountedVendor['routes']['operations'][number],
): { stage: PipelineStage; error: MockError } | undefined {
  try {
    vendorRequest.body = parseBody(
      mounted.module,
      operation,
      vendorRequest.headers['content-type'],
      vendorRequest.rawBody,
    );
  } catch (error) {
    if (isMockError(error)) return { stage: 'parse', error };
    throw error;
  }
  const problems = mounted.validators.check(operation, {
    params: vendorRequest.params,
    query: vendorRequest.query as Record<string, string | string[]>,
    headers: vendorRequest.headers as Record<string, string>,
    body: vendorRequest.body,
    mediaType: mediaType(vendorRequest.headers['content-type']),
  });
  if (problems.length === 0) return undefined;
  return {
    stage: 'validate',
    error: new MockError('invalid-request', `invalid request: ${summarise(problems)}`, { fields: problems }),
  };
}

/** The handler, with the request's overrides bound to its door to the delivery engine. */
async function runHandler(
  mounted: MountedVendor,
  request: PipelineRequest,
  vendorRequest: VendorRequest,
  principal: unknown,
  overrides: RequestOverrides,
  services: PipelineServices,
): Promise<Outcome> {
  const dispatch: Dispatch = {
    deliver: (outbound) =>
      services.engine.deliver(
        {
          vendor: mounted.module.name,
          requestId: request.requestId,
          ...(overrides.simulate === undefined ? {} : { simulate: overrides.simulate }),
        },
        outbound,
      ),
    ...(overrides.negative === undefined ? {} : { negative: overrides.negative }),
  };
  const shaped = overrides.shapedBy === undefined ? {} : { shapedBy: overrides.shapedBy };
  try {
    const response = await mounted.runtime.handle(vendorRequest, principal, dispatch);
    return { kind: 'vendor', response, operationId: vendorRequest.operationId, ...shaped };
  } catch (error) {
    if (isMockError(error))
      return { ...failure(mounted, request, 'handle', error, vendorRequest.operationId), ...shaped };
    services.logger.error({ err: error, requestId: request.requestId }, 'handler failed');
    const internal = new MockError('internal', 'internal error in the mock');
    return failure(mounted, request, 'handle', internal, vendorRequest.operationId);
  }
}

async function runStages(
  mounted: MountedVendor,
  request: PipelineRequest,
  services: PipelineServices,
): Promise<Outcome> {
  const { module } = mounted;
  const { path, tenant } = module.splitPath(request.path);
  const matched = mounted.routes.match(request.method, path);
  if (matched === undefined) {
    const error = mounted.routes.hasPath(path)
      ? new MockError('method-not-allowed', `${request.method} is not allowed on ${path}`)
      : new MockError('route-not-found', `no ${module.title} operation matches ${request.method} ${path}`);
    return failure(mounted, request, 'route', error);
  }
  const { operation } = matched;
  const operationId = operation.operationId;
  if (request.bodyError !== undefined)
    return failure(mounted, request, 'read', request.bodyError, operationId);

  const vendorRequest: VendorRequest = {
    requestId: request.requestId,
    operationId,
    method: request.method,
    path,
    headers: request.headers,
    query: parseQuery(request.query),
    params: matched.params,
    body: undefined,
    rawBody: request.body,
    ...(tenant === undefined ? {} : { tenant }),
  };
  const problem = parseAndValidate(mounted, vendorRequest, operation);

  let principal: unknown;
  try {
    principal = await mounted.runtime.authenticate(vendorRequest);
  } catch (error) {
    if (isMockError(error)) return failure(mounted, request, 'authenticate', error, operationId);
    throw error;
  }
  if (problem !== undefined) return failure(mounted, request, problem.stage, problem.error, operationId);

  let overrides: RequestOverrides;
  try {
    overrides = await resolveOverrides(
      { ...services, vendor: module, catalog: mounted.catalog },
      vendorRequest,
    );
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    return { kind: 'ready', response: problemAnswer(error, request.requestId), operationId };
  }
  if (overrides.latencyMs !== undefined)
    await new Promise((resolve) => setTimeout(resolve, overrides.latencyMs));
  if (overrides.answer !== undefined) {
    return {
      kind: 'vendor',
      response: overrides.answer,
      operationId,
      ...(overrides.shapedBy === undefined ? {} : { shapedBy: overrides.shapedBy }),
    };
  }
  return runHandler(mounted, request, vendorRequest, principal, overrides, services);
}

/** The serialize stage: the vendor's answer as bytes (JSON, or XML by Accept), with the request id. */
function serialize(
  mounted: MountedVendor,
  request: PipelineRequest,
  response: VendorResponse,
): PipelineResponse {
  const headers: Record<string, string> = { 'x-request-id': request.requestId, ...response.headers };
  if (response.body === undefined || response.status === 204) {
    return { status: response.status, headers, body: Buffer.alloc(0) };
  }
  const serialized = mounted.module.serialize(response.body, { headers: request.headers });
  headers['content-type'] = serialized.contentType;
  headers['content-length'] = String(serialized.body.length);
  return { status: response.status, headers, body: serialized.body };
}

function clip(buffer: Buffer, limit: number): { text: string; truncated: boolean } {
  return buffer.length > limit
    ? { text: buffer.subarray(0, limit).toString('utf8'), truncated: true }
    : { text: buffer.toString('utf8'), truncated: false };
}

/** Runs one request through the pipeline and journals it; never rejects for anything the request holds. */
export async function handleRequest(
  mounted: MountedVendor,
  request: PipelineRequest,
  services: PipelineServices,
): Promise<PipelineResponse & { operationId?: string }> {
  const receivedAt = services.clock.now();
  const started = performance.now();
  const outcome = await runStages(mounted, request, services);
  const response =
    outcome.kind === 'ready' ? outcome.response : serialize(mounted, request, outcome.response);
  const body = clip(request.body, services.journalBodyBytes);
  const answer = clip(response.body, services.journalBodyBytes);
  services.requests.record({
    id: request.requestId,
    receivedAt: receivedAt.toISOString(),
    durationMs: Math.round((performance.now() - started) * 100) / 100,
    vendor: mounted.module.name,
    ...(outcome.operationId === undefined ? {} : { operationId: outcome.operationId }),
    method: request.method,
    url: request.url,
    headers: request.headers,
    body: body.text,
    bodyTruncated: body.truncated,
    response: {
      status: response.status,
      headers: response.headers,
      body: answer.text,
      bodyTruncated: answer.truncated,
    },
    ...(outcome.kind === 'vendor' && outcome.shapedBy !== undefined ? { scenario: outcome.shapedBy } : {}),
  });
  return { ...response, ...(outcome.operationId === undefined ? {} : { operationId: outcome.operationId }) };
}
