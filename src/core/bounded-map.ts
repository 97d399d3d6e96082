/** Sets `key` in a Map that keeps at most `limit` entries: when full, the entry inserted first goes. */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  if (!map.has(key)) {
    while (map.size >= limit) {
      const oldest = map.keys().next();
      if (oldest.done === true) break;
      map.delete(oldest.value);
    }
  }
  map.set(key, value);
}

/** The default of `--store-limit`: webhooks, tokens and delivery records each vendor keeps. */
export const DEFAULT_STORE_LIMIT = 10_000;
