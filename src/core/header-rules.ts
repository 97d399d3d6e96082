import { http } from './node-http.js';

/**
 * Rules for request headers a user stores on a webhook (SuperOffice's `Headers`) and that the mock later sends
 * on a delivery. Checked when the webhook is saved, so a bad header is a 400 then and never a failed request
 * later: names must be HTTP tokens, values must be valid field values (no CR, LF or NUL, Latin-1 only), and
 * the headers that frame or route the request, or that the vendor sets itself, may not be overridden.
 */

/** Hop-by-hop and framing headers (RFC 9110 §7.6.1, RFC 9112): the client's business, never a webhook's. */
export const FRAMING_HEADERS: readonly string[] = [
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'keep-alive',
  'expect',
];

export interface HeaderProblem {
  name: string;
  message: string;
}

/** Problems with stored headers; `reserved` are the vendor's own headers (lower case). Empty when all is well. */
export function headerProblems(
  headers: Readonly<Record<string, string>>,
  reserved: readonly string[],
): HeaderProblem[] {
  const problems: HeaderProblem[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    try {
      http.validateHeaderName(name);
    } catch {
      problems.push({
        name,
        message: "is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)",
      });
      continue;
    }
    try {
      http.validateHeaderValue(name, value);
      // Node accepts code points up to U+00FF only; anything above would be mangled on the wire
      if (/[^\t\u0020-\u007e\u0080-\u00ff]/.test(value)) throw new RangeError('not Latin-1');
    } catch {
      problems.push({
        name,
        message: 'has a value that cannot be sent (no control characters, Latin-1 characters only)',
      });
      continue;
    }
    if (FRAMING_HEADERS.includes(lower) || lower.startsWith('proxy-')) {
      problems.push({ name, message: 'frames or routes the request and cannot be set on a webhook' });
    } else if (reserved.includes(lower)) {
      problems.push({ name, message: 'is set by the vendor on every delivery and cannot be overridden' });
    }
  }
  return problems;
}
