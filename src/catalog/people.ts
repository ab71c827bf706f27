import { type FilmSummary, votesOf } from "./film.js";
import { normalizeText } from "./normalize.js";
import type { NameTable } from "./pages/name-ids.js";
import { creditedNames, creditIdsOf, type LoadedFilm } from "./pages/page-film.js";
import { ShardedMap } from "./sharded-map.js";
import { ITEMS_PER_STEP, runSteps, type Steps } from "./steps.js";
import { groupByKeySteps } from "./typed-arrays.js";

/** Films whose credits are read between two yields (see the credit loop in People.steps). */
const FILMS_PER_CREDIT_STEP = 16;

/** A name-table id not yet mapped to a person. */
const UNKNOWN = -2;

/**
 * Everyone credited on a film — director, star or cast — with the films they are credited on.
 *
 * Built for 100,000 films and a million credits: people get integer ids, credits are collected as (person, film)
 * pairs and grouped with one counting sort into flat arrays, instead of a growing array per person. Names repeat
 * across films as the same string (the loader shares them), so each distinct spelling is normalized once.
 */
export class People {
  /** Display name per person id: the first spelling seen. */
  readonly names: string[];
  private readonly idByKey: ShardedMap<number>;
  private readonly offsets: Int32Array;
  private readonly filmIndexes: Int32Array;

  private constructor(parts: PeopleParts) {
    this.names = parts.names;
    this.idByKey = parts.idByKey;
    this.offsets = parts.offsets;
    this.filmIndexes = parts.filmIndexes;
  }

  static build(films: readonly LoadedFilm[]): People {
    return runSteps(People.steps(films));
  }

  /**
   * Built in steps (see steps.ts): at 100,000 films this takes a noticeable pause, which a loading bot spends answering
   * interactions.
   */
  static *steps(films: readonly LoadedFilm[]): Steps<People> {
    const names: string[] = [];
    const idByKey = new ShardedMap<number>();
    const idForKey = (key: string, name: string): number => {
      if (key === "") return -1;
      let id = idByKey.get(key);
      if (id === undefined) {
        id = names.length;
        names.push(name);
        idByKey.set(key, id);
      }
      return id;
    };
    // Sized up front: growing arrays of a million entries inside a heap of 100,000 films keeps the collector busy.
    let maxCredits = 0;
    for (let filmIndex = 0; filmIndex < films.length; filmIndex++) {
      const film = films[filmIndex]!;
      maxCredits += creditIdsOf(film)?.ids.length ?? creditedNames(film).length;
      if (filmIndex % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
    }
    const personOfCredit = new Int32Array(maxCredits);
    const filmOfCredit = new Int32Array(maxCredits);
    const lastFilmOf = new Int32Array(maxCredits).fill(-1);
    let credits = 0;
    const credit = (id: number, filmIndex: number): void => {
      // -1: a name with no letters; and a person both directing and acting in a film is credited once for it.
      if (id < 0 || lastFilmOf[id] === filmIndex) return;
      lastFilmOf[id] = filmIndex;
      personOfCredit[credits] = id;
      filmOfCredit[credits] = filmIndex;
      credits++;
    };
    // Each distinct spelling is normalized once: by string for plain films, by name-table id for PageFilms (no
    // string hashing per credit).
    const idOfName = new ShardedMap<number>();
    const personOfName = (name: string): number => {
      let id = idOfName.get(name);
      if (id === undefined) {
        id = idForKey(normalizeText(name), name);
        idOfName.set(name, id);
      }
      return id;
    };
    const personOfTableId = new Map<NameTable, Int32Array>();
    const tableIdsOf = (table: NameTable): Int32Array => {
      let ids = personOfTableId.get(table);
      if (ids === undefined) personOfTableId.set(table, (ids = new Int32Array(table.names.length).fill(UNKNOWN)));
      return ids;
    };
    for (let filmIndex = 0; filmIndex < films.length; filmIndex++) {
      const film = films[filmIndex]!;
      const numbered = creditIdsOf(film);
      if (numbered !== null) {
        const known = tableIdsOf(numbered.table);
        for (const nameId of numbered.ids) {
          let id = known[nameId]!;
          if (id === UNKNOWN) known[nameId] = id = personOfName(numbered.table.names[nameId]!);
          credit(id, filmIndex);
        }
      } else {
        for (const name of creditedNames(film)) credit(personOfName(name), filmIndex);
      }
      // A film's credits are a dozen names, each normalized the first time it is seen: a few films per step.
      if (filmIndex % FILMS_PER_CREDIT_STEP === FILMS_PER_CREDIT_STEP - 1) yield;
    }
    // Counting sort by person: each person's films end up contiguous, in load order.
    const { offsets, grouped: filmIndexes } = yield* groupByKeySteps(
      personOfCredit,
      filmOfCredit,
      credits,
      names.length,
    );
    return new People({ names, idByKey, offsets, filmIndexes });
  }

  get size(): number {
    return this.names.length;
  }

  /** The person with this name (spelling, case and accents aside). */
  idOf(name: string): number | undefined {
    return this.idByKey.get(normalizeText(name));
  }

  /** Indexes (into the films it was built from) of the films a person is credited on, in load order. */
  filmsOf(id: number): Int32Array {
    return this.filmIndexes.subarray(this.offsets[id]!, this.offsets[id + 1]!);
  }

  /** How well known each person is: the votes of all their films. */
  popularity(films: readonly FilmSummary[]): number[] {
    return runSteps(this.popularitySteps(films));
  }

  /** The same, in steps (see steps.ts). */
  *popularitySteps(films: readonly FilmSummary[]): Steps<number[]> {
    // Votes read once per film, in order, then summed from a typed array: a million reads scattered over the
    // films' objects cost more.
    const filmVotes = new Float64Array(films.length);
    for (let i = 0; i < films.length; i++) {
      filmVotes[i] = votesOf(films[i]!);
      if (i % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
    }
    const popularity: number[] = [];
    for (let id = 0; id < this.names.length; id++) {
      let votes = 0;
      for (const filmIndex of this.filmsOf(id)) votes += filmVotes[filmIndex]!;
      popularity.push(votes);
      if (id % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
    }
    return popularity;
  }
}

interface PeopleParts {
  names: string[];
  idByKey: ShardedMap<number>;
  offsets: Int32Array;
  filmIndexes: Int32Array;
}
