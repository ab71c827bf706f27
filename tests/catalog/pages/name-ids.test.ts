import { describe, expect, it } from "vitest";
import { NameIds } from "../../../src/catalog/pages/name-ids.js";
import { seededRandom } from "../../support/seeded-random.js";

describe("NameIds", () => {
  it("gives the same id to the same name, by content, in order of first sight", () => {
    const ids = new NameIds();
    expect(ids.idOf("Drew Barrymore")).toBe(0);
    expect(ids.idOf("Toni Collette")).toBe(1);
    // A different string object with the same characters.
    expect(ids.idOf(` Drew Barrymore`.slice(1))).toBe(0);
    expect(ids.idOf("drew barrymore")).toBe(2);
    expect(ids.idOf("")).toBe(3);
    expect(ids.idOf("Zoë Kravitz 😀")).toBe(4);
    expect(ids.idOf("Zoë Kravitz 😀")).toBe(4);
    expect(ids.size).toBe(5);
  });

  it("agrees with a Map over many names, through every growth of its table", () => {
    const random = seededRandom(7);
    const ids = new NameIds();
    const expected = new Map<string, number>();
    for (let i = 0; i < 50_000; i++) {
      // Short names from a small alphabet: many repeats, and hash collisions among the distinct ones.
      const length = 1 + Math.floor(random() * 6);
      const name = Array.from({ length }, () => "abcé"[Math.floor(random() * 4)]).join("");
      if (!expected.has(name)) expected.set(name, expected.size);
      expect(ids.idOf(name)).toBe(expected.get(name));
    }
    expect(ids.size).toBe(expected.size);
  });
});
