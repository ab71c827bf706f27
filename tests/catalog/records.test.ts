import { describe, expect, it } from "vitest";
import { emptyFilm } from "../../src/catalog/film.js";
import { RecordError, isValidId, recordToFilm } from "../../src/catalog/records.js";

function messageOf(value: unknown): string {
  try {
    recordToFilm(value, "films.json");
  } catch (error) {
    if (error instanceof RecordError) return error.message;
    throw error;
  }
  throw new Error("expected a RecordError");
}

const FULL_RECORD = {
  id: "miss-you-already-2015",
  title: "Miss You Already",
  year: 2015,
  releaseDate: "2015-11-06",
  logline: "Two friends.",
  synopsis: "Milly and Jess.",
  rating: { score: 6.6, outOf: 10, votes: 567 },
  criticScore: 46,
  directors: ["Catherine Hardwicke"],
  stars: ["Drew Barrymore", "Toni Collette"],
  cast: [
    { name: "Drew Barrymore", role: "Jess" },
    { name: "Joanna Bobin", role: null },
  ],
  countries: ["UK"],
  languages: ["English"],
  filmingLocations: "London, England, UK",
  genres: ["Comedy", "Drama"],
  runtimeMinutes: 112,
  trivia: ["Jennifer Aniston was originally cast."],
  review: "A good film.",
  website: "https://missyoualready.com",
  technicalSpecs: { "Sound Mix": "Dolby Digital" },
  imdbId: "tt4139124",
  tmdbId: 301502,
  poster: "https://image.tmdb.org/t/p/w500/miss-you-already.jpg",
  tagline: "Friends for life.",
  certification: "PG-13",
  certifications: { US: "PG-13", GB: "12A" },
  adult: false,
  alternateTitles: ["Mes meilleures amies"],
  keywords: ["friendship", "cancer"],
  trailer: "https://www.youtube.com/watch?v=abc-123_XY",
  watchProviders: {
    US: {
      link: "https://www.themoviedb.org/movie/301502/watch?locale=US",
      streaming: ["Netflix"],
      rent: ["Apple TV", "Amazon Video"],
      buy: [],
    },
  },
};

describe("recordToFilm", () => {
  it("needs only a title; everything else is empty", () => {
    expect(recordToFilm({ title: "Miss You Already" }, "films.json")).toEqual({
      ...emptyFilm("Miss You Already", "films.json"),
      id: "miss-you-already",
    });
  });

  it("keeps every field of a full record", () => {
    expect(recordToFilm(FULL_RECORD, "films.json")).toEqual({ ...FULL_RECORD, source: "films.json" });
  });

  it("drops blank certifications and reads a missing adult flag as false", () => {
    const film = recordToFilm({ title: "X", certifications: { US: " R ", GB: " " } }, "films.json");
    expect(film.certifications).toEqual({ US: "R" });
    expect(film.adult).toBe(false);
  });

  it("takes the source from the file, not from the record", () => {
    expect(recordToFilm({ title: "X", source: "elsewhere.txt" }, "a/b.jsonl").source).toBe("a/b.jsonl");
  });

  it("ignores unknown fields", () => {
    const film = recordToFilm({ title: "X", budget: 1_000_000, boxOffice: { us: "x" } }, "films.json");
    expect(film).not.toHaveProperty("budget");
    expect(film).not.toHaveProperty("boxOffice");
  });

  it("takes the IMDb id from technicalSpecs, where the IMDb importer also writes it, when imdbId is absent", () => {
    const specs = { "IMDb ID": "tt0133093" };
    expect(recordToFilm({ title: "X", technicalSpecs: specs }, "f.json").imdbId).toBe("tt0133093");
    expect(recordToFilm({ title: "X", imdbId: "tt0000001", technicalSpecs: specs }, "f.json").imdbId).toBe("tt0000001");
    expect(recordToFilm({ title: "X", technicalSpecs: { "IMDb ID": "0133093" } }, "f.json").imdbId).toBeNull();
    expect(recordToFilm({ title: "X", technicalSpecs: specs }, "f.json").technicalSpecs).toEqual(specs);
  });

  it("drops an alternate title that is the film's own title", () => {
    const film = recordToFilm({ title: "Amélie", alternateTitles: ["AMÉLIE", "Le Fabuleux Destin"] }, "f.json");
    expect(film.alternateTitles).toEqual(["Le Fabuleux Destin"]);
  });

  it("drops a __proto__ region of watch providers instead of changing the object's prototype", () => {
    const film = recordToFilm(
      JSON.parse('{"title": "X", "watchProviders": {"__proto__": {"streaming": ["Evil"]}, "GB": {}}}'),
      "f.json",
    );
    expect(Object.getPrototypeOf(film.watchProviders)).toBe(Object.prototype);
    expect(film.watchProviders).toEqual({ GB: { link: null, streaming: [], rent: [], buy: [] } });
  });

  it("trims strings, drops blank ones and duplicate names", () => {
    const film = recordToFilm(
      {
        title: "  Miss You Already \n",
        logline: "   ",
        synopsis: " Text. ",
        directors: [" Catherine Hardwicke ", "", "catherine hardwicke"],
        cast: [{ name: " Drew Barrymore ", role: "  " }],
        technicalSpecs: { " Sound Mix ": " Dolby ", Empty: " " },
      },
      "films.json",
    );
    expect(film.title).toBe("Miss You Already");
    expect(film.logline).toBeNull();
    expect(film.synopsis).toBe("Text.");
    expect(film.directors).toEqual(["Catherine Hardwicke"]);
    expect(film.cast).toEqual([{ name: "Drew Barrymore", role: null }]);
    expect(film.technicalSpecs).toEqual({ "Sound Mix": "Dolby" });
  });

  it("accepts a rating without outOf and votes", () => {
    expect(recordToFilm({ title: "X", rating: { score: 7 } }, "f.json").rating).toEqual({
      score: 7,
      outOf: 10,
      votes: null,
    });
  });

  it("keeps a valid id and recomputes a missing or invalid one", () => {
    expect(recordToFilm({ title: "Miss You Already", year: 2015, id: "custom-id-7" }, "f.json").id).toBe("custom-id-7");
    expect(recordToFilm({ title: "Miss You Already", year: 2015 }, "f.json").id).toBe("miss-you-already-2015");
    expect(recordToFilm({ title: "Miss You Already", year: 2015, id: "Not A Slug!" }, "f.json").id).toBe(
      "miss-you-already-2015",
    );
    expect(recordToFilm({ title: "Miss You Already", year: 2015, id: "" }, "f.json").id).toBe("miss-you-already-2015");
    expect(recordToFilm({ title: "Miss You Already", year: 2015, id: `a${"-b".repeat(60)}` }, "f.json").id).toBe(
      "miss-you-already-2015",
    );
  });

  it("drops a __proto__ spec instead of changing the object's prototype", () => {
    const film = recordToFilm(
      JSON.parse('{"title": "X", "technicalSpecs": {"__proto__": "evil", "Color": "Color"}}'),
      "f.json",
    );
    expect(Object.getPrototypeOf(film.technicalSpecs)).toBe(Object.prototype);
    expect(film.technicalSpecs).toEqual({ Color: "Color" });
  });
});

describe("recordToFilm: clear messages for bad records", () => {
  it.each([
    [{}, /^title: expected string, received undefined$/],
    [{ title: "   " }, /^title: must not be empty$/],
    [{ title: 42 }, /^title: expected string, received number$/],
    [{ title: "X", year: "2015" }, /^year: expected number, received string$/],
    [{ title: "X", year: 2015.5 }, /^year: expected int/],
    [{ title: "X", year: 1200 }, /^year: /],
    [{ title: "X", rating: { score: 11 } }, /^rating\.score: /],
    [{ title: "X", rating: { score: 7, outOf: 5 } }, /^rating\.outOf: /],
    [{ title: "X", rating: { score: 7, votes: -1 } }, /^rating\.votes: /],
    [{ title: "X", criticScore: 146 }, /^criticScore: /],
    [{ title: "X", directors: "Catherine Hardwicke" }, /^directors: expected array, received string$/],
    [{ title: "X", cast: [{ name: "A" }, { name: 3 }] }, /^cast\[1\]\.name: expected string, received number$/],
    [{ title: "X", releaseDate: "6 November 2015" }, /^releaseDate: expected an ISO date/],
    [{ title: "X", releaseDate: "2015-02-30" }, /^releaseDate: expected an ISO date/],
    [{ title: "X", technicalSpecs: { Runtime: 112 } }, /^technicalSpecs\.Runtime: expected string, received number$/],
    [{ title: "X", imdbId: "0133093" }, /^imdbId: expected an IMDb id like "tt0133093"$/],
    [{ title: "X", imdbId: 133093 }, /^imdbId: expected string, received number$/],
    [{ title: "X", tmdbId: "603" }, /^tmdbId: expected number, received string$/],
    [{ title: "X", tmdbId: 0 }, /^tmdbId: /],
    [{ title: "X", tmdbId: 60.3 }, /^tmdbId: expected int/],
    [{ title: "X", poster: { url: "https://x.example/p.jpg" } }, /^poster: expected string, received object$/],
    [{ title: "X", tagline: ["a"] }, /^tagline: expected string, received array$/],
    [{ title: "X", certification: 13 }, /^certification: expected string, received number$/],
    [{ title: "X", alternateTitles: "Amélie" }, /^alternateTitles: expected array, received string$/],
    [{ title: "X", keywords: [1] }, /^keywords\[0\]: expected string, received number$/],
    [{ title: "X", trailer: true }, /^trailer: expected string, received boolean$/],
    [{ title: "X", watchProviders: [] }, /^watchProviders: expected record, received array$/],
    [{ title: "X", watchProviders: { us: {} } }, /^watchProviders\.us: expected a region code like "US"$/],
    [{ title: "X", certifications: { gb: "15" } }, /^certifications\.gb: expected a region code like "US"$/],
    [{ title: "X", certifications: { GB: 15 } }, /^certifications\.GB: expected string, received number$/],
    [{ title: "X", adult: "yes" }, /^adult: expected boolean, received string$/],
    [
      { title: "X", watchProviders: { US: { streaming: "Netflix" } } },
      /^watchProviders\.US\.streaming: expected array/,
    ],
    [
      { title: "X", watchProviders: { US: { link: 7 } } },
      /^watchProviders\.US\.link: expected string, received number$/,
    ],
  ])("%j → %s", (record, message) => {
    expect(messageOf(record)).toMatch(message);
  });

  it("names every bad field at once", () => {
    expect(messageOf({ title: "X", year: "1999", genres: [1] })).toBe(
      "year: expected number, received string; genres[0]: expected string, received number",
    );
  });

  it.each([
    [null, "null"],
    [[{ title: "X" }], "an array"],
    ["Miss You Already", "a string"],
    [7, "a number"],
  ])("rejects %j, which is not a record", (value, kind) => {
    expect(messageOf(value)).toBe(`expected a film record (an object with a "title"), got ${kind}`);
  });
});

describe("isValidId", () => {
  it("accepts the slugs filmId makes and nothing else", () => {
    expect(isValidId("miss-you-already-2015")).toBe(true);
    expect(isValidId("1917-2019")).toBe(true);
    expect(isValidId("Miss-You")).toBe(false);
    expect(isValidId("miss--you")).toBe(false);
    expect(isValidId("-miss")).toBe(false);
    expect(isValidId("miss you")).toBe(false);
    expect(isValidId("")).toBe(false);
  });
});

/** The film and the warnings recordToFilm gave for `record`. */
function capped(record: Record<string, unknown>): { film: ReturnType<typeof recordToFilm>; warnings: string[] } {
  const warnings: string[] = [];
  const film = recordToFilm({ title: "Big", ...record }, "films.json", warnings);
  return { film, warnings };
}

describe("recordToFilm: caps on texts and lists", () => {
  it("keeps a record within every cap as it is, without a warning", () => {
    const warnings: string[] = [];
    expect(recordToFilm(FULL_RECORD, "films.json", warnings)).toEqual({ ...FULL_RECORD, source: "films.json" });
    expect(warnings).toEqual([]);
  });

  it("cuts over-long texts to their caps, ending them with …, and says so in one warning", () => {
    const { film, warnings } = capped({
      synopsis: "s".repeat(5_000_000),
      review: "r".repeat(20_000),
      logline: "l".repeat(2_001),
      filmingLocations: "f".repeat(3_000),
    });
    expect(film.synopsis).toHaveLength(20_000);
    expect(film.synopsis!.endsWith("s…")).toBe(true);
    expect(film.review).toBe("r".repeat(20_000));
    expect(film.logline).toBe(`${"l".repeat(1_999)}…`);
    expect(film.filmingLocations).toHaveLength(2_000);
    expect(warnings).toEqual([
      "logline cut to 2,000 characters (was 2,001); synopsis cut to 20,000 characters (was 5,000,000); " +
        "filmingLocations cut to 2,000 characters (was 3,000)",
    ]);
  });

  it("cuts over-long lists and their items", () => {
    const { film, warnings } = capped({
      cast: Array.from({ length: 2_500 }, (_, i) => ({ name: `Actor ${i}`, role: i === 0 ? "R".repeat(400) : null })),
      trivia: Array.from({ length: 600 }, (_, i) => (i < 2 ? "t".repeat(6_000 + i) : `Fact ${i}`)),
      genres: Array.from({ length: 700 }, (_, i) => `Genre ${i}`),
      directors: ["D".repeat(301), "Catherine Hardwicke"],
      technicalSpecs: Object.fromEntries(
        Array.from({ length: 150 }, (_, i) => [`Key ${i}`, i === 0 ? "v".repeat(3_000) : "v"]),
      ),
    });
    expect(film.cast).toHaveLength(2_000);
    expect(film.cast[0]?.role).toBe(`${"R".repeat(299)}…`);
    expect(film.trivia).toHaveLength(500);
    expect(film.trivia[0]).toHaveLength(5_000);
    expect(film.trivia[2]).toBe("Fact 2");
    expect(film.genres).toHaveLength(500);
    expect(film.directors).toEqual([`${"D".repeat(299)}…`, "Catherine Hardwicke"]);
    expect(Object.keys(film.technicalSpecs)).toHaveLength(100);
    expect(film.technicalSpecs["Key 0"]).toHaveLength(2_000);
    expect(warnings).toEqual([
      "directors: 1 name cut to 300 characters; cast cut to 2,000 members (was 2,500); " +
        "cast: 1 role cut to 300 characters; genres cut to 500 items (was 700); trivia cut to 500 items (was 600); " +
        "trivia: 2 items cut to 5,000 characters; technicalSpecs cut to 100 entries (was 150); " +
        "technicalSpecs: 1 value cut to 2,000 characters",
    ]);
  });

  it("drops an over-long website rather than cutting an address", () => {
    const { film, warnings } = capped({ website: `https://example.com/${"a".repeat(3_000)}` });
    expect(film.website).toBeNull();
    expect(warnings).toEqual(["website dropped (3,020 characters; at most 2,000)"]);
  });

  it("drops a URL no card can use, with a warning, and keeps the record", () => {
    const { film, warnings } = capped({
      poster: "http://example.com/poster.jpg",
      trailer: "youtube.com/watch?v=abc",
      watchProviders: {
        US: { link: "javascript:alert(1)", streaming: ["Netflix"] },
        GB: { link: `https://example.com/${"a".repeat(3_000)}` },
      },
    });
    expect([film.poster, film.trailer, film.watchProviders.US?.link, film.watchProviders.GB?.link]).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect(film.watchProviders.US?.streaming).toEqual(["Netflix"]);
    expect(warnings).toEqual([
      "poster dropped (not an https URL); trailer dropped (not an https URL); " +
        "watchProviders.US.link dropped (not an https URL); watchProviders.GB.link dropped (3,020 characters; at most 2,000)",
    ]);
  });

  it("cuts the rich fields' texts and lists as the others", () => {
    const { film, warnings } = capped({
      tagline: "t".repeat(1_500),
      certification: "c".repeat(101),
      alternateTitles: Array.from({ length: 600 }, (_, i) => (i === 0 ? "A".repeat(1_200) : `Title ${i}`)),
      keywords: Array.from({ length: 501 }, (_, i) => `keyword ${i}`),
      watchProviders: { US: { rent: Array.from({ length: 501 }, (_, i) => `Shop ${i}`) } },
    });
    expect(film.tagline).toHaveLength(1_000);
    expect(film.certification).toHaveLength(100);
    expect(film.alternateTitles).toHaveLength(500);
    expect(film.alternateTitles[0]).toHaveLength(1_000);
    expect(film.keywords).toHaveLength(500);
    expect(film.watchProviders.US?.rent).toHaveLength(500);
    expect(warnings).toEqual([
      "tagline cut to 1,000 characters (was 1,500); certification cut to 100 characters (was 101); " +
        "alternateTitles cut to 500 items (was 600); alternateTitles: 1 title cut to 1,000 characters; " +
        "keywords cut to 500 items (was 501); watchProviders.US.rent cut to 500 items (was 501)",
    ]);
  });

  it("never cuts a character in half", () => {
    const { film } = capped({ logline: `${"l".repeat(1_998)}😀😀` });
    expect(film.logline).toBe(`${"l".repeat(1_998)}…`);
  });

  it("rejects a title longer than 1,000 characters: cut, it would be another title", () => {
    expect(messageOf({ title: "T".repeat(1_001) })).toBe("title: longer than 1,000 characters");
    expect(recordToFilm({ title: "T".repeat(1_000) }, "films.json").title).toHaveLength(1_000);
  });

  it("lists at most five problems of a record", () => {
    const cast = Array.from({ length: 10_000 }, () => ({ name: 7 }));
    expect(messageOf({ title: "X", cast })).toBe(
      [0, 1, 2, 3, 4].map((i) => `cast[${i}].name: expected string, received number`).join("; ") +
        "; and 9,995 more problems",
    );
  });
});
