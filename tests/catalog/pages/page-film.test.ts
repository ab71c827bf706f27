import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { Catalog } from "../../../src/catalog/catalog.js";
import { votesOf } from "../../../src/catalog/film.js";
import { normalizeText } from "../../../src/catalog/normalize.js";
import { NameTable } from "../../../src/catalog/pages/name-ids.js";
import {
  creditedNames,
  directorCountOf,
  filmDetails,
  genresOf,
  normalizedTitleOf,
  PageFilm,
  pageRichness,
  triviaCountOf,
} from "../../../src/catalog/pages/page-film.js";
import { filmDigest } from "../../../src/catalog/pages/known-films.js";
import { parsePageBytes } from "../../../src/catalog/pages/parse-page.js";
import { buildFilmCard, cardPageCount, FILM_VIEWS } from "../../../src/cards/film-card.js";
import { seededRandom } from "../../support/seeded-random.js";

const SEED = await readFile(new URL("../../../data/000_ca69434de1f8644e.txt", import.meta.url));

/** A PageFilm as the loader makes one from a page worker's batch: the summary from a parse, the page kept as bytes. */
function pageFilm(page: Uint8Array, table = new NameTable(), source = "seed.txt"): PageFilm {
  const parsed = parsePageBytes(page, source);
  return new PageFilm(
    {
      id: parsed.id,
      title: parsed.title,
      normalizedTitle: normalizeText(parsed.title),
      year: parsed.year,
      rating: parsed.rating,
      source,
      imdbId: parsed.imdbId,
      alternateTitles: parsed.alternateTitles,
      creditIds: Int32Array.from(creditedNames(parsed), (name) => table.idOf(name)),
      directorCount: parsed.directors.length,
      genreIds: Int32Array.from(parsed.genres, (genre) => table.idOf(genre)),
      nameTable: table,
      triviaCount: parsed.trivia.length,
      richness: pageRichness(parsed),
      digest: filmDigest("page", source, page),
    },
    page,
  );
}

function withTitle(title: string, year: number, genres = "Drama, Comedy"): Uint8Array {
  const page = SEED.toString("utf8").replaceAll("Miss You Already", title).replaceAll("2015", String(year));
  return Buffer.from(page.replace("\nStars:", `\nGenre: ${genres}\n\nStars:`));
}

describe("PageFilm", () => {
  it("gives the whole record from its page", () => {
    const film = pageFilm(SEED);
    const expected = parsePageBytes(SEED, "seed.txt");
    expect(film.details()).toEqual(expected);
    expect(filmDetails(film).synopsis).toBe(expected.synopsis);
    expect(filmDetails(film).cast).toEqual(expected.cast);
    expect(filmDetails(film).technicalSpecs).toEqual(expected.technicalSpecs);
    expect(JSON.stringify(film.details())).toBe(JSON.stringify(expected));
  });

  it("holds its summary as fields, and nothing else of the record", () => {
    const film = pageFilm(SEED);
    expect({ id: film.id, title: film.title, year: film.year, rating: film.rating }).toEqual({
      id: "miss-you-already-2015",
      title: "Miss You Already",
      year: 2015,
      rating: { score: 6.6, outOf: 10, votes: 567 },
    });
    expect("synopsis" in film).toBe(false);
    expect("cast" in film).toBe(false);
  });

  it("keeps two films apart when their fields are read in turns", () => {
    const alpha = pageFilm(withTitle("Alpha", 2001));
    const beta = pageFilm(withTitle("Beta", 2002));
    for (let turn = 0; turn < 3; turn++) {
      expect(alpha.details().synopsis).toContain("Milly");
      expect(beta.title).toBe("Beta");
      expect(alpha.details().releaseDate).toBe("2001-11-06");
      expect(beta.details().releaseDate).toBe("2002-11-06");
    }
  });

  it("gives a copy to change: the record it reads from stays as parsed", () => {
    const film = pageFilm(SEED);
    const copy = film.details();
    copy.cast.push({ name: "Someone Else", role: null });
    copy.directors.length = 0;
    expect(film.details().cast).toEqual(parsePageBytes(SEED, "seed.txt").cast);
    expect(film.details().directors).toEqual(["Catherine Hardwicke"]);
  });

  it("makes the same card as the record, in every view and page", () => {
    const film = pageFilm(SEED);
    const expected = parsePageBytes(SEED, "seed.txt");
    for (const view of FILM_VIEWS) {
      for (let page = 0; page < cardPageCount(expected, view); page++) {
        expect(buildFilmCard(film.details(), view, page)).toEqual(buildFilmCard(expected, view, page));
      }
    }
  });

  it("names its credited people and counts its trivia without parsing its page again", () => {
    const film = pageFilm(SEED);
    const expected = parsePageBytes(SEED, "seed.txt");
    expect(creditedNames(film)).toEqual([
      ...expected.directors,
      ...expected.stars,
      ...expected.cast.map((member) => member.name),
    ]);
    expect(triviaCountOf(film)).toBe(expected.trivia.length);
    expect(normalizedTitleOf(film)).toBe(normalizeText(expected.title));
  });

  it("knows its directors among its credits, and its genres, without parsing its page again", () => {
    const page = withTitle("Genre Film", 2001, "Drama | Sci-Fi");
    const film = pageFilm(page);
    const expected = parsePageBytes(page, "seed.txt");
    expect(expected.genres).toEqual(["Drama", "Sci-Fi"]);
    expect(genresOf(film)).toEqual(expected.genres);
    expect(directorCountOf(film)).toBe(expected.directors.length);
    expect(directorCountOf(expected)).toBe(1);
  });
});

const ids = (films: readonly { id: string }[]): string[] => films.map((film) => film.id);
const similarOf = (catalog: Catalog): unknown =>
  catalog.similar("film-7-1997").map((match) => ({ ...match, film: match.film.id }));
const matchesOf = (catalog: Catalog): unknown => catalog.search("film 1").map((match) => [match.film.id, match.score]);

function filmographyOf(catalog: Catalog): unknown {
  const found = catalog.person("Toni Collette");
  return found && { ...found, credits: found.credits.map((credit) => ({ ...credit, film: credit.film.id })) };
}

describe("a Catalog of PageFilms", () => {
  it("answers like a catalog of the same films as plain records", () => {
    const random = seededRandom(3);
    const table = new NameTable();
    const genres = ["Drama, Comedy", "Comedy", "sci-fi | Drama", "Horror"];
    const pages = Array.from({ length: 40 }, (_, i) => withTitle(`Film ${i}`, 1990 + (i % 25), genres[i % 4]));
    const pageFilms = pages.map((page, i) => pageFilm(page, table, `p${i}.txt`));
    const plain = pages.map((page, i) => parsePageBytes(page, `p${i}.txt`));
    const fromPages = Catalog.build(pageFilms);
    const fromRecords = Catalog.build(plain);
    expect(matchesOf(fromPages)).toEqual(matchesOf(fromRecords));
    expect(fromPages.searchPeople("drew")).toEqual(fromRecords.searchPeople("drew"));
    expect(filmographyOf(fromPages)).toEqual(filmographyOf(fromRecords));
    expect(ids(fromPages.top(10))).toEqual(ids(fromRecords.top(10)));
    expect(fromPages.genres).toEqual(fromRecords.genres);
    expect(fromPages.genres.map((genre) => genre.name)).toEqual(["Comedy", "Drama", "Horror", "sci-fi"]);
    expect(ids(fromPages.top(5, { genre: "comedy" }))).toEqual(ids(fromRecords.top(5, { genre: "comedy" })));
    expect(similarOf(fromPages)).toEqual(similarOf(fromRecords));
    expect(similarOf(fromPages)).toHaveLength(10);
    expect(fromPages.randomTrivia(random)?.trivia).toBe(fromRecords.randomTrivia(seededRandom(3))?.trivia);
    expect(pageFilms.map(votesOf)).toEqual(plain.map(votesOf));
  });
});
