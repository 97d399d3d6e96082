import type { Request, RequestHandler, Response } from 'express';
import type { OpenAPIBackend, Operation } from 'openapi-backend';
import { MockError, isMockError } from '../core/errors.js';
import type { Vendor, VendorRuntime } from '../core/vendor-runtime.js';
import type { ErrorContext, VendorRequest, VendorResponse } from '../core/vendor-module.js';
import { mediaType, parseRequestBody } from './body.js';
import { summarise, toFieldProblems } from './validation-errors.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

export interface RoutedLocals {
  requestId: string;
  vendor?: string;
  operationId?: string;
}

function lowerCaseHeaders(req: Request): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
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

export function writeVendorResponse(
  res: Response,
  vendor: Vendor,
  response: VendorResponse,
  context: ErrorContext,
): void {
  const headers: Record<string, string> = { 'x-request-id': context.requestId, ...response.headers };
  if (response.body === undefined || response.status === 204) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const serialized = vendor.serialize(response.body, context);
  headers['content-type'] = serialized.contentType;
  headers['content-length'] = String(serialized.body.length);
  res.writeHead(response.status, headers);
  res.end(serialized.body);
}

/**
 * The express handler for one vendor: route and validate against the vendor's spec (openapi-backend), then hand
 * the request to the vendor (auth, handler). Every failure is answered in the vendor's own error format.
 */
export function createVendorHandler(
  vendor: Vendor,
  api: OpenAPIBackend,
  runtime: VendorRuntime,
): RequestHandler {
  return async (req, res) => {
    const locals = res.locals as RoutedLocals;
    locals.vendor = vendor.name;
    const headers = lowerCaseHeaders(req);
    const context: ErrorContext = { requestId: locals.requestId, headers };
    const { path, tenant } = vendor.splitPath(req.path);
    const method = req.method.toLowerCase();
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const query = req.query as Record<string, string | string[] | undefined>;

    const operation = api.router.matchOperation({ method, path, headers: {}, query: {} });
    if (operation === undefined) {
      const otherMethod = METHODS.some(
        (other) =>
          other !== method && api.router.matchOperation({ method: other, path, headers: {}, query: {} }),
      );
      const error = otherMethod
        ? new MockError('method-not-allowed', `${req.method} is not allowed on ${path}`)
        : new MockError('route-not-found', `no ${vendor.title} operation matches ${req.method} ${path}`);
      writeVendorResponse(res, vendor, vendor.formatError(error, context), context);
      return;
    }

    const operationId = operation.operationId ?? `${method} ${path}`;
    locals.operationId = operationId;
    const request: VendorRequest = {
      requestId: locals.requestId,
      operationId,
      method: req.method,
      path,
      headers,
      query,
      params: {},
      body: undefined,
      rawBody,
      ...(tenant !== undefined ? { tenant } : {}),
    };

    const problem = checkAndParse(vendor, api, operation, request);
    const response = isMockError(problem)
      ? await runtime.reject(request, problem)
      : await runtime.handle(request);
    writeVendorResponse(res, vendor, response, context);
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
  const params = api.router.parseRequest(
    { method: request.method.toLowerCase(), path: request.path, headers: {}, query: {} },
    operation,
  ).params;
  request.params = Object.fromEntries(Object.entries(params).map(([key, value]) => [key, String(value)]));
  if (!validation.valid) {
    const fields = toFieldProblems(validation.errors);
    return new MockError('invalid-request', `invalid request: ${summarise(fields)}`, { fields });
  }
  return undefined;
}
