import { describe, expect, it } from "vitest";
import { filmDigest, isKnown, knownDigestSteps } from "../../../src/catalog/pages/known-films.js";
import { runSteps } from "../../../src/catalog/steps.js";

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe("filmDigest", () => {
  it("tells films apart by kind, file and bytes, and is the same for the same three", () => {
    const digest = filmDigest("line", "films.jsonl", bytes('{"title":"Heat"}'));
    expect(filmDigest("line", "films.jsonl", bytes('{"title":"Heat"}'))).toBe(digest);
    expect(filmDigest("record", "films.jsonl", bytes('{"title":"Heat"}'))).not.toBe(digest);
    expect(filmDigest("line", "other.jsonl", bytes('{"title":"Heat"}'))).not.toBe(digest);
    expect(filmDigest("line", "films.jsonl", bytes('{"title":"Heat "}'))).not.toBe(digest);
    // The file name and the bytes do not run into each other.
    expect(filmDigest("line", "a", bytes("b"))).not.toBe(filmDigest("line", "ab", bytes("")));
  });

  it("is an integer a Float64Array holds exactly", () => {
    for (let i = 0; i < 200; i++) {
      const digest = filmDigest("page", `p/${i}.txt`, bytes(`page ${i}`));
      expect(Number.isSafeInteger(digest)).toBe(true);
      expect(Float64Array.of(digest)[0]).toBe(digest);
    }
  });
});

describe("knownDigestSteps and isKnown", () => {
  it("collects the films' digests, sorted, in shared memory, skipping films without one", () => {
    const films = Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? {} : { digest: (i * 7919) % 1000 }));
    const known = runSteps(knownDigestSteps(films));
    expect(known.buffer).toBeInstanceOf(SharedArrayBuffer);
    const expected = films.flatMap((film) => (film.digest === undefined ? [] : [film.digest])).sort((a, b) => a - b);
    expect(Array.from(known)).toEqual(expected);
    for (let value = -1; value <= 1000; value++) expect(isKnown(known, value)).toBe(expected.includes(value));
  });

  it("knows nothing of an empty catalog", () => {
    const known = runSteps(knownDigestSteps([]));
    expect(known.length).toBe(0);
    expect(isKnown(known, 0)).toBe(false);
  });
});
