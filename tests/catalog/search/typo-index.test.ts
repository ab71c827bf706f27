import { describe, expect, it } from "vitest";
import { boundedEditDistance, boundedPrefixDistance } from "../../../src/catalog/search/edit-distance.js";
import { TrigramPostings, trigramCodes } from "../../../src/catalog/search/trigrams.js";
import { TypoIndex } from "../../../src/catalog/search/typo-index.js";

/** The unbounded optimal-string-alignment distance, written the slow and obvious way. */
function referenceDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_row, i) =>
    Array.from({ length: b.length + 1 }, (_column, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, d[i - 2]![j - 2]! + 1);
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe("boundedEditDistance", () => {
  it("counts substitutions, insertions, deletions and swaps", () => {
    expect(boundedEditDistance("godfather", "godfather", 2)).toBe(0);
    expect(boundedEditDistance("godfahter", "godfather", 2)).toBe(1);
    expect(boundedEditDistance("mluan", "mulan", 2)).toBe(1);
    expect(boundedEditDistance("shrek", "shrekk", 2)).toBe(1);
    expect(boundedEditDistance("amelie", "amelia", 2)).toBe(1);
    expect(boundedEditDistance("copamy", "company", 2)).toBe(2);
  });

  it("stops at the bound", () => {
    expect(boundedEditDistance("alien", "predator", 2)).toBe(3);
    expect(boundedEditDistance("a", "abcdef", 1)).toBe(2);
  });

  it("agrees with the textbook algorithm on random words", () => {
    const random = seeded(7);
    const word = (): string =>
      Array.from({ length: 1 + Math.floor(random() * 8) }, () => "abcde"[Math.floor(random() * 5)]).join("");
    for (let i = 0; i < 2000; i++) {
      const a = word();
      const b = word();
      const exact = referenceDistance(a, b);
      expect(boundedEditDistance(a, b, 3)).toBe(Math.min(exact, 4));
    }
  });
});

describe("boundedPrefixDistance", () => {
  it("measures what was typed against the start of a word", () => {
    expect(boundedPrefixDistance("godfa", "godfather", 1)).toBe(0);
    expect(boundedPrefixDistance("godfahte", "godfather", 1)).toBe(1);
    expect(boundedPrefixDistance("xyz", "godfather", 1)).toBe(2);
  });
});

describe("trigrams", () => {
  it("codes the trigrams of a word, with start and end marks", () => {
    expect(trigramCodes("ab", true)).toHaveLength(2); // ^ab, ab$
    expect(trigramCodes("ab", false)).toHaveLength(1); // ^ab
    expect(trigramCodes("a", true)).toHaveLength(1); // ^a$
    expect(trigramCodes("a", false)).toHaveLength(0);
    expect(new Set(trigramCodes("abcabc", true)).size).toBe(trigramCodes("abcabc", true).length - 1);
  });

  it("lists the items containing each trigram, in order, once", () => {
    const words = ["banana", "bandana", "cabana"];
    const postings = TrigramPostings.build(words.length, (id, out) => trigramCodes(words[id]!, true, out));
    const [ban] = trigramCodes("ban", false).slice(1); // "ban" without the leading ^ba
    expect(ban).toBeDefined();
    expect([...postings.postings(ban!)]).toEqual([0, 1, 2]);
    const [start] = trigramCodes("cab", false);
    expect([...postings.postings(start!)]).toEqual([2]);
  });
});

describe("TypoIndex", () => {
  const vocabulary = [
    "mulan",
    "shrek",
    "godfather",
    "wonderland",
    "alien",
    "aliens",
    "beach",
    "bachelor",
    "sleeper",
    "sleepers",
    "company",
  ];
  const index = TypoIndex.build(vocabulary);
  const similar = (typed: string, typos: number, partial = false): string[] =>
    index
      .similar(typed, typos, partial)
      .map((id) => vocabulary[id]!)
      .sort();

  it("finds words one typo away, swaps included", () => {
    expect(similar("mluan", 1)).toEqual(["mulan"]);
    expect(similar("srhek", 1)).toEqual(["shrek"]);
    expect(similar("baech", 1)).toEqual(["beach"]);
    expect(similar("alein", 1)).toEqual(["alien"]);
  });

  it("finds words two typos away when allowed", () => {
    expect(similar("wondrlnd", 2)).toEqual(["wonderland"]);
    expect(similar("copamy", 2)).toEqual(["company"]);
    expect(similar("copamy", 1)).toEqual([]);
  });

  it("matches the start of a word being typed", () => {
    expect(similar("godfah", 1, true)).toContain("godfather");
  });

  it("never returns the typed word itself, numbers, or anything for short words", () => {
    expect(similar("alien", 1)).toEqual(["aliens"]);
    expect(similar("2001", 1)).toEqual([]);
    expect(similar("abc", 0)).toEqual([]);
  });
});
