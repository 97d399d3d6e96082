import assert from 'node:assert/strict';
import supertest from 'supertest';
import type { Response, Test } from 'supertest';
import { specFor, vendorPath } from './spec-check.js';
import type { Vendor } from './spec-check.js';

/** Asserts that a response matches the vendor's spec (status declared, body valid). */
export function assertConformsToSpec(
  vendor: Vendor,
  method: string,
  pathBelowMount: string,
  res: {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: unknown;
    text?: string;
  },
): void {
  const contentType = res.headers['content-type'];
  const problems = specFor(vendor).checkResponse(
    method,
    vendorPath(vendor, pathBelowMount),
    res.status,
    Array.isArray(contentType) ? contentType[0] : contentType,
    res.body,
    res.text,
  );
  assert.deepEqual(problems, [], `${vendor} ${method} ${pathBelowMount} → ${res.status} breaks the spec`);
}

export interface VendorAgent {
  get(path: string): Test;
  post(path: string): Test;
  put(path: string): Test;
  patch(path: string): Test;
  delete(path: string): Test;
}

/**
 * A supertest agent for one vendor's base URL whose every answer is checked against the vendor's spec before
 * the test sees it.
 */
export function vendorAgent(baseUrl: string, vendor: Vendor): VendorAgent {
  const request = supertest(baseUrl);
  const wrap =
    (method: 'get' | 'post' | 'put' | 'patch' | 'delete') =>
    (path: string): Test =>
      request[method](path).expect((res: Response) => {
        assertConformsToSpec(vendor, method, path, {
          status: res.status,
          headers: res.headers as Record<string, string>,
          body: res.body,
          text: res.text,
        });
      });
  return {
    get: wrap('get'),
    post: wrap('post'),
    put: wrap('put'),
    patch: wrap('patch'),
    delete: wrap('delete'),
  };
}

/** fetch, for end-to-end tests, with the same spec check on the answer. */
export async function fetchChecked(
  vendor: Vendor,
  baseUrl: string,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Headers; body: unknown; text: string }> {
  const res = await fetch(`${baseUrl}${path}`, { method, headers: init.headers, body: init.body });
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') body = JSON.parse(text);
  assertConformsToSpec(vendor, method, path, {
    status: res.status,
    headers: Object.fromEntries(res.headers),
    body,
    text,
  });
  return { status: res.status, headers: res.headers, body, text };
}
