import { describe, expect, it } from "vitest";
import { genreChoiceName, genreChoices, requireGenre } from "../../src/cards/genre-lookup.js";
import { Catalog } from "../../src/catalog/catalog.js";
import { emptyFilm, type Film } from "../../src/catalog/film.js";
import { UserFacingError } from "../../src/errors.js";

function withGenres(...counts: [string, number][]): Catalog {
  const films: Film[] = [];
  for (const [genre, count] of counts)
    for (let i = 0; i < count; i++)
      films.push({ ...emptyFilm(`${genre} ${i}`, "t"), id: `f-${films.length}`, genres: [genre] });
  return Catalog.build(films);
}

const catalog = withGenres(
  ["Drama", 1200],
  ["Comedy", 900],
  ["Romantic Comedy", 40],
  ["Black Comedy", 12],
  ["Sci-Fi", 30],
  ["Thriller", 300],
  ["Documentary", 5],
);
const names = (typed: string) => genreChoices(catalog, typed).map((choice) => choice.value);

describe("genreChoices", () => {
  it("offers the largest genres for empty input, each with its film count", () => {
    expect(genreChoices(catalog, "").slice(0, 3)).toEqual([
      { name: "Drama (1,200 films)", value: "Drama" },
      { name: "Comedy (900 films)", value: "Comedy" },
      { name: "Thriller (300 films)", value: "Thriller" },
    ]);
  });

  it("matches what was typed: the name's start, then a word's start, then anywhere, then a typo", () => {
    expect(names("com")).toEqual(["Comedy", "Romantic Comedy", "Black Comedy"]);
    expect(names("COMEDY")).toEqual(["Comedy", "Romantic Comedy", "Black Comedy"]);
    expect(names("edy")).toEqual(["Comedy", "Romantic Comedy", "Black Comedy"]);
    expect(names("thriler")).toEqual(["Thriller"]);
    expect(names("sci fi")).toEqual(["Sci-Fi"]);
    expect(names("scí-fí")).toEqual(["Sci-Fi"]);
    expect(names("dramé")).toEqual(["Drama"]);
    expect(names("zzz")).toEqual([]);
  });

  it("keeps names and values within Discord's limits, and never throws on odd input", () => {
    const odd = withGenres(["x".repeat(150), 2], [`Weird ${"é".repeat(95)}`, 1], ["Short", 1]);
    const choices = genreChoices(odd, "");
    for (const choice of choices) {
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(choice.value.length).toBeLessThanOrEqual(100);
      expect(choice.name).toMatch(/\(\d+ films?\)$/);
    }
    // A genre whose name cannot be a choice value is left out rather than cut (it would not be found again).
    expect(choices.map((choice) => choice.value)).not.toContain("x".repeat(150));
    for (const typed of ["", " ", "\u0000", "😀".repeat(300), "@everyone"])
      expect(() => genreChoices(odd, typed)).not.toThrow();
    expect(genreChoiceName({ name: "Drama", count: 1 })).toBe("Drama (1 film)");
  });
});

describe("requireGenre", () => {
  it("gives the catalog's genre however it is typed", () => {
    expect(requireGenre(catalog, "sci fi")).toEqual({ name: "Sci-Fi", count: 30 });
    expect(requireGenre(catalog, "  DRAMA ")).toEqual({ name: "Drama", count: 1200 });
  });

  it("names the close genres of one the catalog lacks, privately", () => {
    expect(() => requireGenre(catalog, "Comdy")).toThrow(
      new UserFacingError(
        "The catalog has no genre “Comdy”.\nClose ones: Comedy, Romantic Comedy, Black Comedy.\nTip: pick a genre from the list that appears while you type.",
      ),
    );
    expect(() => requireGenre(catalog, "Western")).toThrow(
      /^The catalog has no genre “Western”\.\nIts genres include Drama, Comedy, Thriller, /,
    );
    expect(() => requireGenre(catalog, "**bold** @everyone")).toThrow(/“\\\*\\\*bold\\\*\\\* @\u200beveryone”/);
    expect(() => requireGenre(withGenres(), "Drama")).toThrow("The catalog's films have no genres listed.");
  });
});
