import type { VendorResponse } from '../../core/vendor-module.js';

/** Shodai's success envelope: `{data, meta: {apiVersion: "v0", requestId}}`. */
export function envelope(
  status: number,
  requestId: string,
  data: unknown,
  extra: object = {},
): VendorResponse {
  return { status, body: { data, meta: { apiVersion: 'v0', requestId }, ...extra } };
}
