import { type Film, votesOf } from "./film.js";
import { normalizeText } from "./normalize.js";
import { creditedNames } from "./page-film.js";
import { ITEMS_PER_STEP, runSteps, type Steps } from "./steps.js";

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
  private readonly idByKey: Map<string, number>;
  private readonly offsets: Int32Array;
  private readonly filmIndexes: Int32Array;

  private constructor(parts: PeopleParts) {
    this.names = parts.names;
    this.idByKey = parts.idByKey;
    this.offsets = parts.offsets;
    this.filmIndexes = parts.filmIndexes;
  }

  static build(films: readonly Film[]): People {
    return runSteps(People.steps(films));
  }

  /** Built in steps (see steps.ts): ~0.5 s at 100,000 films, which a loading bot spends answering interactions. */
  static *steps(films: readonly Film[]): Steps<People> {
    const names: string[] = [];
    const idByKey = new Map<string, number>();
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
    // Read once: a PageFilm keeps its credited names as a field, without decoding its record.
    const creditsOf = films.map(creditedNames);
    for (const credited of creditsOf) maxCredits += credited.length;
    const personOfCredit = new Int32Array(maxCredits);
    const filmOfCredit = new Int32Array(maxCredits);
    const lastFilmOf = new Int32Array(maxCredits).fill(-1);
    const idOfName = new Map<string, number>();
    let credits = 0;
    const credit = (name: string, filmIndex: number): void => {
      let id = idOfName.get(name);
      if (id === undefined) {
        id = idForKey(normalizeText(name), name);
        idOfName.set(name, id);
      }
      // -1: a name with no letters; and a person both directing and acting in a film is credited once for it.
      if (id < 0 || lastFilmOf[id] === filmIndex) return;
      lastFilmOf[id] = filmIndex;
      personOfCredit[credits] = id;
      filmOfCredit[credits] = filmIndex;
      credits++;
    };
    for (let filmIndex = 0; filmIndex < films.length; filmIndex++) {
      for (const name of creditsOf[filmIndex]!) credit(name, filmIndex);
      if (filmIndex % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
    }
    // Counting sort by person: each person's films end up contiguous, in load order.
    const offsets = new Int32Array(names.length + 1);
    for (let i = 0; i < credits; i++) offsets[personOfCredit[i]! + 1]!++;
    for (let id = 0; id < names.length; id++) offsets[id + 1]! += offsets[id]!;
    const cursor = offsets.slice(0, names.length);
    const filmIndexes = new Int32Array(credits);
    for (let i = 0; i < credits; i++) filmIndexes[cursor[personOfCredit[i]!]!++] = filmOfCredit[i]!;
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
  popularity(films: readonly Film[]): number[] {
    return this.names.map((_, id) => {
      let votes = 0;
      for (const filmIndex of this.filmsOf(id)) votes += votesOf(films[filmIndex]!);
      return votes;
    });
  }
}

interface PeopleParts {
  names: string[];
  idByKey: Map<string, number>;
  offsets: Int32Array;
  filmIndexes: Int32Array;
}
