import { MockError } from './errors.js';

/**
 * Checks a receiver URL: absolute http(s). With `strict` (the vendors' production rule) only https.
 * Plain http is accepted by default because receivers in development are `http://localhost:...`.
 * `targetRefusal` (the server's `--allow-targets`) refuses hosts deliveries may not go to.
 */
export function checkWebhookUrl(
  value: string,
  strict: boolean,
  field: string,
  targetRefusal?: (url: URL) => string | undefined,
): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new MockError('invalid-request', `${field} must be an absolute URL`, {
      fields: [{ field, message: 'must be an absolute http(s) URL' }],
    });
  }
  const allowed = strict ? ['https:'] : ['https:', 'http:'];
  if (!allowed.includes(url.protocol)) {
    throw new MockError(
      'invalid-request',
      `${field} must use ${strict ? 'https (the mock runs with --strict)' : 'http or https'}`,
      { fields: [{ field, message: strict ? 'must be an https URL' : 'must be an http(s) URL' }] },
    );
  }
  const refusal = targetRefusal?.(url);
  if (refusal !== undefined) {
    throw new MockError('invalid-request', `${field}: ${refusal}`, {
      fields: [{ field, message: 'host is not an allowed delivery target' }],
    });
  }
  return value;
}

/**
 * Whether a fixture file's webhook URL is one the API would accept without `--strict`: an absolute http(s) URL.
 * `{{sinkUrl}}` and `{{publicUrl}}` stand for the mock's own origin, which is only known once it listens.
 */
export function isWebhookUrl(value: string): boolean {
  const filled = value.replaceAll(/\{\{(?:sinkUrl|publicUrl)\}\}/g, 'http://mock.invalid');
  try {
    return ['http:', 'https:'].includes(new URL(filled).protocol);
  } catch {
    return false;
  }
}
