import { randomBytes, randomUUID } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Makes the identifiers the vendors use. Injectable so a seeded run can replace it. */
export interface IdSource {
  /** Random bytes; everything else derives from these. */
  bytes(size: number): Buffer;
  uuid(): string;
}

/** Random bytes from a pool refilled 4 KiB at a time: one `randomBytes` call per request id was a hot spot. */
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;
function pooledRandomBytes(size: number): Buffer {
  if (size > POOL_SIZE / 4) return randomBytes(size);
  if (poolOffset + size > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  // a copy: callers may keep the bytes (signing seeds), and the pool is overwritten on refill
  const out = Buffer.from(pool.subarray(poolOffset, poolOffset + size));
  poolOffset += size;
  return out;
}

export const randomIdSource: IdSource = {
  bytes: pooledRandomBytes,
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
