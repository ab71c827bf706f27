/**
 * A Map of string keys split into shards by a cheap hash of the key. Why: a Map grows by rehashing every entry at
 * once, and at hundreds of thousands of entries (a big catalog's ids, its people's names, its title words) one such
 * growth holds the event loop for tens of milliseconds, which a build run in steps (steps.ts) cannot cut short; the
 * shards grow one at a time, each a small fraction of that. A lookup costs a hash of a few characters more.
 */
export class ShardedMap<V> {
  private readonly shards: Map<string, V>[] = Array.from({ length: SHARDS }, () => new Map<string, V>());

  get size(): number {
    let size = 0;
    for (const shard of this.shards) size += shard.size;
    return size;
  }

  get(key: string): V | undefined {
    return this.shards[shardOf(key)]!.get(key);
  }

  has(key: string): boolean {
    return this.shards[shardOf(key)]!.has(key);
  }

  set(key: string, value: V): this {
    this.shards[shardOf(key)]!.set(key, value);
    return this;
  }
}

const SHARDS = 64;

/**
 * A hash of the length and eight characters spread over the key (both ends, the quarters, the middle): ids, names and
 * words differ there, and a lookup should not read every character of a long key.
 */
function shardOf(key: string): number {
  const n = key.length;
  let hash = Math.imul(n, 0x9e3779b1);
  if (n > 0) {
    hash = Math.imul(hash ^ key.charCodeAt(0), 0x01000193);
    hash = Math.imul(hash ^ key.charCodeAt(n >> 1), 0x01000193);
    hash = Math.imul(hash ^ key.charCodeAt(n - 1), 0x01000193);
  }
  if (n > 2) {
    hash = Math.imul(hash ^ key.charCodeAt(1), 0x01000193);
    hash = Math.imul(hash ^ key.charCodeAt(n >> 2), 0x01000193);
    hash = Math.imul(hash ^ key.charCodeAt((3 * n) >> 2), 0x01000193);
    hash = Math.imul(hash ^ key.charCodeAt(n - 2), 0x01000193);
    hash = Math.imul(hash ^ key.charCodeAt(n - 3), 0x01000193);
  }
  return (hash ^ (hash >>> 15)) >>> 26;
}
