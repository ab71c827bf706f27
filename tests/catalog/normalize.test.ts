import { describe, expect, it } from "vitest";
import {
  compactEquals,
  compactStartsWith,
  filmId,
  foldText,
  leadingArticleLength,
  normalizeText,
  searchVariants,
  tokenize,
  withoutLeadingArticle,
} from "../../src/catalog/normalize.js";

describe("foldText", () => {
  it("removes accents and spells out ligatures", () => {
    expect(foldText("Amélie")).toBe("amelie");
    expect(foldText("Æon Flux")).toBe("aeon flux");
    expect(foldText("Straße")).toBe("strasse");
    expect(foldText("Łódź")).toBe("lodz");
    expect(foldText("Ri¢hie Ri¢h")).toBe("richie rich");
  });
});

describe("normalizeText", () => {
  it.each([
    ["Amélie", "amelie"],
    ["Spider-Man", "spider man"],
    ["Schindler's List", "schindlers list"],
    ["L’Avventura", "lavventura"],
    ["Bill & Ted's Excellent Adventure", "bill and teds excellent adventure"],
    ["Rocky II", "rocky 2"],
    ["Star Wars: Episode IV – A New Hope", "star wars episode 4 a new hope"],
    ["  *batteries   not included ", "batteries not included"],
    ["WALL·E", "wall e"],
    ["I, Robot", "i robot"],
    ["X-Men", "x men"],
    ["V for Vendetta", "v for vendetta"],
    ["", ""],
    ["!!!", ""],
    ["日本", ""],
  ])("%j → %j", (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it("gives the same form for what members type and what data files say", () => {
    expect(normalizeText("amelie")).toBe(normalizeText("AMÉLIE"));
    expect(normalizeText("spider man")).toBe(normalizeText("Spider-Man"));
    expect(normalizeText("bill and teds")).toBe(normalizeText("Bill & Ted's"));
  });
});

describe("tokenize and withoutLeadingArticle", () => {
  it("splits words and drops a leading article", () => {
    expect(tokenize("the matrix")).toEqual(["the", "matrix"]);
    expect(tokenize("")).toEqual([]);
    expect(withoutLeadingArticle("the matrix")).toBe("matrix");
    expect(withoutLeadingArticle("les miserables")).toBe("miserables");
    expect(withoutLeadingArticle("matrix")).toBe("matrix");
    expect(withoutLeadingArticle("the")).toBe("the");
    expect(leadingArticleLength("the matrix")).toBe(3);
    expect(leadingArticleLength("les miserables")).toBe(3);
    expect(leadingArticleLength("l amour")).toBe(1);
    expect(leadingArticleLength("lesson plan")).toBe(0);
    expect(leadingArticleLength("matrix")).toBe(0);
  });
});

describe("compactStartsWith and compactEquals", () => {
  it("read a normalized text without its spaces, from a place in it", () => {
    expect(compactStartsWith("the matrix", "thema")).toBe(true);
    expect(compactStartsWith("the matrix", "thematrix")).toBe(true);
    expect(compactStartsWith("the matrix", "thematrixr")).toBe(false);
    expect(compactStartsWith("the matrix", "matrix")).toBe(false);
    expect(compactStartsWith("the matrix", "matrix", 3)).toBe(true);
    expect(compactStartsWith("the matrix", "matrix", 4)).toBe(true);
    expect(compactStartsWith("spider man 2", "spiderman2")).toBe(true);
    expect(compactStartsWith("anything", "")).toBe(true);
    expect(compactEquals("spider man", "spiderman")).toBe(true);
    expect(compactEquals("spider man 2", "spiderman")).toBe(false);
    expect(compactEquals("the matrix", "matrix", 3)).toBe(true);
    expect(compactEquals("the matrix", "matri", 3)).toBe(false);
    expect(compactEquals("", "")).toBe(true);
  });

  it("agree with the compact form made as a string, on every start", () => {
    const texts = ["the lord of the rings", "le fabuleux destin d amelie poulain", "8 1 2", "a", "up", "se7en"];
    for (const text of texts) {
      const compact = text.replace(/ /g, "");
      for (let from = 0; from <= text.length; from++) {
        const rest = text.slice(from).replace(/ /g, "");
        for (let length = 0; length <= rest.length + 1; length++) {
          const typed = (rest + "x").slice(0, length);
          expect(compactStartsWith(text, typed, from)).toBe(rest.startsWith(typed));
          expect(compactEquals(text, typed, from)).toBe(rest === typed);
        }
      }
      expect(compactEquals(text, compact)).toBe(true);
    }
  });
});

describe("filmId", () => {
  it("is the slug of title and year", () => {
    expect(filmId("Miss You Already", 2015)).toBe("miss-you-already-2015");
    expect(filmId("Amélie", 2001)).toBe("amelie-2001");
    expect(filmId("Spider-Man", null)).toBe("spider-man");
  });

  it("gives titles without letters a stable fingerprint", () => {
    const id = filmId("???", 1999);
    expect(id).toMatch(/^film-[0-9a-f]{8}-1999$/);
    expect(filmId("???", 1999)).toBe(id);
    expect(filmId("!!!", 1999)).not.toBe(id);
  });

  it("keeps long titles short enough for button ids, and distinct", () => {
    const long = "The Extraordinarily Long and Winding Title of a Film That Nobody Could Ever Remember Part One";
    const other = long.replace("One", "Two");
    expect(filmId(long, 2020).length).toBeLessThanOrEqual(65);
    expect(filmId(long, 2020)).not.toBe(filmId(other, 2020));
    expect(filmId(long, 2020)).toMatch(/^[a-z0-9-]+$/);
  });
});

describe("searchVariants", () => {
  it("splits elided articles and particles into words, as well as the joined form the title indexes", () => {
    expect(searchVariants("Le Fabuleux destin d'Amélie Poulain")).toEqual(["le fabuleux destin d amelie poulain"]);
    expect(searchVariants("L’auberge espagnole")).toEqual(["l auberge espagnole"]);
    expect(searchVariants("C'era una volta il West")).toEqual(["c era una volta il west"]);
    expect(searchVariants("Quell'estate")).toEqual(["quell estate"]);
    expect(searchVariants("Dell'amore qu'il")).toEqual(["dell amore qu il"]);
    expect(searchVariants("O'Brien")).toEqual(["o brien"]);
    expect(normalizeText("O'Brien")).toBe("obrien");
  });

  it("reads digits standing for letters inside a word", () => {
    expect(searchVariants("Se7en")).toEqual(["seven"]);
    expect(searchVariants("Thr3e")).toEqual(["three"]);
    expect(searchVariants("2001: A Space Odyssey")).toEqual([]);
    expect(searchVariants("Alien")).toEqual([]);
  });
});
