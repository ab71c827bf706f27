import { describe, expect, it } from "vitest";
import { Catalog } from "../../src/catalog/catalog.js";
import { emptyFilm, type Film } from "../../src/catalog/film.js";
import { filmId } from "../../src/catalog/normalize.js";

function film(title: string, year: number | null, fields: Partial<Film> & { score?: number; votes?: number }): Film {
  const { score, votes, ...rest } = fields;
  return {
    ...emptyFilm(title, "test"),
    id: filmId(title, year),
    year,
    rating: score === undefined ? null : { score, outOf: 10, votes: votes ?? 1000 },
    ...rest,
  };
}

const cast = (...names: string[]) => names.map((name) => ({ name, role: null }));

const films: Film[] = [
  film("Heat", 1995, {
    genres: ["Crime", "Drama", "Thriller"],
    directors: ["Michael Mann"],
    cast: cast("Al Pacino", "Robert De Niro", "Val Kilmer"),
    score: 8.3,
    votes: 600_000,
  }),
  film("Thief", 1981, {
    genres: ["Crime", "Drama"],
    directors: ["Michael Mann"],
    cast: cast("James Caan"),
    score: 7.4,
  }),
  film("Collateral", 2004, {
    genres: ["Crime", "Thriller"],
    directors: ["michael mann"],
    cast: cast("Tom Cruise"),
    score: 7.5,
    votes: 400_000,
  }),
  film("The Godfather Part II", 1974, {
    genres: ["Crime", "Drama"],
    directors: ["Francis Ford Coppola"],
    cast: cast("Al Pacino", "Robert De Niro"),
    score: 9,
    votes: 1_000_000,
  }),
  film("Ronin", 1998, { genres: ["Action"], directors: ["John Frankenheimer"], cast: cast("Robert De Niro") }),
  film("Se7en", 1995, { genres: ["Crime", "Drama", "Thriller"], directors: ["David Fincher"], score: 8.6 }),
  film("Old Crime Drama", 1930, { genres: ["Crime", "Drama", "Thriller"], score: 8.6 }),
  film("Toy Story", 1995, { genres: ["Animation", "Comedy"], directors: ["John Lasseter"], score: 8.3 }),
  film("Nothing Known", null, {}),
  film("Pacino Directs", 2000, { genres: ["Documentary"], directors: ["Al Pacino"] }),
];
const catalog = Catalog.build(films);
const titles = (id: string, limit?: number) => catalog.similar(id, limit).map((match) => match.film.title);
const answer = (source: Catalog) =>
  source.similar("heat-1995").map((match) => [match.film.title, match.score, match.genres]);

describe("Catalog.similar", () => {
  it("lists films sharing directors, cast or genres, never the film itself nor one sharing nothing", () => {
    const like = titles("heat-1995");
    expect(like).toEqual(
      expect.arrayContaining(["Thief", "Collateral", "The Godfather Part II", "Ronin", "Se7en", "Old Crime Drama"]),
    );
    expect(like).not.toContain("Heat");
    expect(like).not.toContain("Toy Story");
    expect(like).not.toContain("Nothing Known");
  });

  it("says what the films share: who directed both, who is in both, which genres", () => {
    const byTitle = new Map(catalog.similar("heat-1995").map((match) => [match.film.title, match]));
    expect(byTitle.get("Thief")).toMatchObject({ directors: ["Michael Mann"], cast: [], genres: ["Crime", "Drama"] });
    expect(byTitle.get("Collateral")).toMatchObject({ directors: ["Michael Mann"], genres: ["Crime", "Thriller"] });
    expect(byTitle.get("The Godfather Part II")).toMatchObject({
      directors: [],
      cast: ["Al Pacino", "Robert De Niro"],
    });
    expect(byTitle.get("Ronin")).toMatchObject({ directors: [], cast: ["Robert De Niro"], genres: [] });
  });

  it("ranks shared people and genres first, then the closer era and rating, best first", () => {
    const like = titles("heat-1995");
    expect(like.indexOf("Collateral")).toBeLessThan(like.indexOf("Se7en"));
    expect(like.indexOf("Se7en")).toBeLessThan(like.indexOf("Old Crime Drama"));
    const scores = catalog.similar("heat-1995").map((match) => match.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("counts a director of one film acting in the other as shared cast, not a shared director", () => {
    const like = catalog.similar("pacino-directs-2000");
    expect(like.find((match) => match.film.title === "Heat")).toMatchObject({ directors: [], cast: ["Al Pacino"] });
  });

  it("keeps to the limit, and answers nothing for an unknown id or a film that shares nothing", () => {
    expect(titles("heat-1995", 2)).toEqual(titles("heat-1995").slice(0, 2));
    expect(catalog.similar("heat-1995", 0)).toEqual([]);
    expect(catalog.similar("not-a-film")).toEqual([]);
    expect(catalog.similar("nothing-known")).toEqual([]);
    expect(Catalog.build([]).similar("heat-1995")).toEqual([]);
  });

  it("counts shared genres the same in a catalog with more genres than a bit mask holds", () => {
    // Forty one-genre films first, so that Heat's genres are numbered past the 32 a mask holds.
    const manyGenres = Catalog.build([
      ...Array.from({ length: 40 }, (_, index) => film(`Genre Film ${index}`, null, { genres: [`Genre ${index}`] })),
      ...films,
    ]);
    expect(answer(manyGenres)).toEqual(answer(catalog));
    expect(answer(manyGenres)).toContainEqual(["Se7en", expect.any(Number), ["Crime", "Drama", "Thriller"]]);
  });

  it("gives the same answer however queries interleave", () => {
    const first = catalog.similar("heat-1995");
    catalog.similar("collateral-2004");
    catalog.similar("toy-story-1995");
    expect(catalog.similar("heat-1995")).toEqual(first);
  });

  it("weighs a person credited on thousands of films less than one credited on two", () => {
    const crowd = Array.from({ length: 3000 }, (_, index) =>
      film(`Crowd ${index}`, 1950 + (index % 60), { cast: cast("Everywhere Extra"), genres: ["Drama"], score: 7 }),
    );
    const busy = Catalog.build([
      film("Lead", 1980, { cast: cast("Everywhere Extra", "Rare Actor"), genres: ["Drama"], score: 7 }),
      film("Rare Partner", 1981, { cast: cast("Rare Actor"), genres: ["Drama"], score: 7 }),
      ...crowd,
    ]);
    const like = busy.similar("lead-1980");
    expect(like).toHaveLength(10);
    expect(like[0]).toMatchObject({ film: { title: "Rare Partner" }, cast: ["Rare Actor"] });
  });
});
