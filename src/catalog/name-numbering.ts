import { normalizeText, spellingQuality } from "./normalize.js";
import type { NameTable } from "./pages/name-ids.js";
import { ShardedMap } from "./sharded-map.js";
import { int32Array } from "./index-arrays.js";

/** In a table's ids (see tableIds): a name-table entry not numbered yet. */
export const UNNUMBERED = -2;

/**
 * Names numbered by their normalized form (normalizeText: case, accents, spacing and punctuation aside), for the
 * people and the genres of a catalog: one id per normalized name, shown in its best-written spelling (see
 * spellingQuality), the first on a tie.
 *
 * Why the caches: a catalog credits the same names again and again, as the same strings (plain films) or the same
 * name-table ids (films kept as their pages), so each distinct spelling is normalized once, and a name-table entry
 * costs an array read rather than a string hash.
 */
export class NameNumbering {
  /** Display name per id. */
  readonly names: string[] = [];
  /** Normalized name per id (what ids are given by). */
  readonly keys: string[] = [];
  // Sharded: a big catalog credits hundreds of thousands of names (see ShardedMap).
  readonly idByKey = new ShardedMap<number>();
  private readonly idOfSpelling = new ShardedMap<number>();
  private readonly idsOfTable = new Map<NameTable, Int32Array>();

  /** The id of a name as written; -1 for one without letters or digits. */
  idOf(spelling: string): number {
    let id = this.idOfSpelling.get(spelling);
    if (id !== undefined) return id;
    const key = normalizeText(spelling);
    id = key === "" ? -1 : this.idByKey.get(key);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(spelling);
      this.keys.push(key);
      this.idByKey.set(key, id);
    } else if (id >= 0 && spellingQuality(spelling) > spellingQuality(this.names[id]!)) {
      // "CLINT EASTWOOD" from one source, "Clint Eastwood" from another: one name, shown the way it is written.
      this.names[id] = spelling;
    }
    this.idOfSpelling.set(spelling, id);
    return id;
  }

  /** The id of entry `nameId` of `table`, given `known` = tableIds(table): an array read once it is numbered. */
  idOfTableEntry(known: Int32Array, table: NameTable, nameId: number): number {
    const id = known[nameId]!;
    return id !== UNNUMBERED ? id : (known[nameId] = this.idOf(table.names[nameId]!));
  }

  /** The ids of `table`'s entries, UNNUMBERED until first read: fetch it once per film, not once per credit. */
  tableIds(table: NameTable): Int32Array {
    let ids = this.idsOfTable.get(table);
    if (ids === undefined) this.idsOfTable.set(table, (ids = int32Array(table.names.length).fill(UNNUMBERED)));
    return ids;
  }
}

/** A numbering's names (see NameNumbering) and the films of each, grouped (see groupByKey). */
export interface NamedFilmGroupsParts {
  names: string[];
  keys: string[];
  idByKey: ShardedMap<number>;
  offsets: Int32Array;
  filmIndexes: Int32Array;
}

/** Films grouped by a numbered name, a person or a genre: each name's films, and a name's id however it is spelt. */
export class NamedFilmGroups {
  /** Display name per id: the best-written spelling seen (see NameNumbering). */
  readonly names: string[];
  /**
   * The normalized form of each name (normalizeText), the one string a search index of the names needs: made once,
   * when the name was numbered.
   */
  readonly keys: string[];
  private readonly idByKey: ShardedMap<number>;
  /** Name n's films are filmIndexes[offsets[n] .. offsets[n + 1]), in load order. */
  private readonly offsets: Int32Array;
  private readonly filmIndexes: Int32Array;

  protected constructor(parts: NamedFilmGroupsParts) {
    this.names = parts.names;
    this.keys = parts.keys;
    this.idByKey = parts.idByKey;
    this.offsets = parts.offsets;
    this.filmIndexes = parts.filmIndexes;
  }

  get size(): number {
    return this.names.length;
  }

  /** The id of this name (case, accents, spacing and punctuation aside). */
  idOf(name: string): number | undefined {
    return this.idByKey.get(normalizeText(name));
  }

  /** Indexes (into the films it was built from) of the films of a name, in load order. */
  filmsOf(id: number): Int32Array {
    return this.filmIndexes.subarray(this.offsets[id]!, this.offsets[id + 1]!);
  }
}
