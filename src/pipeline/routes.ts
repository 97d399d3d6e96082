/**
 * The route stage's table: every operation of a vendor's spec, compiled once — an exact path first, then
 * templates with the longest literal part first (equally specific ones in the spec's order).
 */
import { deref } from '../core/spec-document.js';
import type { OpenApiDocument } from '../core/spec-document.js';

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: unknown;
  content?: Record<string, { schema?: unknown }>;
}

export interface RequestBodySpec {
  required: boolean;
  /** Declared media types (as written) and their schemas. */
  content: Record<string, { schema?: unknown }>;
}

/** One operation as the pipeline needs it, its `$ref`s to parameters and request bodies resolved. */
export interface Operation {
  operationId: string;
  /** Lower case. */
  method: string;
  /** The path template, e.g. `/api/v1/webhooks/{id}`. */
  path: string;
  parameters: Parameter[];
  requestBody?: RequestBodySpec;
}

export interface RouteMatch {
  operation: Operation;
  /** Path parameters, percent-decoded (left as sent when they cannot be decoded). */
  params: Record<string, string>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

interface Route {
  operation: Operation;
  pattern: RegExp;
  names: string[];
}

function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `/a/b/` → `/a/b` (trailing slashes are ignored, as openapi-backend did). */
function normalizePath(path: string): string {
  let out = path.trim();
  if (!out.startsWith('/')) out = `/${out}`;
  while (out.length > 1 && out.endsWith('/')) out = out.slice(0, -1);
  return out;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Every operation of a spec, with its parameters (path-level first) and request body resolved. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, rawItem] of Object.entries(document.paths ?? {})) {
    const item = deref<Record<string, unknown>>(document, rawItem);
    const shared = ((item.parameters as unknown[] | undefined) ?? []).map((entry) =>
      deref<Parameter>(document, entry),
    );
    for (const method of METHODS) {
      const raw = item[method] as Record<string, unknown> | undefined;
      if (raw === undefined) continue;
      const own = ((raw.parameters as unknown[] | undefined) ?? []).map((entry) =>
        deref<Parameter>(document, entry),
      );
      const body =
        raw.requestBody === undefined
          ? undefined
          : deref<Partial<RequestBodySpec>>(document, raw.requestBody);
      operations.push({
        operationId: typeof raw.operationId === 'string' ? raw.operationId : `${method} ${path}`,
        method,
        path,
        parameters: [...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own],
        ...(body === undefined
          ? {}
          : { requestBody: { required: body.required === true, content: body.content ?? {} } }),
      });
    }
  }
  return operations;
}

export class RouteTable {
  readonly operations: readonly Operation[];
  private readonly exact = new Map<string, Operation>();
  private readonly routes: Route[];

  constructor(document: OpenApiDocument) {
    this.operations = operationsOf(document);
    for (const operation of this.operations) {
      const key = `${operation.method} ${operation.path}`;
      if (!this.exact.has(key)) this.exact.set(key, operation);
    }
    const literalLength = (path: string): number => path.replace(/\{.*?\}/g, '').length;
    this.routes = this.operations
      .map((operation) => ({
        operation,
        pattern: new RegExp(
          `^${operation.path
            .replace(/\{[^}]+\}/g, '\0')
            .split('\0')
            .map(escapeRegExp)
            .join('([^/]+)')}$`,
        ),
        names: [...operation.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!),
      }))
      .sort((a, b) => literalLength(b.operation.path) - literalLength(a.operation.path));
  }

  /** The operation for a method (any case) and path, with its path parameters. */
  match(method: string, rawPath: string): RouteMatch | undefined {
    const path = normalizePath(rawPath);
    const lower = method.toLowerCase();
    const exact = this.exact.get(`${lower} ${path}`);
    for (const route of this.routes) {
      if (route.operation.method !== lower || (exact !== undefined && route.operation !== exact)) continue;
      const found = route.pattern.exec(path);
      if (found === null) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => (params[name] = decode(found[index + 1]!)));
      return { operation: route.operation, params };
    }
    return undefined;
  }

  /** Whether some operation (of any method) has this path. */
  hasPath(rawPath: string): boolean {
    const path = normalizePath(rawPath);
    return this.routes.some((route) => route.pattern.test(path));
  }

  find(operationId: string): Operation | undefined {
    return this.operations.find((operation) => operation.operationId === operationId);
  }
}
