/**
 * A C1 tenant's delivery-signing keys: the key that signs now, and the keys a rotation replaced, which stay in
 * the JWKS for a grace period so receivers that cached the old set keep verifying while they re-fetch.
 *
 * Every key derives from the server's signing seed, the tenant's algorithm and a rotation counter (see
 * key-derivation.ts), so a seeded run makes the same keys, rotation after rotation. A reset of the vendor makes
 * a new ring, which starts again at the seed's first key.
 */
import type { JWK } from 'jose';
import type { C1SigningAlgorithm } from './key-derivation.js';
import { createSigner } from './signing.js';
import type { C1Signer } from './signing.js';

/** A signing key and when it was published, replaced and dropped from the JWKS (times on the mock's clock). */
export interface C1SigningKey extends C1Signer {
  /** 0 for the ring's first key, n after n rotations. */
  generation: number;
  /** When the key entered the JWKS (the first key: when the ring was made). */
  publishedAt: Date;
  /** When a rotation replaced it as the signing key. */
  supersededAt?: Date;
  /** When it leaves the JWKS: `supersededAt` + the grace period. */
  retiresAt?: Date;
}

export interface C1KeyRingOptions {
  /** The tenant's algorithm (c1.yaml `signing.algorithm`); default EdDSA. */
  algorithm?: C1SigningAlgorithm;
  /** How long a replaced key stays in the JWKS after a rotation, in ms; default 10 minutes. */
  graceMs?: number;
  /**
   * How many keys that have left the JWKS the ring still remembers, so deliveries they signed can still be
   * checked as of their sending time; default 32 (older ones are forgotten).
   */
  historyLimit?: number;
}

/** What a rotation did: the new signing key, and the key it replaced with the moment that one leaves the JWKS. */
export interface C1KeyRotation {
  kid: string;
  alg: C1SigningAlgorithm;
  previousKid: string;
  retiresAt: Date;
}

/** A JSON Web Key Set (RFC 7517) of public keys, as /c1/auth/v1/jwks serves it. */
export interface C1Jwks {
  keys: JWK[];
}

export const DEFAULT_KEY_GRACE_MS = 10 * 60 * 1000;
export const DEFAULT_KEY_HISTORY_LIMIT = 32;

/** The keys of one C1 tenant. Make one with {@link C1KeyRing.create}. */
export class C1KeyRing {
  /** Every key still remembered, oldest first; the last one signs. */
  private readonly ring: C1SigningKey[];
  /** Rotations run one after another, so concurrent calls make consecutive generations. */
  private rotations: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly seed: Buffer,
    readonly algorithm: C1SigningAlgorithm,
    readonly graceMs: number,
    private readonly historyLimit: number,
    first: C1SigningKey,
  ) {
    this.ring = [first];
  }

  /** A ring whose first key (generation 0) is derived from `seed` and published at `now`. */
  static async create(seed: Buffer, now: Date, options: C1KeyRingOptions = {}): Promise<C1KeyRing> {
    const algorithm = options.algorithm ?? 'EdDSA';
    const graceMs = options.graceMs ?? DEFAULT_KEY_GRACE_MS;
    const historyLimit = options.historyLimit ?? DEFAULT_KEY_HISTORY_LIMIT;
    if (!Number.isFinite(graceMs) || graceMs < 0) throw new RangeError(`graceMs must be ≥ 0, not ${graceMs}`);
    if (!Number.isInteger(historyLimit) || historyLimit < 0)
      throw new RangeError(`historyLimit must be a whole number ≥ 0, not ${historyLimit}`);
    const signer = await createSigner(seed, algorithm, 0);
    return new C1KeyRing(Buffer.from(seed), algorithm, graceMs, historyLimit, {
      ...signer,
      generation: 0,
      publishedAt: new Date(now.getTime()),
    });
  }

  /** The key that signs deliveries now. */
  get current(): C1SigningKey {
    return this.ring[this.ring.length - 1]!;
  }

  /** Every key the ring remembers, newest (the current one) first. */
  get keys(): readonly C1SigningKey[] {
    return [...this.ring].reverse();
  }

  /**
   * The keys the JWKS listed at `moment`, current first: the key that signed then and the replaced keys still
   * within their grace period. The current key always counts (a clock moved back does not unpublish it).
   */
  keysPublishedAt(moment: Date): C1SigningKey[] {
    const time = moment.getTime();
    const current = this.current;
    return this.keys.filter(
      (key) =>
        key === current ||
        (key.publishedAt.getTime() <= time &&
          (key.retiresAt === undefined || time < key.retiresAt.getTime())),
    );
  }

  /** The public JWKS at `now` (what GET /c1/auth/v1/jwks serves): each key with `kid`, `alg` and `use`. */
  jwks(now: Date): C1Jwks {
    return { keys: this.keysPublishedAt(now).map((key) => ({ ...key.publicJwk })) };
  }

  /**
   * Replaces the signing key with a new one of the same algorithm (the next generation from the seed), which
   * signs from now on; the replaced key stays in the JWKS until `now` + the grace period.
   */
  rotate(now: Date): Promise<C1KeyRotation> {
    const next = this.rotations.then(() => this.rotateNow(new Date(now.getTime())));
    this.rotations = next.catch(() => undefined);
    return next;
  }

  private async rotateNow(now: Date): Promise<C1KeyRotation> {
    const previous = this.current;
    const generation = previous.generation + 1;
    const signer = await createSigner(this.seed, this.algorithm, generation);
    previous.supersededAt = now;
    previous.retiresAt = new Date(now.getTime() + this.graceMs);
    this.ring.push({ ...signer, generation, publishedAt: now });
    this.forgetOldKeys(now);
    return {
      kid: signer.kid,
      alg: signer.alg,
      previousKid: previous.kid,
      retiresAt: new Date(previous.retiresAt.getTime()),
    };
  }

  /** Drops the oldest keys that have left the JWKS beyond the history limit. */
  private forgetOldKeys(now: Date): void {
    const gone = this.ring.filter((key) => key.retiresAt !== undefined && key.retiresAt <= now);
    for (const key of gone.slice(0, Math.max(0, gone.length - this.historyLimit))) {
      this.ring.splice(this.ring.indexOf(key), 1);
    }
  }
}

/**
 * Rotates a C1 tenant's signing key at `now` (for `POST /__admin/c1/rotate-key` and `mock.c1.rotateKey()`):
 * the new key signs every delivery from now on; the old one stays in the JWKS until `retiresAt`.
 */
export function rotateC1Key(state: { keys: C1KeyRing }, now: Date): Promise<C1KeyRotation> {
  return state.keys.rotate(now);
}

/** The JWKS a C1 tenant publishes at `now`: the current key and the replaced ones still in their grace period. */
export function c1Jwks(state: { keys: C1KeyRing }, now: Date): C1Jwks {
  return state.keys.jwks(now);
}
