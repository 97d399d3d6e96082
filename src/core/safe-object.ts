/**
 * User data as object keys, safely. A key such as `__proto__` assigned with `obj[key] = value` changes the
 * object's prototype instead of adding a property, and `constructor` or `toString` read through `key in obj`
 * finds `Object.prototype`'s members. Everything that turns user data into keys goes through here.
 */

/** Keys that reach an object's prototype machinery when used as property names on plain objects. */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isUnsafeKey(key: string): boolean {
  return UNSAFE_KEYS.has(key);
}

/**
 * Adds an own, enumerable property, even for `__proto__` (which `target[key] = value` would not add: it sets the
 * prototype). Any other key assigned to a plain object becomes an own data property, so only that one needs
 * defineProperty, which is the slower way.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else target[key] = value;
}

/** The object's own property, never one inherited from its prototype. */
export function ownValue(source: object, key: string): unknown {
  return Object.hasOwn(source, key) ? (source as Record<string, unknown>)[key] : undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A copy of a record whose keys came from outside, built with own properties only. */
export function ownCopy<T>(source: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(source)) setOwn(out, key, value);
  return out;
}

/** How deeply a parsed JSON value nests (an object or array counts one level), counted without recursion. */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > limit) return deepest;
    for (const child of Object.values(node)) stack.push([child, level]);
  }
  return deepest;
}
