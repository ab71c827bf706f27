import type { Film } from "./film.js";
import type { StringPool } from "./pages/parse-page.js";

/**
 * Keeps a big catalog small for the hours it sits in memory (100,000 films must fit in a few hundred megabytes).
 *
 * - Values many films repeat — people, roles, countries, languages, genres, keywords, certifications, streaming
 *   services — are held once: the same actor in 40 films is one string, not 40. The page parser shares them as it
 *   reads (see StringPool); records from JSON are shared here.
 * - Strings must not keep other strings alive: V8 keeps a substring of 13 characters or more as a view of its
 *   parent, and a concatenation as a tree of its parts.
 */
export class SharedStrings implements StringPool {
  private readonly known = new Map<string, string>();

  share(text: string): string {
    const known = this.known.get(text);
    if (known !== undefined) return known;
    const copy = detach(text);
    this.known.set(copy, copy);
    return copy;
  }

  /** A film read from JSON: its strings are fresh already; only the repeated ones need sharing. */
  shareRecord(film: Film): Film {
    film.directors = film.directors.map((name) => this.share(name));
    film.stars = film.stars.map((name) => this.share(name));
    film.countries = film.countries.map((name) => this.share(name));
    film.languages = film.languages.map((name) => this.share(name));
    film.genres = film.genres.map((name) => this.share(name));
    for (const member of film.cast) {
      member.name = this.share(member.name);
      if (member.role !== null) member.role = this.share(member.role);
    }
    film.keywords = film.keywords.map((keyword) => this.share(keyword));
    if (film.certification !== null) film.certification = this.share(film.certification);
    for (const offers of Object.values(film.watchProviders)) {
      offers.streaming = offers.streaming.map((name) => this.share(name));
      offers.rent = offers.rent.map((name) => this.share(name));
      offers.buy = offers.buy.map((name) => this.share(name));
    }
    film.source = this.share(film.source);
    return film;
  }
}

/** A flat copy that keeps no parent string alive: prepending a character and slicing it off forces the copy. */
export function detach(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}
