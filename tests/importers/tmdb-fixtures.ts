/** Films for the TMDb importer's tests, as the fake TMDb serves them, and a clock that does not wait. */
import { fakeMovie, type FakeMovie } from "./fake-tmdb.js";

export const MATRIX = fakeMovie({
  id: 603,
  title: "The Matrix",
  release_date: "1999-03-30",
  imdb_id: "tt0133093",
  tagline: "Welcome to the Real World.",
  overview: "Set in the 22nd century, The Matrix tells the story of a computer hacker.",
  runtime: 136,
  vote_average: 8.2,
  vote_count: 26280,
  homepage: "http://www.warnerbros.com/matrix",
  genres: ["Action", "Science Fiction"],
  directors: ["Lana Wachowski", "Lilly Wachowski"],
  cast: [
    { name: "Keanu Reeves", character: "Thomas A. Anderson / Neo" },
    { name: "Laurence Fishburne", character: "Morpheus" },
    { name: "Carrie-Anne Moss", character: "Trinity" },
    { name: "Hugo Weaving", character: "Agent Smith" },
    { name: "Uncredited Extra" },
  ],
  certifications: [
    ["US", "", 1],
    ["US", "NR", 4],
    ["US", "R", 3],
    ["GB", "15", 3],
  ],
  alternative_titles: [
    ["US", "Matrix"],
    ["US", "The Matrix"],
    ["FR", "La Matrice"],
    ["JP", "マトリックス"],
  ],
  keywords: ["saving the world", "artificial intelligence (a.i.)", "simulated reality"],
  videos: [
    { key: "teaserKey", type: "Teaser" },
    { key: "fanTrailer", official: false, size: 2160 },
    { key: "vimeoTrailer", site: "Vimeo" },
    { key: "officialSmall", size: 720, published_at: "2019-01-01T00:00:00.000Z" },
    { key: "officialBig", size: 1080, published_at: "2018-01-01T00:00:00.000Z" },
  ],
  providers: {
    US: { flatrate: ["Max", "Netflix"], rent: ["Apple TV"], buy: ["Apple TV", "Google Play Movies"] },
    GB: { flatrate: ["Sky Go"] },
  },
});

export const FIGHT_CLUB = fakeMovie({
  id: 550,
  title: "Fight Club",
  release_date: "1999-10-15",
  imdb_id: "tt0137523",
  cast: [
    { name: "Edward Norton", character: "Narrator" },
    { name: "Brad Pitt", character: "Tyler Durden" },
    { name: "Helena Bonham Carter", character: "Marla Singer" },
  ],
  directors: ["David Fincher"],
});

/** A film nobody has rated, without poster, trailer, providers or certification. */
export const OBSCURE = (() => {
  const movie = fakeMovie({
    id: 4242,
    title: "Une Petite Chose",
    original_language: "fr",
    original_title: "Une petite chose",
    release_date: "",
    vote_count: 0,
    vote_average: 0,
    runtime: 0,
    imdb_id: null,
    certifications: [],
    alternative_titles: [
      ["FR", "Petite chose"],
      ["DE", "Ein kleines Ding"],
    ],
  });
  movie.details.poster_path = null;
  return movie;
})();

/** Films for --enrich: by IMDb id, by title and year, ambiguous, and one TMDb does not know the IMDb id of. */
export const HEAT = fakeMovie({ id: 949, title: "Heat", release_date: "1995-12-15", imdb_id: "tt0113277" });
export const ALIEN = fakeMovie({ id: 348, title: "Alien", release_date: "1979-05-25", imdb_id: "tt0078748" });
export const SOLARIS_1972 = fakeMovie({ id: 593, title: "Solaris", release_date: "1972-03-20", imdb_id: "tt0069293" });
export const SOLARIS_2002 = fakeMovie({ id: 2103, title: "Solaris", release_date: "2002-11-27", imdb_id: "tt0307479" });
export const HAMLET_A = fakeMovie({ id: 10549, title: "Hamlet", release_date: "1990-12-19", imdb_id: "tt0099726" });
export const HAMLET_B = fakeMovie({ id: 10550, title: "Hamlet", release_date: "1990-06-01", imdb_id: "tt9999990" });
export const PRIMER = fakeMovie({ id: 14337, title: "Primer", release_date: "2004-10-08", imdb_id: null });

export const ALL_MOVIES: readonly FakeMovie[] = [
  MATRIX,
  FIGHT_CLUB,
  OBSCURE,
  HEAT,
  ALIEN,
  SOLARIS_1972,
  SOLARIS_2002,
  HAMLET_A,
  HAMLET_B,
  PRIMER,
];

/** A clock that moves only when something sleeps: waits are recorded, never spent. */
export function instantTime(start = Date.UTC(2025, 0, 1)) {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number, signal: AbortSignal) => {
      if (signal.aborted) throw signal.reason;
      sleeps.push(ms);
      now += ms;
    },
    advance(ms: number) {
      now += ms;
    },
  };
}
