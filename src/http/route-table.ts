import type { OpenAPIBackend, Operation } from 'openapi-backend';

interface Route {
  operation: Operation;
  pattern: RegExp;
  names: string[];
}

export interface RouteMatch {
  operation: Operation;
  /** Path parameters, percent-decoded (left as sent when they cannot be decoded). */
  params: Record<string, string>;
}

function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `/a/b/` → `/a/b`, as openapi-backend normalises paths before matching (trailing slashes ignored). */
function normalizePath(path: string): string {
  let out = path.trim().split('?')[0] ?? '';
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

/**
 * A spec's routes, compiled once. The same rules as openapi-backend's `router.matchOperation` (an exact path
 * first, then templates, the longest literal part first), which rebuilds its operation list with lodash and
 * recompiles every pattern on each call — the largest cost of a request before this table.
 */
export class RouteTable {
  private readonly exact = new Map<string, Operation>();
  private readonly routes: Route[];

  constructor(api: OpenAPIBackend) {
    const operations = api.router.getOperations();
    for (const operation of operations) {
      const key = `${operation.method} ${operation.path}`;
      if (!this.exact.has(key)) this.exact.set(key, operation);
    }
    const literalLength = (path: string): number => path.replace(/\{.*?\}/g, '').length;
    this.routes = operations
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
      // stable: equally specific templates keep the spec's order, as lodash's orderBy does
      .sort((a, b) => literalLength(b.operation.path) - literalLength(a.operation.path));
  }

  /** The operation for a method (any case) and path, with its path parameters. */
  match(method: string, rawPath: string): RouteMatch | undefined {
    const path = normalizePath(rawPath);
    const lower = method.toLowerCase();
    const exact = this.exact.get(`${lower} ${path}`);
    if (exact !== undefined) return { operation: exact, params: this.paramsOf(exact, path) };
    for (const route of this.routes) {
      if (route.operation.method !== lower) continue;
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

  private paramsOf(operation: Operation, path: string): Record<string, string> {
    const route = this.routes.find((entry) => entry.operation === operation);
    const found = route?.pattern.exec(path);
    const params: Record<string, string> = {};
    if (route !== undefined && found)
      route.names.forEach((name, index) => (params[name] = decode(found[index + 1]!)));
    return params;
  }
}
