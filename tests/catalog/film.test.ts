import { describe, expect, it } from "vitest";
import { certificationIn, emptyFilm, isAdultRated } from "../../src/catalog/film.js";

const film = (certification: string | null, certifications: Record<string, string> = {}, adult = false) => ({
  ...emptyFilm("A Film", "films.json"),
  certification,
  certifications,
  adult,
});

describe("certificationIn", () => {
  it("takes the region's rating, else the one the record was imported with", () => {
    expect(certificationIn(film("R", { GB: "15" }), "GB")).toBe("15");
    expect(certificationIn(film("R", { GB: "15" }), "FR")).toBe("R");
    expect(certificationIn(film(null), "US")).toBeNull();
    expect(certificationIn(film("R"), "__proto__")).toBe("R");
  });
});

describe("isAdultRated", () => {
  it.each([
    ["NC-17", true],
    ["nc17", true],
    ["X", true],
    ["XXX", true],
    ["18", true],
    ["18+", true],
    ["R18+", true],
    ["R18", true],
    ["FSK 18", true],
    ["R21", true],
    ["-18", true],
    ["18A", false],
    ["14A", false],
    ["R", false],
    ["PG-13", false],
    ["16", false],
    ["MA15+", false],
    ["118", false],
    ["", false],
  ])("%j adults only: %s", (rating, expected) => {
    expect(isAdultRated(film(rating), "US")).toBe(expected);
  });

  it("counts a film flagged adult whatever its rating, and reads the region's rating", () => {
    expect(isAdultRated(film(null, {}, true), "US")).toBe(true);
    expect(isAdultRated(film("R", { GB: "18" }), "GB")).toBe(true);
    expect(isAdultRated(film("R", { GB: "18" }), "US")).toBe(false);
    expect(isAdultRated(film("NC-17", { GB: "15" }), "GB")).toBe(false);
  });
});
