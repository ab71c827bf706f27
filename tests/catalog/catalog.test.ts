import { describe, expect, it } from "vitest";
import { Catalog } from "../../src/catalog/catalog.js";
import { emptyFilm, type Film } from "../../src/catalog/film.js";
import { mergeFilms } from "../../src/catalog/merge.js";
import { filmId } from "../../src/catalog/normalize.js";

function film(title: string, year: number | null, votes: number, extra: Partial<Film> = {}): Film {
  const base = emptyFilm(title, "test");
  return {
    ...base,
    id: filmId(title, year),
    year,
    rating: { score: extra.rating?.score ?? 7, outOf: 10, votes },
    ...extra,
  };
}

const films: Film[] = [
  film("The Lord of the Rings: The Fellowship of the Ring", 2001, 1_500_000),
  film("The Lord of the Rings: The Two Towers", 2002, 1_300_000),
  film("The Lord of the Rings: The Return of the King", 2003, 1_400_000),
  film("Lord of War", 2005, 300_000),
  film("Amélie", 2001, 700_000, { directors: ["Jean-Pierre Jeunet"] }),
  film("Amelia", 2009, 15_000),
  film("Spider-Man", 2002, 800_000),
  film("Spider-Man 2", 2004, 600_000),
  film("Alice in Wonderland", 1951, 150_000),
  film("Alice in Wonderland", 2010, 400_000),
  film("Bill & Ted's Excellent Adventure", 1989, 130_000),
  film("Star Wars", 1977, 1_300_000),
  film("Star Trek", 2009, 600_000),
  film("Stardust", 2007, 270_000),
  film("Superman", 1978, 180_000),
  film("Superman Returns", 2006, 300_000),
  film("Blade Runner", 1982, 800_000),
  film("Blade Runner 2049", 2017, 600_000),
  film("2012", 2009, 350_000),
  film("The Godfather", 1972, 1_900_000),
  film("The Godfather Part II", 1974, 1_300_000),
  film("*batteries not included", 1987, 30_000),
  film("Miss You Already", 2015, 567, {
    directors: ["Catherine Hardwicke"],
    stars: ["Drew Barrymore", "Toni Collette"],
    cast: [
      { name: "Drew Barrymore", role: "Jess" },
      { name: "Toni Collette", role: "Milly" },
    ],
    trivia: ["Jennifer Aniston was originally cast."],
  }),
  film("Charlie's Angels", 2000, 200_000, {
    stars: ["Drew Barrymore"],
    cast: [{ name: "Drew Barrymore", role: "Dylan" }],
  }),
  film("E.T. the Extra-Terrestrial", 1982, 450_000, { cast: [{ name: "drew barrymore", role: "Gertie" }] }),
  film("JFK", 1991, 150_000),
  film("Ocean's Eleven", 2001, 600_000),
  film("Oceans", 2009, 20_000),
  film("From Justin to Kelly", 2003, 30_000),
  film("Eternal Sunshine of the Spotless Mind", 2004, 1_000_000),
  film("Confessions of a Dangerous Mind", 2002, 90_000, {
    directors: ["George Clooney"],
    cast: [{ name: "Drew Barrymore", role: "Penny" }],
  }),
];
const catalog = Catalog.build(films);

function titlesFor(query: string, limit = 3, year?: number): string[] {
  return catalog.search(query, { limit, year }).map((match) => `${match.film.title} (${match.film.year})`);
}

describe("Catalog.search forgives what members type", () => {
  it.each([
    ["amelie", "Amélie (2001)"],
    ["AMÉLIE", "Amélie (2001)"],
    ["spiderman", "Spider-Man (2002)"],
    ["spider man 2", "Spider-Man 2 (2004)"],
    ["bill and teds excellent adventure", "Bill & Ted's Excellent Adventure (1989)"],
    ["lord of rings two towers", "The Lord of the Rings: The Two Towers (2002)"],
    ["godfahter", "The Godfather (1972)"],
    ["the godfather part 2", "The Godfather Part II (1974)"],
    ["alice in wonderland 2010", "Alice in Wonderland (2010)"],
    ["alice in wonderland 1951", "Alice in Wonderland (1951)"],
    ["alice in wonderland (1951)", "Alice in Wonderland (1951)"],
    ["blade runner 2049", "Blade Runner 2049 (2017)"],
    ["2012", "2012 (2009)"],
    ["batteries not included", "*batteries not included (1987)"],
    ["miss you alredy", "Miss You Already (2015)"],
    ["j.f.k.", "JFK (1991)"],
    ["spider man two", "Spider-Man 2 (2004)"],
    ["godfather part two", "The Godfather Part II (1974)"],
    ["oceans 11", "Ocean's Eleven (2001)"],
    ["e.t.", "E.T. the Extra-Terrestrial (1982)"],
    ["et the extra", "E.T. the Extra-Terrestrial (1982)"],
  ])("%j finds %s first", (query, expected) => {
    expect(titlesFor(query)[0]).toBe(expected);
  });

  it("prefers the better-known film among titles that start with what was typed", () => {
    expect(titlesFor("lord of")[0]).toBe("The Lord of the Rings: The Fellowship of the Ring (2001)");
    expect(titlesFor("star", 2)).toEqual(["Star Wars (1977)", "Star Trek (2009)"]);
    expect(titlesFor("alice in wonderland")[0]).toBe("Alice in Wonderland (2010)");
  });

  it("puts the exact title before longer titles that start with it", () => {
    expect(titlesFor("superman")[0]).toBe("Superman (1978)");
    expect(titlesFor("blade runner")[0]).toBe("Blade Runner (1982)");
  });

  it("filters by year and respects the limit", () => {
    expect(titlesFor("alice", 5, 1951)).toEqual(["Alice in Wonderland (1951)"]);
    expect(catalog.search("the", { limit: 2 })).toHaveLength(2);
    expect(catalog.search("lord", { limit: 0 })).toEqual([]);
  });

  it("scores in [0, 1], best first", () => {
    const matches = catalog.search("star", { limit: 10 });
    for (const match of matches) expect(match.score).toBeGreaterThanOrEqual(0);
    for (const match of matches) expect(match.score).toBeLessThanOrEqual(1);
    expect(catalog.search("star wars")[0]?.score).toBe(1);
  });

  it("answers nothing, without failing, for empty or hostile input", () => {
    expect(catalog.search("")).toEqual([]);
    expect(catalog.search("   ")).toEqual([]);
    expect(catalog.search("!!!???")).toEqual([]);
    expect(() => catalog.search("x".repeat(100_000))).not.toThrow();
    expect(() => catalog.search("🎬🍿 \u0000\u202e @everyone <@123>")).not.toThrow();
    expect(() => catalog.search("zzqqxxjj")).not.toThrow();
  });

  it("finds a film by id, and resolves free text to one film, a question, or nothing", () => {
    expect(catalog.get("amelie-2001")?.title).toBe("Amélie");
    expect(catalog.get("nope")).toBeUndefined();
    const amelie = catalog.resolve("amelie");
    expect(amelie.verdict === "answer" && amelie.film.id).toBe("amelie-2001");
    expect(catalog.resolve("qqqqqqqqqqqq").verdict).toBe("none");
  });
});

describe("alternate titles", () => {
  const known = Catalog.build([
    film("Le Fabuleux destin d'Amélie Poulain", 2001, 700_000, {
      alternateTitles: ["Amélie", "Amelie from Montmartre"],
    }),
    film("Amelia", 2009, 15_000),
    film("Lola rennt", 1998, 200_000, { alternateTitles: ["Run Lola Run"] }),
    film("Run", 2020, 50_000, { alternateTitles: ["Lola"] }),
  ]);

  it("find the film by any of its titles, and say which one matched", () => {
    const [amelie] = known.search("amelie");
    expect(amelie).toMatchObject({ film: { title: "Le Fabuleux destin d'Amélie Poulain" }, alias: "Amélie" });
    const resolved = known.resolve("amélie");
    expect(resolved.verdict === "answer" && resolved.film.title).toBe("Le Fabuleux destin d'Amélie Poulain");
    expect(known.search("run lola run")[0]).toMatchObject({ film: { title: "Lola rennt" }, alias: "Run Lola Run" });
    expect(known.search("lola rennt")[0]).toMatchObject({ film: { title: "Lola rennt" }, alias: null });
  });

  it("rank a little below a film's own title, and answer each film once", () => {
    expect(known.search("amelia")[0]).toMatchObject({ film: { title: "Amelia" }, alias: null });
    expect(known.search("run").map((match) => match.film.title)).toEqual(["Run", "Lola rennt"]);
    const ids = known.search("amelie").map((match) => match.film.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("films without a vote count", () => {
  it("are not ranked below every obscure film that has a few votes: a rich record counts for something", () => {
    const obscure = Array.from({ length: 60 }, (_, i) => film(`Torment Number ${i}`, 2000 + (i % 20), 5 + i));
    const known = Catalog.build([
      ...obscure,
      film("Tormented Souls", 1970, 0, {
        rating: null,
        directors: ["Richard Fleischer"],
        cast: Array.from({ length: 20 }, (_, i) => ({ name: `Actor ${i}`, role: null })),
        trivia: ["Shot on location.", "Two directors worked on it."],
        criticScore: 60,
      }),
      film("Torment Bare", 1960, 0, { rating: null }),
    ]);
    const order = known.search("torm", { limit: 70 }).map((match) => match.film.title);
    // The rich record ranks with the better-known half of the voted films; it ranked last before.
    expect(order.indexOf("Tormented Souls")).toBeLessThan(order.indexOf("Torment Number 30"));
    // A bare record without votes still ranks above the least-known tenth of the voted films.
    expect(order.indexOf("Torment Bare")).toBeLessThan(order.indexOf("Torment Number 0"));
  });
});

describe("Catalog people", () => {
  it("finds people by name, forgiving typos", () => {
    expect(catalog.searchPeople("drew bary")[0]?.name).toBe("Drew Barrymore");
    expect(catalog.searchPeople("hardwick")[0]?.name).toBe("Catherine Hardwicke");
    expect(catalog.searchPeople("jean pierre jeunet")[0]?.name).toBe("Jean-Pierre Jeunet");
  });

  it("lists a filmography newest first, with roles, matching names loosely", () => {
    const person = catalog.person("Drew Barrymore");
    expect(person?.credits.map((credit) => credit.film.year)).toEqual([2015, 2002, 2000, 1982]);
    const charlie = person?.credits.find((credit) => credit.film.title === "Charlie's Angels");
    expect(charlie).toMatchObject({ starred: true, inCast: true, roles: ["Dylan"], directed: false });
    expect(catalog.person("drew barrymore")?.credits).toHaveLength(4);
    expect(catalog.person("Nobody At All")).toBeUndefined();
  });

  it("marks directors", () => {
    const clooney = catalog.person("George Clooney");
    expect(clooney?.credits).toHaveLength(1);
    expect(clooney?.credits[0]).toMatchObject({ directed: true, inCast: false });
  });

  it("credits a person who directed and acted in one film with both, from every source merged", () => {
    const records = mergeFilms([
      film("Gran Torino", 2008, 800_000, { directors: ["Clint Eastwood"], source: "a.json" }),
      film("Gran Torino", 2008, 800_000, {
        stars: ["CLINT EASTWOOD"],
        cast: [{ name: "Clint  Eastwood", role: "Walt Kowalski" }],
        source: "b.json",
      }),
      film("Unforgiven", 1992, 400_000, {
        directors: ["CLINT EASTWOOD"],
        cast: [
          { name: "Clint Eastwood", role: "Will Munny" },
          { name: "clint eastwood", role: "will munny" },
        ],
        source: "c.json",
      }),
      film("Unforgiven", 1992, 400_000, { cast: [{ name: "Clint Eastwood", role: "Narrator" }], source: "d.json" }),
      film("Space Cowboys", 2000, 80_000, { cast: [{ name: "Clint Eastwood", role: "Frank Corvin" }] }),
    ]).films;
    const eastwood = Catalog.build(records).person("clint eastwood");
    expect(eastwood?.name).toBe("Clint Eastwood");
    expect(
      eastwood?.credits.map(({ film: credited, directed, inCast, roles }) => [credited.title, directed, inCast, roles]),
    ).toEqual([
      ["Gran Torino", true, true, ["Walt Kowalski"]],
      ["Space Cowboys", false, true, ["Frank Corvin"]],
      ["Unforgiven", true, true, ["Will Munny", "Narrator"]],
    ]);
  });

  it("suggests well-known people for an empty query", () => {
    expect(catalog.popularPeople(3).length).toBe(3);
  });
});

/** A random source that always picks the last candidate. */
const lastPick = (): number => 0.999;

describe("Catalog lists", () => {
  it("lists popular films by votes", () => {
    expect(catalog.popular(2).map((f) => f.title)).toEqual([
      "The Godfather",
      "The Lord of the Rings: The Fellowship of the Ring",
    ]);
  });

  it("ranks the top by rating with votes as weight", () => {
    const rated = Catalog.build([
      film("Famous Good", 2000, 1_000_000, { rating: { score: 8.9, outOf: 10, votes: 1_000_000 } }),
      film("Obscure Perfect", 2000, 5, { rating: { score: 10, outOf: 10, votes: 5 } }),
      film("Average", 2000, 50_000, { rating: { score: 6, outOf: 10, votes: 50_000 } }),
      film("Older Great", 1990, 500_000, { rating: { score: 8.5, outOf: 10, votes: 500_000 } }),
    ]);
    expect(rated.top(2).map((f) => f.title)).toEqual(["Famous Good", "Older Great"]);
    expect(rated.top(10, { year: 1990 }).map((f) => f.title)).toEqual(["Older Great"]);
    expect(rated.top(10, { year: 1800 })).toEqual([]);
  });

  it("picks random films within the filters, and random trivia", () => {
    const picked = catalog.random({ minRating: 6, year: 2001 }, lastPick);
    expect(picked?.year).toBe(2001);
    expect(catalog.random({ year: 1800 }, lastPick)).toBeUndefined();
    expect(catalog.randomTrivia(() => 0)).toEqual({
      film: catalog.get("miss-you-already-2015"),
      trivia: "Jennifer Aniston was originally cast.",
    });
    expect(Catalog.build([]).randomTrivia(() => 0)).toBeUndefined();
  });
});

describe("Catalog genres", () => {
  const withGenres = Catalog.build([
    film("Alien", 1979, 900_000, { genres: ["Horror", "Sci-Fi"], rating: { score: 8.5, outOf: 10, votes: 900_000 } }),
    film("Aliens", 1986, 700_000, { genres: ["Action", "sci-fi"], rating: { score: 8.4, outOf: 10, votes: 700_000 } }),
    film("The Thing", 1982, 400_000, { genres: ["horror"], rating: { score: 8.2, outOf: 10, votes: 400_000 } }),
    film("Halloween", 1978, 300_000, { genres: ["Horror"], rating: { score: 7.7, outOf: 10, votes: 300_000 } }),
    film("Airplane!", 1980, 250_000, { genres: ["Comedy"], trivia: ["Surely."] }),
    film("Ghostbusters", 1984, 400_000, { genres: ["Comedy"], trivia: ["Who you gonna call?"] }),
  ]);

  it("lists every genre with its film count, most films first, and finds one by any spelling", () => {
    expect(withGenres.genres).toEqual([
      { name: "Horror", count: 3 },
      { name: "Comedy", count: 2 },
      { name: "Sci-Fi", count: 2 },
      { name: "Action", count: 1 },
    ]);
    expect(withGenres.genre("SCI FI")).toEqual({ name: "Sci-Fi", count: 2 });
    expect(withGenres.genre("Western")).toBeUndefined();
  });

  it("ranks and draws within a genre, with the year too", () => {
    expect(withGenres.top(10, { genre: "horror" }).map((f) => f.title)).toEqual(["Alien", "The Thing", "Halloween"]);
    expect(withGenres.top(10, { genre: "horror", year: 1982 }).map((f) => f.title)).toEqual(["The Thing"]);
    expect(withGenres.top(10, { genre: "Western" })).toEqual([]);
    for (const roll of [0, 0.5, 0.999])
      expect(withGenres.random({ genre: "Sci-Fi" }, () => roll)?.title).toMatch(/^Aliens?$/);
    expect(withGenres.random({ genre: "Sci-Fi", year: 1986 }, () => 0)?.title).toBe("Aliens");
    expect(withGenres.random({ genre: "Sci-Fi", minRating: 9 }, () => 0)).toBeUndefined();
    expect(withGenres.random({ genre: "Western" }, () => 0)).toBeUndefined();
  });

  it("draws trivia from the films of a year", () => {
    expect(withGenres.randomTrivia(() => 0.999, { year: 1980 })?.trivia).toBe("Surely.");
    expect(withGenres.randomTrivia(() => 0, { year: 1984 })?.film.title).toBe("Ghostbusters");
    expect(withGenres.randomTrivia(() => 0, { year: 1979 })).toBeUndefined();
  });
});

describe("Catalog.buildWithPauses", () => {
  it("builds the same catalog as build, letting the event loop in while it works", async () => {
    const many = Array.from({ length: 6000 }, (_, i) =>
      film(`Film Number ${i} of the Long Night`, 1950 + (i % 70), i * 7),
    );
    let ranMeanwhile = false;
    setImmediate(() => {
      ranMeanwhile = true;
    });
    const paused = await Catalog.buildWithPauses(many, 0); // pause at every step, however fast the machine
    expect(ranMeanwhile).toBe(true);
    const direct = Catalog.build(many);
    expect(paused.search("film number 42 of the", { limit: 5 })).toEqual(
      direct.search("film number 42 of the", { limit: 5 }),
    );
    expect(paused.popular(3)).toEqual(direct.popular(3));
    expect(paused.genres).toEqual(direct.genres);
    expect(paused.similar(many[42]!.id)).toEqual(direct.similar(many[42]!.id));
    expect(paused.size).toBe(6000);
  });
});
