import { describe, expect, it } from "vitest";
import { emptyFilm } from "../../src/catalog/film.js";
import { filmChoiceName, filmListLabel, packLines, yearLabel } from "../../src/cards/film-text.js";

describe("film labels", () => {
  it("says the year, or that it is unknown", () => {
    expect(yearLabel(1972)).toBe("(1972)");
    expect(yearLabel(null)).toBe("(year unknown)");
  });

  it("escapes markdown in embed labels but not in autocomplete labels", () => {
    const film = { ...emptyFilm("*batteries not included", "x"), year: 1987 };
    expect(filmListLabel(film)).toBe("**\\*batteries not included** (1987)");
    expect(filmChoiceName(film)).toBe("*batteries not included (1987)");
  });

  it("says which other title matched, keeping the year within 100 characters", () => {
    const film = { ...emptyFilm("Le Fabuleux destin d'Amélie Poulain", "x"), year: 2001 };
    expect(filmChoiceName(film, "Amélie")).toBe("Amélie — Le Fabuleux destin d'Amélie Poulain (2001)");
    const long = filmChoiceName({ ...film, title: "T".repeat(120) }, "Alias");
    expect(long).toMatch(/^Alias — T+… \(2001\)$/);
    expect(long.length).toBeLessThanOrEqual(100);
  });

  it("folds lines and names untitled films", () => {
    expect(filmChoiceName({ ...emptyFilm("Two\nLines", "x"), year: 2000 })).toBe("Two Lines (2000)");
    expect(filmChoiceName({ ...emptyFilm("   ", "x"), year: 2000 })).toBe("Untitled film (2000)");
  });
});

const more = (hidden: number): string => `…and ${hidden} more`;

describe("packLines", () => {
  it("keeps everything that fits", () => {
    expect(packLines(["a", "b"], 10, more)).toBe("a\nb");
  });

  it("stops before the budget and says how many were left out", () => {
    const lines = Array.from({ length: 100 }, (_, index) => `line ${index}`);
    const packed = packLines(lines, 100, more);
    expect(packed.length).toBeLessThanOrEqual(100);
    expect(packed).toMatch(/…and \d+ more$/);
    const shown = packed.split("\n").length - 1;
    expect(packed).toContain(`…and ${100 - shown} more`);
  });

  it("cuts a single line longer than the budget", () => {
    expect(packLines(["x".repeat(500)], 50, more).length).toBeLessThanOrEqual(50);
  });
});
