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

  it("takes the source from the file, not from the record", () => {
    expect(recordToFilm({ title: "X", source: "elsewhere.txt" }, "a/b.jsonl").source).toBe("a/b.jsonl");
  });

  it("ignores unknown fields", () => {
    const film = recordToFilm({ title: "X", imdbId: "tt123", poster: { url: "x" } }, "films.json");
    expect(film).not.toHaveProperty("imdbId");
    expect(film).not.toHaveProperty("poster");
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
