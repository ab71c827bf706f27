import { describe, expect, it } from "vitest";
import {
  FILM_CLEAR_LEAD,
  isConvincingPerson,
  judgeFilmMatches,
  MATCH_THRESHOLD,
  trailingYear,
} from "../../../src/catalog/search/match-rules.js";

const match = (title: string, year: number | null, score: number) => ({ film: { title, year }, score });

describe("judgeFilmMatches", () => {
  it("answers with a best match that is convincing and clearly ahead", () => {
    expect(judgeFilmMatches("alien", [match("Alien", 1979, 1), match("Aliens", 1986, 0.8)]).verdict).toBe("answer");
    expect(judgeFilmMatches("alien", [match("Alien", 1979, 0.9)]).verdict).toBe("answer");
  });

  it("finds nothing below the threshold", () => {
    expect(judgeFilmMatches("zz", [match("Zardoz", 1974, MATCH_THRESHOLD - 0.01)]).verdict).toBe("none");
    expect(judgeFilmMatches("zz", []).verdict).toBe("none");
  });

  it("asks when two films are close: remakes, or a typo between two titles", () => {
    expect(judgeFilmMatches("solaris", [match("Solaris", 1972, 1), match("Solaris", 2002, 1)]).verdict).toBe("ask");
    const close = [match("Lady in White", 1988, 0.8), match("Lady in the Water", 2006, 0.8 - FILM_CLEAR_LEAD / 2)];
    expect(judgeFilmMatches("lady in whte", close).verdict).toBe("ask");
  });

  it("answers with a title when the runner-up is the same title with more words (a sequel)", () => {
    const sequel = [match("The Godfather", 1972, 0.66), match("The Godfather: Part II", 1974, 0.57)];
    expect(judgeFilmMatches("godfater", sequel).verdict).toBe("answer");
    const tie = [match("Halloween", 1978, 0.8), match("Halloween II", 1981, 0.8)];
    expect(judgeFilmMatches("halloeen", tie).verdict).toBe("ask");
  });

  it("reads a year typed after the title like the year option", () => {
    const remakes = [match("Crash", 1996, 1), match("Crash", 2004, 1)];
    expect(judgeFilmMatches("crash 1996", remakes)).toEqual({ verdict: "answer", missingYear: null });
    expect(judgeFilmMatches("crash 2001", remakes)).toEqual({ verdict: "ask", missingYear: 2001 });
    expect(judgeFilmMatches("blade runner 2049", [match("Blade Runner 2049", 2017, 1)]).verdict).toBe("answer");
    // With the year option given, a year in the text is only words.
    expect(judgeFilmMatches("crash 2001", remakes.slice(0, 1), { yearOption: true }).verdict).toBe("answer");
  });
});

describe("trailingYear", () => {
  it("reads a plausible film year after a title, and nothing else", () => {
    expect(trailingYear("the avengers 2012")).toBe(2012);
    expect(trailingYear("the avengers 2012 ")).toBe(2012);
    expect(trailingYear("2012")).toBeNull();
    expect(trailingYear("ocean's 11")).toBeNull();
    expect(trailingYear("the year 1234")).toBeNull();
  });
});

describe("isConvincingPerson", () => {
  it("takes a surname alone when no one else comes close", () => {
    expect(isConvincingPerson(0.56, undefined)).toBe(true);
    expect(isConvincingPerson(0.56, 0.5)).toBe(false);
  });
});
