import { describe, expect, it } from "vitest";
import { Catalog } from "../../src/catalog/catalog.js";
import { emptyFilm } from "../../src/catalog/film.js";
import { UserFacingError } from "../../src/errors.js";
import {
  CHOICE_LIMIT,
  cleanQuery,
  filmChoices,
  FilmNotFoundError,
  personChoices,
  requireFilm,
  requirePerson,
} from "../../src/cards/film-lookup.js";
import { fixtureCatalog } from "../commands/fixtures.js";

const catalog = fixtureCatalog();

function notFoundMessage(input: string, year: number | null = null): string {
  let thrown: unknown;
  try {
    requireFilm(catalog, input, year);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(FilmNotFoundError);
  return (thrown as Error).message;
}

/** The question asked instead of a card, with its pick menu. */
function questionFor(input: string): UserFacingError {
  let thrown: unknown;
  try {
    requireFilm(catalog, input, null);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(UserFacingError);
  expect(thrown).not.toBeInstanceOf(FilmNotFoundError);
  return thrown as UserFacingError;
}

function menuLabels(question: UserFacingError): string[] {
  const menu = question.reply?.components?.[0]?.components[0];
  return menu !== undefined && "options" in menu ? menu.options.map((option) => option.label) : [];
}

describe("cleanQuery", () => {
  it("makes one bounded line, keeping one trailing space as the sign of a finished word", () => {
    expect(cleanQuery("  alien\t\n ")).toBe("alien ");
    expect(cleanQuery("alien")).toBe("alien");
    expect(cleanQuery("   ")).toBe("");
    expect(cleanQuery(`${"x".repeat(150)} `)).toHaveLength(100);
  });

  it("lets a finished word rank the titles holding it before longer words it starts", () => {
    expect(
      filmChoices(catalog, "alien ", null)
        .slice(0, 2)
        .map((choice) => choice.name),
    ).toEqual(["Alien (1979)", "Alien: Resurrection (1997)"]);
  });
});

describe("requireFilm", () => {
  it("takes an id exactly (what autocomplete sends), whatever the year option says", () => {
    expect(requireFilm(catalog, "solaris-1972", 2002).id).toBe("solaris-1972");
    expect(requireFilm(catalog, " miss-you-already-2015 ", null).title).toBe("Miss You Already");
  });

  it("searches free text, with the year as a filter", () => {
    expect(requireFilm(catalog, "The Godfather", null).id).toBe("the-godfather-1972");
    expect(requireFilm(catalog, "solaris", 2002).id).toBe("solaris-2002");
    expect(requireFilm(catalog, "solaris", 1972).id).toBe("solaris-1972");
  });

  it("forgives typos", () => {
    expect(requireFilm(catalog, "godfater", null).id).toBe("the-godfather-1972");
    expect(requireFilm(catalog, "jurasic park", null).id).toBe("jurassic-park-1993");
  });

  it("asks privately, with a menu of the films, when the text could be several films", () => {
    const question = questionFor("solaris");
    expect(question.message).toBe("“solaris” could be more than one film. Which one did you mean?");
    expect(menuLabels(question)).toEqual(["Solaris (1972)", "Solaris (2002)"]);
  });

  it("reads a year after the title like the year option: it settles namesakes, and another year is asked", () => {
    expect(requireFilm(catalog, "solaris 2002", null).id).toBe("solaris-2002");
    const runners = Catalog.build([
      { ...emptyFilm("Blade Runner", "test"), id: "blade-runner-1982", year: 1982 },
      { ...emptyFilm("Blade Runner 2049", "test"), id: "blade-runner-2049-2017", year: 2017 },
    ]);
    expect(requireFilm(runners, "blade runner 2049", null).id).toBe("blade-runner-2049-2017");
    expect(requireFilm(runners, "blade runner 1982", null).id).toBe("blade-runner-1982");
    const question = questionFor("the godfather 1980");
    expect(question.message).toBe("No film in the catalog matches “the godfather 1980” in 1980. Is it one of these?");
    expect(menuLabels(question)[0]).toBe("The Godfather (1972)");
  });

  it("finds elided titles by either spelling, and digits read as letters", () => {
    expect(requireFilm(catalog, "l auberge espagnole", null).id).toBe("lauberge-espagnole-2003");
    expect(requireFilm(catalog, "lauberge espagnole", null).id).toBe("lauberge-espagnole-2003");
    expect(requireFilm(catalog, "seven", null).id).toBe("se7en-1995");
  });

  it("never posts a card for a weak lone word that could be several titles", () => {
    expect(() => requireFilm(catalog, "amelie", null)).toThrow(UserFacingError);
  });

  it("answers no match with the closest titles", () => {
    const message = notFoundMessage("xyz film");
    expect(message).toContain("No film in the catalog matches “xyz film”.");
    expect(message).toContain("Did you mean:");
    expect(message.split("\n").filter((line) => line.startsWith("• ")).length).toBeGreaterThanOrEqual(3);
  });

  it("suggests across years when the year has nothing like it", () => {
    const message = notFoundMessage("godfather", 1950);
    expect(message).toContain("in 1950");
    expect(message).toContain("**The Godfather** (1972)");
  });

  it("suggests popular films when nothing is close, and a person when the text is a name", () => {
    expect(notFoundMessage("zzzzqqq")).toContain("Some popular films:");
    expect(notFoundMessage("spielberg")).toContain("Try `/person` with Steven Spielberg.");
  });

  it("escapes what the member typed", () => {
    const message = notFoundMessage("**zzzz** @everyone");
    expect(message).toContain("\\*\\*zzzz\\*\\*");
    expect(message).not.toMatch(/@everyone/);
  });

  it("handles empty and huge input", () => {
    expect(notFoundMessage("   ")).toContain("No film in the catalog matches that.");
    expect(notFoundMessage("q".repeat(100_000)).length).toBeLessThan(2000);
  });
});

describe("filmChoices", () => {
  it("answers empty input with popular films", () => {
    const choices = filmChoices(catalog, "", null);
    expect(choices).toHaveLength(CHOICE_LIMIT);
    expect(choices.map((choice) => choice.value)).toEqual(catalog.popular(CHOICE_LIMIT).map((film) => film.id));
  });

  it("puts the right film first for a typo", () => {
    expect(filmChoices(catalog, "solrais", 1972)[0]).toEqual({ name: "Solaris (1972)", value: "solaris-1972" });
    expect(filmChoices(catalog, "the godfater", null)[0]?.value).toBe("the-godfather-1972");
  });

  it("keeps every choice within Discord's limits, with the year in the label", () => {
    for (const typed of ["", "the", "a", "very long", "undated", "star wars", "x".repeat(500)]) {
      const choices = filmChoices(catalog, typed, null);
      expect(choices.length).toBeLessThanOrEqual(CHOICE_LIMIT);
      for (const choice of choices) {
        expect(choice.name.length).toBeGreaterThan(0);
        expect(choice.name.length).toBeLessThanOrEqual(100);
        expect(choice.value.length).toBeLessThanOrEqual(100);
        expect(choice.name).toMatch(/\((\d{4}|year unknown)\)$/);
      }
    }
  });

  it("cuts a long title but keeps its year", () => {
    const [choice] = filmChoices(catalog, "the very very very long title", null);
    expect(choice?.value).toBe("the-very-long-title-1999");
    expect(choice?.name).toMatch(/…? \(1999\)$/);
    expect(choice!.name.length).toBeLessThanOrEqual(100);
  });

  it("labels a film without a year", () => {
    expect(filmChoices(catalog, "undated reel", null)[0]).toEqual({
      name: "Undated Reel (year unknown)",
      value: "undated-reel",
    });
  });

  it("falls back to all years when the year filter finds nothing", () => {
    expect(filmChoices(catalog, "alien", 1850)[0]?.value).toBe("alien-1979");
  });

  it("answers an empty catalog with nothing", () => {
    expect(filmChoices(Catalog.build([]), "", null)).toEqual([]);
    expect(filmChoices(Catalog.build([]), "alien", null)).toEqual([]);
  });
});

describe("people", () => {
  it("completes names with film counts, the name as the value", () => {
    const [first] = personChoices(catalog, "spielbrg");
    expect(first).toEqual({
      name: expect.stringMatching(/^Steven Spielberg \(\d+ films\)$/) as unknown as string,
      value: "Steven Spielberg",
    });
    expect(personChoices(catalog, "")).toHaveLength(CHOICE_LIMIT);
  });

  it("finds a person by exact name or close spelling, and explains a miss", () => {
    expect(requirePerson(catalog, "Andrei Tarkovsky").name).toBe("Andrei Tarkovsky");
    expect(requirePerson(catalog, "andrei tarkovski").name).toBe("Andrei Tarkovsky");
    expect(() => requirePerson(catalog, "Nobody Atall Xyz")).toThrow(UserFacingError);
  });

  it("takes a misspelled surname alone when no one else comes close", () => {
    expect(requirePerson(catalog, "kubrik").name).toBe("Stanley Kubrick");
    expect(requirePerson(catalog, "spilberg").name).toBe("Steven Spielberg");
    expect(requirePerson(catalog, "tarkovski").name).toBe("Andrei Tarkovsky");
  });
});
