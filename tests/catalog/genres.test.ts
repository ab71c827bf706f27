import { describe, expect, it } from "vitest";
import { emptyFilm, type Film } from "../../src/catalog/film.js";
import { Genres } from "../../src/catalog/genres.js";

function film(title: string, genres: string[]): Film {
  return { ...emptyFilm(title, "test"), id: title.toLowerCase(), genres };
}

const films = [
  film("A", ["drama", "Sci-Fi"]),
  film("B", ["Drama"]),
  film("C", ["SCI FI", "Comedy", "sci-fi"]),
  film("D", []),
  film("E", ["Drama", "!!!", "Comedy"]),
];

describe("Genres", () => {
  const genres = Genres.build(films);

  it("counts each genre once per film, one genre per normalized name, in its best-written spelling", () => {
    expect(genres.byCount).toEqual([
      { name: "Drama", count: 3 },
      { name: "Comedy", count: 2 },
      { name: "Sci-Fi", count: 2 },
    ]);
    expect(genres.size).toBe(3);
  });

  it("finds a genre by name, case, accents, spacing and punctuation aside", () => {
    for (const name of ["Drama", "drama", "DRÂMA", " drama "]) expect(genres.idOf(name)).toBe(genres.idOf("Drama"));
    expect(genres.idOf("sci fi")).toBe(genres.idOf("Sci-Fi"));
    expect(genres.idOf("Western")).toBeUndefined();
    expect(genres.idOf("")).toBeUndefined();
  });

  it("lists a genre's films in load order, and each film's genres ascending", () => {
    expect(Array.from(genres.filmsOf(genres.idOf("drama")!))).toEqual([0, 1, 4]);
    expect(Array.from(genres.filmsOf(genres.idOf("sci-fi")!))).toEqual([0, 2]);
    for (let index = 0; index < films.length; index++) {
      const ids = Array.from(genres.genresOfFilm(index));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(Array.from(genres.genresOfFilm(2)).map((id) => genres.names[id])).toEqual(
      expect.arrayContaining(["Sci-Fi", "Comedy"]),
    );
    expect(genres.genresOfFilm(3)).toHaveLength(0);
  });

  it("is empty for a catalog without genres", () => {
    const none = Genres.build([film("X", [])]);
    expect(none.byCount).toEqual([]);
    expect(none.genresOfFilm(0)).toHaveLength(0);
  });
});
