import { isIP } from 'node:net';
import { hostname as machineName } from 'node:os';
import type { RequestHandler } from 'express';
import { ProblemError, writeProblem } from './problem.js';

/**
 * The defence against DNS rebinding: a page on `attacker.example` whose name resolves to 127.0.0.1 reaches the
 * mock with `Host: attacker.example`. Only requests naming the mock by a name it serves are answered: any IP
 * address (a rebinding page cannot make the browser send one), `localhost` and `*.localhost`, the `--host` and
 * `--public-url` names, the machine's own name, and the `--allow-hosts` patterns (`name`, `*.domain`, `*`).
 */
export interface ServedHostOptions {
  /** The address the server binds (`--host`). */
  bindHost: string;
  /** The origin clients use (`--public-url`). */
  publicUrl: string;
  /** More names (`--allow-hosts`): exact names, `*.domain`, or `*` for any. */
  allowHosts?: readonly string[];
}

/** The host name of a Host header value, lower case, without port or IPv6 brackets. */
export function hostNameOf(header: string): string {
  const value = header.trim().toLowerCase();
  if (value.startsWith('['))
    return value.slice(1, value.indexOf(']') === -1 ? undefined : value.indexOf(']'));
  const colon = value.lastIndexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

export function servedHostCheck(options: ServedHostOptions): (hostHeader: string | undefined) => boolean {
  const names = new Set(
    [options.bindHost, new URL(options.publicUrl).hostname.replace(/^\[|\]$/g, ''), machineName()]
      .map((name) => name.toLowerCase())
      .filter((name) => name !== '' && name !== '0.0.0.0' && name !== '::'),
  );
  const patterns = (options.allowHosts ?? []).map((pattern) => pattern.trim().toLowerCase()).filter(Boolean);
  const anyHost = patterns.includes('*');
  const suffixes = patterns.filter((pattern) => pattern.startsWith('*.')).map((pattern) => pattern.slice(1));
  for (const pattern of patterns) if (!pattern.startsWith('*')) names.add(pattern);
  return (hostHeader) => {
    // HTTP/1.0 clients may send none; a browser always does
    if (hostHeader === undefined || hostHeader === '' || anyHost) return true;
    const name = hostNameOf(hostHeader);
    return (
      isIP(name) !== 0 ||
      name === 'localhost' ||
      name.endsWith('.localhost') ||
      names.has(name) ||
      suffixes.some((suffix) => name.endsWith(suffix))
    );
  };
}

/** The host (with port) of an Origin header, or undefined for `null` and anything else that is not a URL. */
function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Same-origin only, for the admin API, the inspector and the sink: a browser request whose `Origin` is another
 * origin (a page elsewhere posting to `/__admin/reset`, or reading the journals) is refused with 403. Requests
 * without an Origin (curl, the mock's own clients, top-level navigation) pass.
 */
export function sameOriginOnly(): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    if (originHost(origin) === (req.headers.host ?? '').toLowerCase()) return next();
    writeProblem(
      res,
      new ProblemError(
        403,
        'Cross-origin request refused',
        `${req.baseUrl} answers pages of its own origin only; a page at ${origin} cannot use it`,
      ),
      res.locals.requestId as string | undefined,
    );
  };
}
