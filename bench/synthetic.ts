/**
 * Synthetic catalogs for the benchmark: the real films plus generated ones whose titles look like real titles —
 * words drawn from real titles with a long tail of invented words (so the vocabulary grows as a real catalog's
 * does), articles, subtitles after a colon, sequel numbers — and votes with a long-tailed distribution.
 */
import { emptyFilm, type Film } from "../src/catalog/film.js";
import { filmId, normalizeText } from "../src/catalog/normalize.js";
import { seededRandom } from "../tests/support/seeded-random.js";

const SYLLABLES = [
  "ka",
  "ri",
  "mo",
  "tan",
  "ber",
  "lo",
  "vin",
  "sa",
  "dor",
  "el",
  "ma",
  "qu",
  "zen",
  "ta",
  "ro",
  "shi",
  "ven",
  "ga",
  "lar",
  "ni",
  "po",
  "sta",
  "ble",
  "mi",
  "cor",
  "da",
  "fen",
  "ul",
  "ar",
  "tis",
];

function inventedWord(random: () => number): string {
  const syllables = 2 + Math.floor(random() * 3);
  let word = "";
  for (let i = 0; i < syllables; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
  return word;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * `count` films beyond `real`, deterministic for a seed. With `alternateTitles`, each also gets 0 to 4 other titles
 * (2 on average, as IMDb's original and regional titles give a catalog about three names a film), drawn from their
 * own random stream so that the films are the same either way.
 */
export function syntheticFilms(
  real: readonly Film[],
  count: number,
  options: { seed?: number; alternateTitles?: boolean } = {},
): Film[] {
  const seed = options.seed ?? 7;
  const random = seededRandom(seed);
  const alternateRandom = seededRandom(seed + 1);
  const realWords = [
    ...new Set(real.flatMap((film) => normalizeText(film.title).split(" ")).filter((word) => word.length > 2)),
  ];
  // Zipf-like reuse of real words; a growing pool of invented words for the long tail.
  const invented: string[] = [];
  const word = (): string => {
    const roll = random();
    if (roll < 0.6) return realWords[Math.floor(realWords.length * random() ** 2)]!;
    if (roll < 0.8 && invented.length > 0) return invented[Math.floor(invented.length * random())]!;
    const fresh = inventedWord(random);
    invented.push(fresh);
    return fresh;
  };
  const films: Film[] = [];
  const ids = new Set(real.map((film) => film.id));
  while (films.length < count) {
    const words = Array.from({ length: 1 + Math.floor(random() * 4) }, word).map(capitalize);
    let title = (random() < 0.25 ? "The " : "") + words.join(" ");
    if (random() < 0.12) title += `: ${capitalize(word())} ${capitalize(word())}`;
    if (random() < 0.05) title += ` ${2 + Math.floor(random() * 4)}`;
    const year = 1920 + Math.floor(random() * 105);
    const id = filmId(title, year);
    if (ids.has(id)) continue;
    ids.add(id);
    const film = emptyFilm(title, "synthetic");
    film.id = id;
    film.year = year;
    // Most generated films are obscure; the real ones stay among the best known.
    film.rating = {
      score: Math.round((3 + random() * 6) * 10) / 10,
      outOf: 10,
      votes: Math.floor(Math.exp(random() * random() * 11)),
    };
    if (options.alternateTitles === true) {
      const others = Math.floor(alternateRandom() * 5);
      for (let i = 0; i < others; i++) {
        const length = 1 + Math.floor(alternateRandom() * 4);
        const other = Array.from({ length }, () => inventedWord(alternateRandom)).map(capitalize);
        film.alternateTitles.push(other.join(" "));
      }
    }
    films.push(film);
  }
  return films;
}

/** IMDb's genres with roughly their share of titles: most films are dramas or comedies, few are westerns. */
const GENRE_WEIGHTS: readonly [string, number][] = [
  ["Drama", 30],
  ["Comedy", 18],
  ["Thriller", 8],
  ["Romance", 8],
  ["Action", 8],
  ["Horror", 6],
  ["Crime", 6],
  ["Documentary", 5],
  ["Adventure", 4],
  ["Mystery", 3],
  ["Family", 3],
  ["Fantasy", 3],
  ["Sci-Fi", 3],
  ["Biography", 2],
  ["History", 2],
  ["Animation", 2],
  ["Music", 2],
  ["War", 1],
  ["Western", 1],
  ["Musical", 1],
  ["Sport", 1],
];

/**
 * `films` with people and genres for the ones that have none, as a real catalog has them, for the similar-films
 * benchmark: 1-3 genres by their real shares, a director (sometimes two) from a pool of one per six films, and 6-15
 * cast members from a pool of one and a half per film, both long-tailed (a few people in many films, most in one or
 * two). A separate random stream: the titles and ratings are those syntheticFilms gave.
 */
export function withSyntheticCredits(films: readonly Film[], seed = 11): Film[] {
  const random = seededRandom(seed);
  const total = GENRE_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  const genre = (): string => {
    let roll = random() * total;
    for (const [name, weight] of GENRE_WEIGHTS) if ((roll -= weight) < 0) return name;
    return GENRE_WEIGHTS[0]![0];
  };
  const directorPool = Math.max(10, Math.floor(films.length / 6));
  const castPool = Math.max(30, Math.floor(films.length * 1.5));
  const person = (kind: string, pool: number): string => `${kind} ${Math.floor(pool * random() ** 3)}`;
  return films.map((film) => {
    if (film.genres.length > 0 || film.directors.length > 0 || film.cast.length > 0) return film;
    const genres = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, genre))];
    const directors = [
      ...new Set([person("Director", directorPool), ...(random() < 0.1 ? [person("Director", directorPool)] : [])]),
    ];
    const cast = [
      ...new Set(Array.from({ length: 6 + Math.floor(random() * 10) }, () => person("Actor", castPool))),
    ].map((name) => ({ name, role: null }));
    return { ...film, genres, directors, stars: cast.slice(0, 3).map((member) => member.name), cast };
  });
}
