import { randomBytes, randomUUID } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Makes the identifiers the vendors use. Injectable so a seeded run can replace it. */
export interface IdSource {
  /** Random bytes; everything else derives from these. */
  bytes(size: number): Buffer;
  uuid(): string;
}

export const randomIdSource: IdSource = {
  bytes: (size) => randomBytes(size),
  uuid: () => randomUUID(),
};

/** A base62 string of `length` characters, like C1's KSUID-style ids (27 characters). */
export function base62(ids: IdSource, length: number): string {
  const bytes = ids.bytes(length);
  let out = '';
  for (const byte of bytes) out += BASE62[byte % 62];
  return out;
}

export function hex(ids: IdSource, byteLength: number): string {
  return ids.bytes(byteLength).toString('hex');
}

/** A prefixed id such as `whd_3f9a...` (Shodai) or `req_...`. */
export function prefixedId(ids: IdSource, prefix: string, byteLength = 12): string {
  return `${prefix}${hex(ids, byteLength)}`;
}
