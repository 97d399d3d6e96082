/**
 * C1 signing keys derived from bytes: the same seed, algorithm and generation always give the same key, so a
 * seeded run publishes the same JWKS every time, and a rotation (generation n + 1) does too.
 *
 * - EdDSA: the Ed25519 private key is 32 bytes; generation 0 is the seed itself (the key the mock has always
 *   made), later generations are HKDF-SHA-256 output. Ed25519 signatures are deterministic (RFC 8032).
 * - ES256: the P-256 private scalar is 32 bytes of HKDF output (drawn again in the ~2^-32 case that it is not
 *   below the group order); Node's ECDH computes the public point. ECDSA signatures are randomized (a fresh
 *   nonce each time), so ES256 tokens are not byte-identical from run to run even though the key is.
 * - RS256: Node cannot generate an RSA key from a seed, so the two 1024-bit primes are found by an incremental
 *   search (as FIPS 186-4 B.3.6 and OpenSSL's older generator do): start at a number taken from HKDF output
 *   with its two top bits and its low bit set, and step by 2 (skipping numbers with a factor below 2048)
 *   until Node's `checkPrimeSync` (OpenSSL's Miller-Rabin) accepts it and p - 1 is coprime to e = 65537. The rest (n, d, CRT values) is arithmetic on
 *   those primes. RSASSA-PKCS1-v1_5 signatures are deterministic.
 *
 * These keys sign test deliveries of a mock; they are as strong as their seed, which in a seeded run is public.
 */
import { checkPrimeSync, createECDH, createPrivateKey, hkdfSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** The algorithms C1 signs deliveries with ("RS256, ES256, or EdDSA, depending on your tenant's signing key"). */
export const C1_SIGNING_ALGORITHMS = ['EdDSA', 'ES256', 'RS256'] as const;
export type C1SigningAlgorithm = (typeof C1_SIGNING_ALGORITHMS)[number];

/** PKCS #8 prefix of an Ed25519 private key; the 32-byte private key follows it. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** HKDF salt: keeps these bytes apart from anything else derived from the same seed. */
const HKDF_SALT = Buffer.from('vendor-webhook-mock/c1-signing-key');
/** The order of the P-256 group: a private scalar must lie in [1, n - 1]. */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const RSA_PRIME_BYTES = 128;
const RSA_PUBLIC_EXPONENT = 65537n;

function expand(seed: Buffer, info: string, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', seed, HKDF_SALT, info, length));
}

function toBigInt(bytes: Buffer): bigint {
  return BigInt(`0x${bytes.toString('hex')}`);
}

/** Unsigned big-endian, fewest octets (RFC 7518 section 6.3), base64url. */
function toBase64url(value: bigint): string {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex').toString('base64url');
}

function ed25519Key(privateKey: Buffer): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, privateKey.subarray(0, 32)]),
    format: 'der',
    type: 'pkcs8',
  });
}

function p256Key(seed: Buffer, generation: number): KeyObject {
  for (let attempt = 0; ; attempt += 1) {
    const d = expand(seed, `ES256/${generation}/${attempt}`, 32);
    const scalar = toBigInt(d);
    if (scalar === 0n || scalar >= P256_ORDER) continue;
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(d);
    const point = ecdh.getPublicKey(); // 0x04 || x || y, 32 bytes each
    return createPrivateKey({
      format: 'jwk',
      key: {
        kty: 'EC',
        crv: 'P-256',
        d: d.toString('base64url'),
        x: point.subarray(1, 33).toString('base64url'),
        y: point.subarray(33, 65).toString('base64url'),
      },
    });
  }
}

/** The odd primes below `limit` (sieve of Eratosthenes). */
function oddPrimesBelow(limit: number): number[] {
  const composite = new Uint8Array(limit);
  const primes: number[] = [];
  for (let n = 3; n < limit; n += 2) {
    if (composite[n] === 1) continue;
    primes.push(n);
    for (let multiple = n * n; multiple < limit; multiple += 2 * n) composite[multiple] = 1;
  }
  return primes;
}

/** A candidate divisible by one of these is passed over without asking OpenSSL (most composites are). */
const SMALL_PRIMES = oddPrimesBelow(2048);

/**
 * The first prime at or above the number `bytes` make (top two bits and low bit set) with p - 1 coprime to e:
 * candidates step by 2; those with a small factor are skipped, the rest go to `checkPrimeSync`.
 */
function primeFrom(bytes: Buffer): bigint {
  const startBytes = Buffer.from(bytes);
  startBytes[0] = startBytes[0]! | 0xc0;
  startBytes[startBytes.length - 1] = startBytes[startBytes.length - 1]! | 1;
  const start = toBigInt(startBytes);
  const limit = 1n << BigInt(startBytes.length * 8);
  const residues = SMALL_PRIMES.map((prime) => Number(start % BigInt(prime)));
  for (let step = 0; start + BigInt(step) < limit; step += 2) {
    if (SMALL_PRIMES.some((prime, index) => (residues[index]! + step) % prime === 0)) continue;
    const candidate = start + BigInt(step);
    if (candidate % RSA_PUBLIC_EXPONENT !== 1n && checkPrimeSync(candidate)) return candidate;
  }
  throw new RangeError('no prime between the derived start and the top of its range');
}

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** a^-1 mod m (extended Euclid). */
function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  if (oldR !== 1n) throw new RangeError('not invertible');
  return ((oldS % m) + m) % m;
}

/** A 2048-bit RSA key (e = 65537) from 256 bytes: two primes searched from each half. */
function rsaKey(material: Buffer): KeyObject {
  const p = primeFrom(material.subarray(0, RSA_PRIME_BYTES));
  const q = primeFrom(material.subarray(RSA_PRIME_BYTES, 2 * RSA_PRIME_BYTES));
  if (p === q) throw new RangeError('the two RSA primes are equal');
  const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  const d = modInverse(RSA_PUBLIC_EXPONENT, lambda);
  return createPrivateKey({
    format: 'jwk',
    key: {
      kty: 'RSA',
      n: toBase64url(p * q),
      e: toBase64url(RSA_PUBLIC_EXPONENT),
      d: toBase64url(d),
      p: toBase64url(p),
      q: toBase64url(q),
      dp: toBase64url(d % (p - 1n)),
      dq: toBase64url(d % (q - 1n)),
      qi: toBase64url(modInverse(q, p)),
    },
  });
}

/**
 * The private key of `generation` (0 = the first key, n = after n rotations) for `algorithm`, made from `seed`
 * (at least 32 bytes: the server's signing seed, random or from `--seed`).
 */
export function derivePrivateKey(seed: Buffer, algorithm: C1SigningAlgorithm, generation: number): KeyObject {
  switch (algorithm) {
    case 'EdDSA':
      return ed25519Key(generation === 0 ? seed : expand(seed, `EdDSA/${generation}`, 32));
    case 'ES256':
      return p256Key(seed, generation);
    case 'RS256':
      return rsaKey(expand(seed, `RS256/${generation}`, 2 * RSA_PRIME_BYTES));
  }
}
