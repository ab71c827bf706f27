import type { Film } from "./film.js";

/**
 * Shrinks films for the hours they sit in memory: a catalog of 100,000 films must fit in a few hundred megabytes.
 *
 * - Repeated values — people, countries, languages, genres, roles — are shared: the same actor in 40 films is one
 *   string, not 40.
 * - Strings cut out of a page stop pointing at it: V8 keeps a substring of 13 characters or more as a view of its
 *   parent (the whole line or page), and a concatenation as a tree of its parts.
 * - Arrays lose the spare capacity push() leaves them.
 */
export class FilmCompactor {
  private readonly shared = new Map<string, string>();

  compact(film: Film): Film {
    film.id = detach(film.id);
    film.title = detach(film.title);
    film.logline = detachOrNull(film.logline);
    // Synopsis, review and trivia are fresh strings already (joined lines, or parsed JSON): copying them saves nothing.
    film.releaseDate = film.releaseDate === null ? null : this.share(film.releaseDate);
    film.filmingLocations = film.filmingLocations === null ? null : this.share(film.filmingLocations);
    film.website = detachOrNull(film.website);
    film.directors = this.shareAll(film.directors);
    film.stars = this.shareAll(film.stars);
    film.countries = this.shareAll(film.countries);
    film.languages = this.shareAll(film.languages);
    film.genres = this.shareAll(film.genres);
    film.trivia = [...film.trivia];
    film.cast = film.cast.map((member) => ({ name: this.share(member.name), role: member.role === null ? null : this.share(member.role) }));
    film.source = this.share(film.source);
    return film;
  }

  /** The one copy of this value kept for the whole catalog. */
  share(text: string): string {
    const known = this.shared.get(text);
    if (known !== undefined) return known;
    const copy = detach(text);
    this.shared.set(copy, copy);
    return copy;
  }

  private shareAll(texts: readonly string[]): string[] {
    // map() sizes the new array exactly.
    return texts.map((text) => this.share(text));
  }
}

/** A flat copy that keeps no parent string alive: prepending a character and slicing it off forces the copy. */
export function detach(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}

function detachOrNull(text: string | null): string | null {
  return text === null ? null : detach(text);
}
