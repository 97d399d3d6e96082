import { MockError } from '../../core/errors.js';

/**
 * Bounds on an XML request body, checked by one linear scan before the parser sees it: fast-xml-parser's time
 * grows with elements and attributes (a 1 MB body of 90 000 attributes held the event loop for 5 s), and its
 * recursion with depth. A SuperOffice Webhook body has a few dozen elements; these limits leave room for large
 * Headers and Properties dictionaries and keep the parse of the largest accepted body to a few milliseconds.
 */
export const XML_LIMITS = { depth: 32, elements: 2000, attributes: 200 } as const;

const SLASH = 0x2f; // /
const EQUALS = 0x3d; // =

function refuse(message: string): never {
  throw new MockError('malformed-body', `the request body is not acceptable XML: ${message}`, {
    fields: [{ field: 'body', message }],
  });
}

/** Throws a `malformed-body` MockError when the document nests, or holds elements or attributes, beyond the limits. */
export function checkXmlLimits(text: string, limits: typeof XML_LIMITS = XML_LIMITS): void {
  let depth = 0;
  let elements = 0;
  let attributes = 0;
  let index = text.indexOf('<');
  while (index !== -1) {
    const next = text.charCodeAt(index + 1);
    const end = text.indexOf('>', index + 1);
    if (end === -1) return; // unterminated: the parser reports it
    if (next === SLASH) {
      depth -= 1;
    } else if (next !== 0x3f /* ? */ && next !== 0x21 /* ! */) {
      elements += 1;
      if (text.charCodeAt(end - 1) !== SLASH) depth += 1;
      for (let at = index + 1; at < end; at += 1) if (text.charCodeAt(at) === EQUALS) attributes += 1;
      if (depth > limits.depth) refuse(`elements nest more than ${limits.depth} deep`);
      if (elements > limits.elements) refuse(`more than ${limits.elements} elements`);
      if (attributes > limits.attributes) refuse(`more than ${limits.attributes} attributes`);
    }
    index = text.indexOf('<', end + 1);
  }
}
