import { isDeepStrictEqual } from 'node:util';
import { MockError } from '../../core/errors.js';
import { mediaType } from '../../core/media-type.js';
import { isUnsafeKey, ownValue, setOwn } from '../../core/safe-object.js';
import { invalid, isPlainObject } from './model.js';
import type { SoWebhook } from './state.js';

/**
 * PATCH /api/v1/Webhook/{id} (rest-v1Webhook_PatchWebhook.md): a JSON Patch (RFC 6902; ops add, replace, remove
 * and test — move and copy are not supported; property names case-insensitive, the leading slash optional) or a
 * JSON Merge Patch (RFC 7396). The result is a draft Webhook body, checked and saved like a PUT.
 */

/** Properties a caller may not set: the server stamps them. Patching them changes nothing. */
const READ_ONLY = new Set(['WebhookId', 'Registered', 'RegisteredAssociate', 'Updated', 'UpdatedAssociate']);
/** What a GET answer carries besides the webhook; a merge patch made from one may contain them. */
const IGNORED = new Set(['_Links', 'TableRight', 'FieldProperties']);

type Json = unknown;

/** The draft's own spelling of a top-level property, matched case-insensitively. */
function propertyOf(draft: Record<string, Json>, name: string, field: string): string {
  const match = Object.keys(draft).find((key) => key.toLowerCase() === name.toLowerCase());
  if (match === undefined) invalid([{ field, message: `names no Webhook property (${name})` }]);
  return match;
}

function segmentsOf(path: unknown, field: string): string[] {
  if (typeof path !== 'string' || path.replace(/^\//, '') === '') {
    invalid([{ field, message: 'must name a Webhook property, e.g. /Name' }]);
  }
  const segments = path
    .replace(/^\//, '')
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
  const unsafe = segments.find(isUnsafeKey);
  if (unsafe !== undefined) invalid([{ field, message: `"${unsafe}" cannot be a path segment` }]);
  return segments;
}

function indexOf(container: Json[], segment: string, field: string, allowEnd: boolean): number {
  if (allowEnd && segment === '-') return container.length;
  if (!/^(0|[1-9]\d*)$/.test(segment)) invalid([{ field, message: `${segment} is not an array index` }]);
  const index = Number(segment);
  if (index > container.length || (!allowEnd && index === container.length)) {
    invalid([{ field, message: `index ${index} is out of range` }]);
  }
  return index;
}

/** Walks to the container of the last segment, creating an empty object for a null dictionary (Headers). */
function parentOf(draft: Record<string, Json>, segments: string[], field: string): Json {
  let node: Json = draft;
  for (const segment of segments.slice(0, -1)) {
    if (Array.isArray(node)) node = node[indexOf(node, segment, field, false)];
    else if (isPlainObject(node)) {
      const child = ownValue(node, segment);
      if (child === null || child === undefined) setOwn(node, segment, {});
      node = ownValue(node, segment);
    } else invalid([{ field, message: `${segment} is not inside an object or array` }]);
  }
  return node;
}

function applyOperation(draft: Record<string, Json>, operation: unknown, index: number): void {
  const where = `body[${index}]`;
  if (!isPlainObject(operation)) invalid([{ field: where, message: 'must be a patch operation object' }]);
  const op = typeof operation.op === 'string' ? operation.op.toLowerCase() : '';
  if (!['add', 'replace', 'remove', 'test'].includes(op)) {
    invalid([{ field: `${where}.op`, message: 'must be one of: add, replace, remove, test' }]);
  }
  const field = `${where}.path`;
  const segments = segmentsOf(operation.path, field);
  segments[0] = propertyOf(draft, segments[0] ?? '', field);
  if (op !== 'remove' && !('value' in operation)) {
    invalid([{ field: `${where}.value`, message: 'is required' }]);
  }
  const value = structuredClone(operation.value);
  const last = segments[segments.length - 1] ?? '';
  const parent = parentOf(draft, segments, field);

  if (op === 'test') {
    const current = Array.isArray(parent)
      ? parent[indexOf(parent, last, field, false)]
      : isPlainObject(parent)
        ? ownValue(parent, last)
        : undefined;
    if (!isDeepStrictEqual(current ?? null, value ?? null)) {
      throw new MockError(
        'conflict',
        `Update blocked: the test of ${String(operation.path)} failed (it is ${JSON.stringify(current ?? null)})`,
      );
    }
    return;
  }
  if (Array.isArray(parent)) {
    if (op === 'add') parent.splice(indexOf(parent, last, field, true), 0, value);
    else if (op === 'replace') parent[indexOf(parent, last, field, false)] = value;
    else parent.splice(indexOf(parent, last, field, false), 1);
    return;
  }
  if (!isPlainObject(parent)) invalid([{ field, message: 'does not point into an object or array' }]);
  if (op === 'remove') {
    if (segments.length === 1) parent[last] = null;
    else if (!Object.hasOwn(parent, last)) invalid([{ field, message: `${last} does not exist` }]);
    else delete parent[last];
    return;
  }
  setOwn(parent, last, value);
}

function mergePatch(target: Json, patch: Json): Json {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const out: Record<string, Json> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else setOwn(out, key, mergePatch(ownValue(out, key), value));
  }
  return out;
}

function applyMergePatch(draft: Record<string, Json>, patch: Record<string, Json>): void {
  for (const [key, value] of Object.entries(patch)) {
    if (IGNORED.has(key)) continue;
    const property = propertyOf(draft, key, `body.${key}`);
    // a null top-level property goes back to its default, as in a PUT without it
    draft[property] = value === null ? null : mergePatch(draft[property], value);
  }
}

/** Applies a PATCH body to a copy of the webhook; returns the draft body (PascalCase). */
export function applyWebhookPatch(
  webhook: SoWebhook,
  body: unknown,
  contentType: string | undefined,
): Record<string, Json> {
  const draft = structuredClone(webhook) as unknown as Record<string, Json>;
  const type = mediaType(contentType);
  if (type === 'application/json-patch+json' && !Array.isArray(body)) {
    invalid([{ field: 'body', message: 'must be a JSON Patch array of operations' }]);
  }
  if (type === 'application/merge-patch+json' && !isPlainObject(body)) {
    invalid([{ field: 'body', message: 'must be a JSON Merge Patch object' }]);
  }
  if (Array.isArray(body)) body.forEach((operation, index) => applyOperation(draft, operation, index));
  else if (isPlainObject(body)) applyMergePatch(draft, body);
  else invalid([{ field: 'body', message: 'must be a JSON Patch array or a JSON Merge Patch object' }]);
  for (const name of READ_ONLY) draft[name] = (webhook as unknown as Record<string, Json>)[name];
  return draft;
}
