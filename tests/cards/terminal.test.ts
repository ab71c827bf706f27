import { describe, expect, it } from "vitest";
import type { Film } from "../../src/catalog/film.js";
import { buildFilmCard, cardPageCount, FILM_VIEWS } from "../../src/cards/film-card.js";
import { renderCardForTerminal } from "../../src/cards/terminal.js";
import { SEED_TRIVIA, seedFilm } from "../support/seed-film.js";

const ESC = String.fromCharCode(0x1b);
const ANSI = new RegExp(`${ESC}\\[`);
const ANSI_SEQUENCE = new RegExp(`${ESC}\\[[0-9;]*m`, "g");
/** Control characters other than the newline. */
const CONTROL = /(?!\n)\p{Cc}/u;

function visibleLines(output: string): string[] {
  return output.replace(ANSI_SEQUENCE, "").split("\n");
}

/** The output without its buttons. */
function embedPart(output: string): string {
  return output.slice(0, output.lastIndexOf("\n\n"));
}

describe("renderCardForTerminal", () => {
  it("renders the seed overview as plain text", () => {
    const output = renderCardForTerminal(buildFilmCard(seedFilm()), { color: false });
    expect(ANSI.test(output)).toBe(false);
    const lines = output.split("\n");
    expect(lines[0]).toBe("│ Miss You Already (2015)");
    expect(lines).toContain("│ The friendship between two life-long girlfriends is put to the test when one");
    // Inline fields side by side, three to a row.
    expect(output).toMatch(/│ Rating +Critics +Director\n│ 6\.6\/10 \(567 votes\) +46\/100 +Catherine Hardwicke/);
    expect(output).toMatch(/│ Stars +Country +Language/);
    expect(output).toContain("│ Filming locations\n│ London, England, UK");
    expect(output).toContain("│ Did you know?\n│ Jennifer Aniston was originally cast");
    expect(output).toContain("│ Film id: miss-you-already-2015 (paste it into /movie)");
    // The current view, and a view without data, are disabled: round brackets in plain text.
    expect(output.trimEnd().split("\n").slice(-2)).toEqual([
      "( Overview ) [ Cast ] [ Trivia ] [ Review ] ( Where to watch )",
      "[ Similar ]",
    ]);
  });

  it("renders the same card with ANSI colour", () => {
    const card = buildFilmCard(seedFilm());
    const output = renderCardForTerminal(card, { color: true });
    expect(ANSI.test(output)).toBe(true);
    expect(output).toContain("\x1b[38;2;232;163;61m▌\x1b[0m");
    expect(output).toContain("\x1b[1mMiss You Already (2015)\x1b[0m");
    expect(output).toContain("\x1b[38;2;88;101;242;2m[ Overview ]\x1b[0m");
    expect(output).toContain(" [ Cast ] ");
    // Colour changes only the styling (and the brackets of disabled buttons): the embed reads the same.
    expect(embedPart(visibleLines(output).join("\n").replaceAll("▌", "│"))).toBe(
      embedPart(renderCardForTerminal(card, { color: false })),
    );
  });

  it("shows film text as Discord would: escapes removed, mentions plain, card bold applied", () => {
    const film: Film = {
      ...seedFilm(),
      title: "*batteries not included",
      year: 1987,
      logline: "@everyone meet the_fixers",
      cast: [{ name: "Hume *Cronyn*", role: "Frank" }],
    };
    const overview = renderCardForTerminal(buildFilmCard(film), { color: false });
    expect(overview).toContain("│ *batteries not included (1987)");
    expect(overview).toContain("│ @everyone meet the_fixers");
    expect(overview).not.toContain("\\");
    const cast = renderCardForTerminal(buildFilmCard(film, "cast"), { color: false });
    expect(cast).toContain("│ Hume *Cronyn* — Frank");
    const castInColour = renderCardForTerminal(buildFilmCard(film, "cast"), { color: true });
    expect(castInColour).toContain("\x1b[1mHume *Cronyn*\x1b[0m — Frank");
  });

  it("shows pager buttons on paged views", () => {
    const cast = Array.from({ length: 30 }, (_unused, index) => ({ name: `Actor ${index}`, role: null }));
    const output = renderCardForTerminal(buildFilmCard({ ...seedFilm(), cast }, "cast", 1), { color: false });
    expect(output).toContain("│ Page 2/2 · Film id: miss-you-already-2015");
    expect(output.trimEnd().split("\n").slice(-3)).toEqual([
      "[ Overview ] ( Cast ) [ Trivia ] [ Review ] ( Where to watch )",
      "[ ◀ ] ( ▶ )",
      "[ Similar ]",
    ]);
  });

  it("gives the poster and each link button with its address, as a terminal cannot show them", () => {
    const film: Film = {
      ...seedFilm(),
      imdbId: "tt4139124",
      tmdbId: 301502,
      poster: "https://image.tmdb.org/t/p/w500/miss-you-already.jpg",
      trailer: "https://www.youtube.com/watch?v=abc-123",
    };
    const output = renderCardForTerminal(buildFilmCard(film), { color: false });
    expect(output.split("\n").slice(0, 2)).toEqual([
      "│ Miss You Already (2015)",
      "│ Poster: https://image.tmdb.org/t/p/w500/miss-you-already.jpg",
    ]);
    expect(output.trimEnd().split("\n").slice(-6)).toEqual([
      "( Overview ) [ Cast ] [ Trivia ] [ Review ] ( Where to watch )",
      "[ Similar ]",
      "[ IMDb ↗ ] https://www.imdb.com/title/tt4139124/",
      "[ TMDb ↗ ] https://www.themoviedb.org/movie/301502",
      "[ Letterboxd ↗ ] https://letterboxd.com/imdb/tt4139124/",
      "[ Trailer ↗ ] https://www.youtube.com/watch?v=abc-123",
    ]);
    // Narrow: the buttons wrap, and an address that does not fit beside its button goes below it.
    const narrow = renderCardForTerminal(buildFilmCard(film), { color: false, width: 30 });
    expect(narrow.trimEnd().split("\n").slice(-16)).toEqual([
      "( Overview ) [ Cast ]",
      "[ Trivia ] [ Review ]",
      "( Where to watch )",
      "[ Similar ]",
      "[ IMDb ↗ ]",
      "https://www.imdb.com/title/tt4",
      "139124/",
      "[ TMDb ↗ ]",
      "https://www.themoviedb.org/mov",
      "ie/301502",
      "[ Letterboxd ↗ ]",
      "https://letterboxd.com/imdb/tt",
      "4139124/",
      "[ Trailer ↗ ]",
      "https://www.youtube.com/watch?",
      "v=abc-123",
    ]);
    const coloured = renderCardForTerminal(buildFilmCard(film), { color: true });
    expect(coloured).toContain("[ IMDb ↗ ] \x1b[38;2;0;168;252;4mhttps://www.imdb.com/title/tt4139124/\x1b[0m");
  });

  it("keeps within the width and lets no control characters through", () => {
    const hostile = "\x1b[2J\x1b]0;pwned\x07 @everyone **x** " + "long words ".repeat(300) + "😀".repeat(100);
    const film: Film = {
      ...seedFilm(),
      logline: hostile,
      synopsis: hostile,
      trivia: [hostile],
      stars: [hostile, hostile],
    };
    for (const view of FILM_VIEWS) {
      for (let page = 0; page < cardPageCount(film, view); page++) {
        const plain = renderCardForTerminal(buildFilmCard(film, view, page), { color: false, width: 60 });
        expect(plain).not.toMatch(CONTROL);
        expect(Math.max(...plain.split("\n").map((line) => Array.from(line).length))).toBeLessThanOrEqual(60);
        const coloured = renderCardForTerminal(buildFilmCard(film, view, page), { color: true, width: 60 });
        expect(coloured.replace(ANSI_SEQUENCE, "")).not.toMatch(CONTROL);
      }
    }
  });

  it("includes every field of the card", () => {
    const card = buildFilmCard(seedFilm());
    const output = renderCardForTerminal(card, { color: false, width: 200 });
    for (const field of card.embeds[0]?.fields ?? []) expect(output).toContain(field.name);
    expect(output).toContain(SEED_TRIVIA);
  });
});
