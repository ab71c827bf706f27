import { type FilmSummary, votesOf } from "./film.js";
import { NamedFilmGroups, type NamedFilmGroupsParts, NameNumbering } from "./name-numbering.js";
import { creditedNames, creditIdsOf, directorCountOf, type LoadedFilm } from "./pages/page-film.js";
import { ITEMS_PER_STEP, runSteps, type Steps } from "./steps.js";
import { groupByKeySteps } from "./typed-arrays.js";
import { float64Array, int32Array, int32ArraySteps } from "./index-arrays.js";

/** Films whose credits are read between two yields (see the credit loop in People.steps). */
const FILMS_PER_CREDIT_STEP = 16;

/**
 * Everyone credited on a film — director, star or cast — with the films they are credited on, and each film's
 * people, directors first.
 *
 * Built for 100,000 films and a million credits: people get integer ids, credits are collected as (person, film)
 * pairs and grouped with one counting sort into flat arrays, instead of a growing array per person. Names repeat
 * across films as the same string (the loader shares them), so each distinct spelling is normalized once.
 *
 * One person is one normalized name (normalizeText: case, accents, spacing and punctuation aside), whichever source
 * credits them and in whichever role.
 */
export class People extends NamedFilmGroups {
  /** Film f's people are creditPeople[creditStarts[f] .. creditStarts[f + 1]), each once, its directors first. */
  private readonly creditStarts: Int32Array;
  private readonly creditPeople: Int32Array;
  /** Film f's directors are the first directorCounts[f] of its people. */
  private readonly directorCounts: Int32Array;

  private constructor(parts: PeopleParts) {
    super(parts);
    this.creditStarts = parts.creditStarts;
    this.creditPeople = parts.creditPeople;
    this.directorCounts = parts.directorCounts;
  }

  static build(films: readonly LoadedFilm[]): People {
    return runSteps(People.steps(films));
  }

  /**
   * Built in steps (see steps.ts): at 100,000 films this takes a noticeable pause, which a loading bot spends answering
   * interactions.
   */
  static *steps(films: readonly LoadedFilm[]): Steps<People> {
    const numbering = new NameNumbering();
    // Sized up front: growing arrays of a million entries inside a heap of 100,000 films keeps the collector busy.
    let maxCredits = 0;
    for (let filmIndex = 0; filmIndex < films.length; filmIndex++) {
      const film = films[filmIndex]!;
      maxCredits += creditIdsOf(film)?.ids.length ?? creditedNames(film).length;
      if (filmIndex % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
    }
    const personOfCredit = int32Array(maxCredits);
    const filmOfCredit = int32Array(maxCredits);
    // Read at random (by person): touched in steps first, as a fill in one go faults every page at once.
    const lastFilmOf = (yield* int32ArraySteps(maxCredits)).fill(-1);
    const creditStarts = int32Array(films.length + 1);
    const directorCounts = int32Array(films.length);
    let credits = 0;
    const credit = (id: number, filmIndex: number): void => {
      // -1: a name with no letters; and a person both directing and acting in a film is credited once for it.
      if (id < 0 || lastFilmOf[id] === filmIndex) return;
      lastFilmOf[id] = filmIndex;
      personOfCredit[credits] = id;
      filmOfCredit[credits] = filmIndex;
      credits++;
    };
    for (let filmIndex = 0; filmIndex < films.length; filmIndex++) {
      const film = films[filmIndex]!;
      const start = credits;
      // Directors come first among a film's credits: a person who directs and acts is kept as its director here,
      // and Catalog.person reads both roles from the record.
      const directors = directorCountOf(film);
      const numbered = creditIdsOf(film);
      if (numbered !== null) {
        const known = numbering.tableIds(numbered.table);
        for (let k = 0; k < numbered.ids.length; k++) {
          credit(numbering.idOfTableEntry(known, numbered.table, numbered.ids[k]!), filmIndex);
          if (k === directors - 1) directorCounts[filmIndex] = credits - start;
        }
      } else {
        const named = creditedNames(film);
        for (let k = 0; k < named.length; k++) {
          credit(numbering.idOf(named[k]!), filmIndex);
          if (k === directors - 1) directorCounts[filmIndex] = credits - start;
        }
      }
      creditStarts[filmIndex + 1] = credits;
      // A film's credits are a dozen names, each normalized the first time it is seen: a few films per step.
      if (filmIndex % FILMS_PER_CREDIT_STEP === FILMS_PER_CREDIT_STEP - 1) yield;
    }
    const { names, keys, idByKey } = numbering;
    // Counting sort by person: each person's films end up contiguous, in load order.
    const { offsets, grouped: filmIndexes } = yield* groupByKeySteps(
      personOfCredit,
      filmOfCredit,
      credits,
      names.length,
    );
    // Credits were collected film by film: the first `credits` entries are already each film's people, in order.
    const creditPeople = personOfCredit.subarray(0, credits);
    return new People({ names, keys, idByKey, offsets, filmIndexes, creditStarts, creditPeople, directorCounts });
  }

  /** The people credited on the film at `filmIndex`, each once: its directors first (see directorCountOf). */
  peopleOf(filmIndex: number): Int32Array {
    return this.creditPeople.subarray(this.creditStarts[filmIndex]!, this.creditStarts[filmIndex + 1]!);
  }

  /** How many of peopleOf(filmIndex), the first ones, directed the film. */
  directorCountOf(filmIndex: number): number {
    return this.directorCounts[filmIndex]!;
  }

  /**
   * Every film's people as flat arrays (see peopleOf and directorCountOf), for loops over thousands of films that must
   * not allocate a view per film (similar.ts). Read-only.
   */
  get creditTable(): {
    readonly starts: Int32Array;
    readonly people: Int32Array;
    readonly directorCounts: Int32Array;
  } {
    return { starts: this.creditStarts, people: this.creditPeople, directorCounts: this.directorCounts };
  }

  /** How well known each person is: the votes of all their films. */
  popularity(films: readonly FilmSummary[]): number[] {
    return runSteps(this.popularitySteps(films));
  }

  /** The same, in steps (see steps.ts). */
  *popularitySteps(films: readonly FilmSummary[]): Steps<number[]> {
    // Votes read once per film, in order, then summed from a typed array: a million reads scattered over the
    // films' objects cost more.
    const filmVotes = float64Array(films.length);
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

interface PeopleParts extends NamedFilmGroupsParts {
  creditStarts: Int32Array;
  creditPeople: Int32Array;
  directorCounts: Int32Array;
}
