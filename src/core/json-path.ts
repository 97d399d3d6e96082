/**
 * Dot paths into JSON values (`taskView.task.displayName`, `expanded.0.@type`, `expanded[0].id`), for a trigger's
 * `set` overrides. Paths may not walk into `__proto__`, `constructor` or `prototype`; every step is an own
 * property, and missing objects on the way are made.
 */
import { MockError } from './errors.js';
import { isPlainObject, isUnsafeKey, ownValue, setOwn } from './safe-object.js';

/** `a.b[0].c` → `['a', 'b', '0', 'c']`. */
export function pathSegments(path: string): string[] {
  const segments = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((segment) => segment !== '');
  if (segments.length === 0) throw new MockError('invalid-request', `"${path}" is not a path`);
  const unsafe = segments.find(isUnsafeKey);
  if (unsafe !== undefined)
    throw new MockError('invalid-request', `"${path}": "${unsafe}" cannot be a path segment`);
  return segments;
}

/** Sets the value at a path inside `target` (an object or array), making the objects on the way. */
export function setAtPath(target: unknown, path: string, value: unknown): void {
  const segments = pathSegments(path);
  let node = target;
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    if (Array.isArray(node)) {
      const at = Number(segment);
      if (!/^\d+$/.test(segment) || at > node.length)
        throw new MockError('invalid-request', `"${path}": ${segment} is not an index of the list there`);
      if (last) node[at] = value;
      else node = node[at] ??= {};
    } else if (isPlainObject(node)) {
      if (last) setOwn(node, segment, value);
      else {
        if (ownValue(node, segment) === undefined || ownValue(node, segment) === null)
          setOwn(node, segment, {});
        node = ownValue(node, segment);
      }
    } else {
      throw new MockError(
        'invalid-request',
        `"${path}": ${segments.slice(0, index).join('.')} is not an object or list`,
      );
    }
  }
}

/** A `--set` value: JSON when it reads as JSON (`42`, `true`, `{"a":1}`, `"x"`), the text itself otherwise. */
export function setValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
