import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { emptyFilm } from "../../src/catalog/film.js";
import {
  convertVegaMovies,
  parseVegaDate,
  repairMojibake,
  tidyTitle,
  VEGA_SOURCE,
  vegaMoviesPath,
} from "../../src/importers/vega.js";

/** A movies.json row with every column the source has, empty unless given. */
function vegaRow(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    Title: null,
    "US Gross": null,
    "Worldwide Gross": null,
    "US DVD Sales": null,
    "Production Budget": null,
    "Release Date": null,
    "MPAA Rating": null,
    "Running Time min": null,
    Distributor: null,
    Source: null,
    "Major Genre": null,
    "Creative Type": null,
    Director: null,
    "Rotten Tomatoes Rating": null,
    "IMDB Rating": null,
    "IMDB Votes": null,
    ...fields,
  };
}

describe("repairMojibake", () => {
  it.each([
    ["AmÈlie", "Amélie"],
    ["Le Fabuleux destin d'AmÈlie Poulain", "Le Fabuleux destin d'Amélie Poulain"],
    ["De battre mon coeur s'est arrÍtÈ", "De battre mon coeur s'est arrêté"],
    ["Per qualche dollaro in pi˘", "Per qualche dollaro in più"],
    ["Die F‰lscher", "Die Fälscher"],
    ["DÈj‡ Vu", "Déjà Vu"],
    ["The Naked Gun 2Ω: The Smell of Fear", "The Naked Gun 2½: The Smell of Fear"],
    // 0x85 is "…" in Windows-1252 whatever the Node version's TextDecoder says.
    ["I Love You Ö Don't Touch Me!", "I Love You … Don't Touch Me!"],
  ])("repairs %j → %j", (broken, repaired) => {
    expect(repairMojibake(broken)).toBe(repaired);
  });

  it.each([
    ["plain ASCII", "The Land Girls"],
    ["a character Mac Roman cannot produce", "Alien³"],
    ["a character that maps back to itself", "Ri¢hie Ri¢h"],
    ["text outside Latin-1", "Łódź"],
    ["a title spelled right already", "Amélie"],
    ["another title spelled right already", "Café Society"],
  ])("leaves %s alone", (_, text) => {
    expect(repairMojibake(text)).toBe(text);
  });
});

describe("parseVegaDate", () => {
  it("reads the source's 'Mon DD YYYY' dates", () => {
    expect(parseVegaDate("Jun 12 1998")).toEqual({ iso: "1998-06-12", year: 1998, shifted: false });
    expect(parseVegaDate("aug 5 2005")).toEqual({ iso: "2005-08-05", year: 2005, shifted: false });
  });

  it("reads years past the dataset's last year as the 1900s", () => {
    expect(parseVegaDate("Dec 31 2046")).toEqual({ iso: "1946-12-31", year: 1946, shifted: true });
    expect(parseVegaDate("Jan 01 2012")).toEqual({ iso: "1912-01-01", year: 1912, shifted: true });
    expect(parseVegaDate("Dec 31 2011")).toEqual({ iso: "2011-12-31", year: 2011, shifted: false });
    expect(parseVegaDate("Feb 31 1998")).toBeNull();
  });

  it.each([
    [null],
    [undefined],
    [19980612],
    [""],
    ["1998-06-12"],
    ["Foo 12 1998"],
    ["Jun 32 1998"],
    ["Jun 0 1998"],
    ["Jun 12 98"],
  ])("is null for %j", (value) => {
    expect(parseVegaDate(value)).toBeNull();
  });
});

describe("tidyTitle", () => {
  it("moves a trailing article to the front", () => {
    expect(tidyTitle("Secret, The", 2006)).toBe("The Secret");
    expect(tidyTitle("Man Apart, A", 2003)).toBe("A Man Apart");
    expect(tidyTitle("Officer and a Gentleman, An", null)).toBe("An Officer and a Gentleman");
  });

  it("removes the film's own year from the end of the title", () => {
    expect(tidyTitle("King Kong (1933)", 1933)).toBe("King Kong");
    expect(tidyTitle("Metropolis (2002)", 1927)).toBe("Metropolis (2002)");
    expect(tidyTitle("King Kong (1933)", null)).toBe("King Kong (1933)");
  });

  it("leaves other commas and titles alone", () => {
    expect(tidyTitle("First Love, Last Rites", 1998)).toBe("First Love, Last Rites");
    expect(tidyTitle("1941", 1979)).toBe("1941");
  });
});

describe("convertVegaMovies: field mapping", () => {
  const row = vegaRow({
    Title: "AmÈlie",
    "Release Date": "Nov 02 2001",
    "MPAA Rating": "R",
    "Running Time min": 122,
    Distributor: "Miramax",
    "Major Genre": "Thriller/Suspense",
    Director: "Jean-Pierre Jeunet",
    "Rotten Tomatoes Rating": 89,
    "IMDB Rating": 8.5,
    "IMDB Votes": 181085,
  });
  const [film] = convertVegaMovies([row]).films;

  it("maps every column the catalog has a field for", () => {
    expect(film).toEqual({
      ...emptyFilm("Amélie", VEGA_SOURCE),
      id: "amelie-2001",
      year: 2001,
      releaseDate: "2001-11-02",
      rating: { score: 8.5, outOf: 10, votes: 181085 },
      criticScore: 89,
      directors: ["Jean-Pierre Jeunet"],
      genres: ["Thriller", "Suspense"],
      runtimeMinutes: 122,
      technicalSpecs: { "MPAA Rating": "R", Distributor: "Miramax" },
    });
  });

  it("leaves fields empty where the source has nothing", () => {
    const [bare] = convertVegaMovies([vegaRow({ Title: "Bare" })]).films;
    expect(bare).toEqual({ ...emptyFilm("Bare", VEGA_SOURCE), id: "bare" });
  });

  it("keeps a rating without votes and drops values out of range", () => {
    const [odd] = convertVegaMovies([
      vegaRow({
        Title: "Odd",
        "IMDB Rating": 7,
        "IMDB Votes": null,
        "Rotten Tomatoes Rating": 140,
        "Running Time min": 0,
      }),
    ]).films;
    expect(odd!.rating).toEqual({ score: 7, outOf: 10, votes: null });
    expect(odd!.criticScore).toBeNull();
    expect(odd!.runtimeMinutes).toBeNull();
    const [tooHigh] = convertVegaMovies([vegaRow({ Title: "Too high", "IMDB Rating": 11, "IMDB Votes": 3 })]).films;
    expect(tooHigh!.rating).toBeNull();
  });

  it("repairs a mis-decoded director", () => {
    const [repaired] = convertVegaMovies([vegaRow({ Title: "X", Director: "Pedro AlmodÛvar" })]).films;
    expect(repaired!.directors).toEqual(["Pedro Almodóvar"]);
  });
});

describe("convertVegaMovies: what it drops and repairs", () => {
  it("takes numbers as titles, drops rows without one and reports each", () => {
    const report = convertVegaMovies([
      vegaRow({ Title: 1941, "Release Date": "Dec 14 1979" }),
      vegaRow({ Title: null }),
      vegaRow({ Title: "null" }),
      vegaRow({ Title: "   " }),
      "not a row",
    ]);
    expect(report.films.map((film) => film.title)).toEqual(["1941"]);
    expect(report.dropped).toEqual([
      { row: 1, title: "null", reason: "no title" },
      { row: 2, title: "null", reason: "no title" },
      { row: 3, title: "   ", reason: "no title" },
      { row: 4, title: "", reason: "not an object" },
    ]);
  });

  it("keeps the first of two rows for the same title and year, and both of the same title in two years", () => {
    const report = convertVegaMovies([
      vegaRow({ Title: "Alice in Wonderland", "Release Date": "Jul 28 1951", Distributor: "RKO" }),
      vegaRow({ Title: "Alice in Wonderland", "Release Date": "Mar 05 2010" }),
      vegaRow({ Title: "ALICE IN WONDERLAND", "Release Date": "Jul 28 1951", Distributor: "Other" }),
    ]);
    expect(report.films.map((film) => film.id)).toEqual(["alice-in-wonderland-1951", "alice-in-wonderland-2010"]);
    expect(report.films[0]!.technicalSpecs.Distributor).toBe("RKO");
    expect(report.dropped).toEqual([
      { row: 2, title: "ALICE IN WONDERLAND", reason: 'duplicate of "Alice in Wonderland" (1951)' },
    ]);
  });

  it("reports every repair with its row", () => {
    const report = convertVegaMovies([
      vegaRow({ Title: "AmÈlie", "Release Date": "Nov 02 2001" }),
      vegaRow({ Title: "Secret, The", "Release Date": "Nov 07 2006" }),
      vegaRow({ Title: "King Kong (1933)", "Release Date": "Apr 07 2033" }),
      vegaRow({ Title: "Plain", "Release Date": "Jan 01 2000" }),
    ]);
    expect(report.repaired).toEqual([
      { row: 0, title: "Amélie", repair: 'title "AmÈlie" tidied' },
      { row: 1, title: "The Secret", repair: 'title "Secret, The" tidied' },
      { row: 2, title: "King Kong", repair: 'title "King Kong (1933)" tidied' },
      { row: 2, title: "King Kong", repair: "year 2033 read as 1933" },
    ]);
  });

  it("rejects anything but an array", () => {
    expect(() => convertVegaMovies({ Title: "Alone" })).toThrow("expected an array of films");
  });
});

describe("vegaMoviesPath", () => {
  it("points at the installed package's movies.json", () => {
    expect(vegaMoviesPath()).toMatch(/vega-datasets[/\\]data[/\\]movies\.json$/);
    expect(existsSync(vegaMoviesPath())).toBe(true);
  });
});
