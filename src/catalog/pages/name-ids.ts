/**
 * Numbers for strings by content — the same name always gets the same id — for the page workers, which look up
 * every credited name of every page (750,000 lookups per 50,000 pages), and the load's table of those names.
 *
 * Why not a Map: its lookups compared each fresh name with a string somewhere in the heap, and those cache misses
 * made the Map cost a large share of the parsing (the load benchmark shows it). Here the table and the characters of
 * the known names live in a few typed arrays: a lookup hashes the name, reads one slot and compares against
 * characters stored next to each other.
 */
import { grown } from "../typed-arrays.js";

const EMPTY = 0;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export class NameIds {
  /** Open addressing, linear probing: id + 1 per slot (EMPTY: free), and the name's hash beside it. */
  private slots = new Int32Array(1 << 12);
  private slotHashes = new Int32Array(1 << 12);
  /** Characters of every known name back to back; name `id` is chars[starts[id] .. starts[id + 1]). */
  private chars = new Uint16Array(1 << 16);
  private starts = new Int32Array(1 << 10);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The id of `name`: 0, 1, 2, … in order of first sight (a new name gets `size` before the call). */
  idOf(name: string): number {
    const hash = hashOf(name);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === EMPTY) return this.add(name, hash, slot);
      if (this.slotHashes[slot] === hash && this.equals(entry - 1, name)) return entry - 1;
    }
  }

  private equals(id: number, name: string): boolean {
    const start = this.starts[id]!;
    if (this.starts[id + 1]! - start !== name.length) return false;
    for (let i = 0; i < name.length; i++) if (this.chars[start + i] !== name.charCodeAt(i)) return false;
    return true;
  }

  private add(name: string, hash: number, slot: number): number {
    const id = this.count++;
    const start = this.starts[id]!;
    if (this.starts.length < id + 2) this.starts = grown(this.starts, id + 2);
    if (this.chars.length < start + name.length) this.chars = grown(this.chars, start + name.length);
    for (let i = 0; i < name.length; i++) this.chars[start + i] = name.charCodeAt(i);
    this.starts[id + 1] = start + name.length;
    this.slots[slot] = id + 1;
    this.slotHashes[slot] = hash;
    // At most half full, so that probes stay short.
    if (this.count * 2 > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const oldSlots = this.slots;
    const oldHashes = this.slotHashes;
    this.slots = new Int32Array(oldSlots.length * 2);
    this.slotHashes = new Int32Array(oldSlots.length * 2);
    const mask = this.slots.length - 1;
    for (let old = 0; old < oldSlots.length; old++) {
      const entry = oldSlots[old]!;
      if (entry === EMPTY) continue;
      let slot = oldHashes[old]! & mask;
      while (this.slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.slots[slot] = entry;
      this.slotHashes[slot] = oldHashes[old]!;
    }
  }
}

/**
 * Names by id (see NameIds): a page worker's table, and the load's, which PageFilms' credit and genre ids point into
 * (genres are few, so they share the people's table rather than have one of their own).
 */
export class NameTable {
  readonly names: string[] = [];
  private readonly ids = new NameIds();

  idOf(name: string): number {
    const id = this.ids.idOf(name);
    if (id === this.names.length) this.names.push(name);
    return id;
  }
}

/** FNV-1a over the UTF-16 code units. */
function hashOf(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}
