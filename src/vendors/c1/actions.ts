/**
 * What C1's tenant can be told to do besides its API: `rotate-key` (`POST /__admin/c1/rotate-key`,
 * `mock.c1.rotateKey()`), and the setting it goes with, the grace period (`--c1-key-grace`).
 */
import { MockError } from '../../core/errors.js';
import { isPlainObject } from '../../core/safe-object.js';
import type { VendorAction, VendorSetting } from '../../core/vendor-module.js';
import { DEFAULT_KEY_GRACE_MS, rotateC1Key } from './keys.js';
import type { C1State } from './state.js';

/** The longest grace period accepted: a week (a longer one is no different for a test). */
const MAX_KEY_GRACE_MS = 7 * 24 * 60 * 60 * 1000;

export const c1Settings: Readonly<Record<string, VendorSetting>> = {
  keyGraceMs: {
    flag: 'key-grace',
    description:
      'how long a C1 signing key replaced by a rotation stays in the JWKS (POST /__admin/c1/rotate-key)',
    kind: 'duration',
    default: DEFAULT_KEY_GRACE_MS,
    max: MAX_KEY_GRACE_MS,
  },
};

export const c1Actions: Readonly<Record<string, VendorAction<C1State>>> = {
  'rotate-key': {
    summary:
      "Rotates the tenant's signing key: a new key of the same algorithm signs every delivery from now on, the old one stays in the JWKS until the grace period (--c1-key-grace) is over. Answers {kid, alg, previousKid, retiresAt}.",
    run: ({ state, ctx, body }) => {
      if (body !== undefined && body !== null && !(isPlainObject(body) && Object.keys(body).length === 0))
        throw new MockError('invalid-request', 'rotate-key takes no parameters: send no body, or {}', {
          fields: [{ field: 'body', message: 'must be empty' }],
        });
      return rotateC1Key(state, ctx.clock.now());
    },
  },
};
