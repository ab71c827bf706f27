import { NamedFilmGroups, type NamedFilmGroupsParts, NameNumbering } from "./name-numbering.js";
import { genreIdsOf, genresOf, type LoadedFilm } from "./pages/page-film.js";
import { ITEMS_PER_STEP, runSteps, type Steps } from "./steps.js";
import { groupByKeySteps } from "./typed-arrays.js";
import { int32Array } from "./index-arrays.js";

/** A genre as members see it: its name and how many films of the catalog have it. */
export interface GenreCount {
  readonly name: string;
  readonly count: number;
}

/**
 * The catalog's genres, indexed once at build: the films of each genre (for /random and /top with a genre), each
 * film's genres (for similar films), and every genre with its film count (for autocomplete). Without it, each of
 * those would read every film's genres — a page parse per film for films kept as their pages.
 *
 * One genre is one normalized name ("Sci-Fi", "sci fi" and "SCI-FI" are the same genre), shown in its best-written
 * spelling (see spellingQuality).
 */
export class Genres extends NamedFilmGroups {
  /** Every genre, most films first, then by name. */
  readonly byCount: readonly GenreCount[];
  /** Film f's genres are genreIds[genreStarts[f] .. genreStarts[f + 1]), ascending. */
  private readonly genreStarts: Int32Array;
  private readonly genreIds: Int32Array;

  private constructor(parts: GenresParts) {
    super(parts);
    this.genreStarts = parts.genreStarts;
    this.genreIds = parts.genreIds;
    this.byCount = parts.names
      .map((name, id) => ({ name, count: this.filmsOf(id).length }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  }

  static build(films: readonly LoadedFilm[]): Genres {
    return runSteps(Genres.steps(films));
  }

  /** Built in steps (see steps.ts), with the rest of the catalog. */
  static *steps(films: readonly LoadedFilm[]): Steps<Genres> {
    const numbering = new NameNumbering();
    let pairs = 0;
    for (let filmIndex = 0; filmIndex < films.length; filmIndex++) {
      const film = films[filmIndex]!;
      pairs += genreIdsOf(film)?.ids.length ?? genresOf(film).length;
      if (filmIndex % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
    }
    const genreOfPair = int32Array(pairs);
    const filmOfPair = int32Array(pairs);
    const genreStarts = int32Array(films.length + 1);
    let count = 0;
    const add = (genre: number, filmIndex: number): void => {
      // -1: a genre with no letters; a genre listed twice on one film counts once.
      if (genre < 0) return;
      for (let k = genreStarts[filmIndex]!; k < count; k++) if (genreOfPair[k] === genre) return;
      genreOfPair[count] = genre;
      filmOfPair[count] = filmIndex;
      count++;
    };
    for (let filmIndex = 0; filmIndex < films.length; filmIndex++) {
      const film = films[filmIndex]!;
      genreStarts[filmIndex] = count;
      const numbered = genreIdsOf(film);
      if (numbered !== null) {
        const known = numbering.tableIds(numbered.table);
        for (const nameId of numbered.ids) add(numbering.idOfTableEntry(known, numbered.table, nameId), filmIndex);
      } else {
        for (const genre of genresOf(film)) add(numbering.idOf(genre), filmIndex);
      }
      // Ascending, so that two films' genres are compared by one merge (see similar.ts); a film has a handful.
      genreOfPair.subarray(genreStarts[filmIndex]!, count).sort();
      if (filmIndex % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
    }
    genreStarts[films.length] = count;
    const { names, keys, idByKey } = numbering;
    const { offsets, grouped } = yield* groupByKeySteps(genreOfPair, filmOfPair, count, names.length);
    return new Genres({
      names,
      keys,
      idByKey,
      offsets,
      filmIndexes: grouped,
      genreStarts,
      genreIds: genreOfPair.subarray(0, count),
    });
  }

  /**
   * Every film's genres as flat arrays (film f: ids[starts[f] .. starts[f + 1]), ascending), for loops over
   * thousands of films that must not allocate a view per film (similar.ts). Read-only.
   */
  get filmGenreTable(): { readonly starts: Int32Array; readonly ids: Int32Array } {
    return { starts: this.genreStarts, ids: this.genreIds };
  }

  /** The genre ids of the film at `filmIndex`, ascending. */
  genresOfFilm(filmIndex: number): Int32Array {
    return this.genreIds.subarray(this.genreStarts[filmIndex]!, this.genreStarts[filmIndex + 1]!);
  }
}

interface GenresParts extends NamedFilmGroupsParts {
  genreStarts: Int32Array;
  genreIds: Int32Array;
}
