import { MockError } from './errors.js';

/** An opaque page token that holds an offset into a list. */
export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

/** The offset inside a page token; a token we did not issue is the caller's error. */
export function decodePageToken(token: string | undefined, field: string): number {
  if (token === undefined || token === '') return 0;
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof value.o === 'number' && Number.isInteger(value.o) && value.o >= 0) return value.o;
  } catch {
    // fall through to the error below
  }
  throw new MockError('invalid-request', `${field} is not a page token this server issued`, {
    fields: [{ field, message: 'not a valid page token' }],
  });
}

export interface Page<T> {
  items: T[];
  /** Token for the next page, or undefined on the last one. */
  next: string | undefined;
}

export function paginate<T>(items: T[], offset: number, size: number): Page<T> {
  const slice = items.slice(offset, offset + size);
  const end = offset + slice.length;
  return { items: slice, next: end < items.length ? encodePageToken(end) : undefined };
}
