import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Film } from "../../../src/catalog/film.js";
import { filmId } from "../../../src/catalog/normalize.js";
import { PageError, parsePage, parsePageBytes } from "../../../src/catalog/pages/parse-page.js";
import { SEED_REVIEW, SEED_SYNOPSIS, seedFilm } from "../../support/seed-film.js";

const SEED = readFileSync(new URL("../../../data/000_ca69434de1f8644e.txt", import.meta.url), "utf8");
const SOURCE = "000_ca69434de1f8644e.txt";

const SEED_FILM: Film = seedFilm();

/** The seed page with one line replaced (the line must exist, so a typo in a test fails loudly). */
function withLine(line: string, replacement: string, text = SEED): string {
  const lines = text.split("\n");
  const index = lines.indexOf(line);
  if (index === -1) throw new Error(`seed has no line ${JSON.stringify(line)}`);
  lines.splice(index, 1, ...(replacement === "" ? [] : [replacement]));
  return lines.join("\n");
}

/** The seed page without the lines from `first` up to (not including) `next`. */
function withoutSection(first: string, next: string, text = SEED): string {
  const lines = text.split("\n");
  const start = lines.indexOf(first);
  const end = lines.indexOf(next, start);
  if (start === -1 || end === -1) throw new Error(`seed has no section ${first}…${next}`);
  lines.splice(start, end - start);
  return lines.join("\n");
}

function parse(text: string): Film {
  return parsePage(text, SOURCE);
}

function reasonOf(text: string): string {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof PageError) return error.reason;
    throw error;
  }
  throw new Error("expected a PageError");
}

describe("parsePage: the seed page", () => {
  const film = parse(SEED);

  it("reads every field of the record exactly", () => {
    expect(film).toEqual(SEED_FILM);
  });

  it("reads the header fields", () => {
    expect(film.title).toBe("Miss You Already");
    expect(film.year).toBe(2015);
    expect(film.id).toBe(filmId("Miss You Already", 2015));
    expect(film.rating).toEqual({ score: 6.6, outOf: 10, votes: 567 });
    expect(film.criticScore).toBe(46);
    expect(film.directors).toEqual(["Catherine Hardwicke"]);
  });

  it("keeps the synopsis whole although it contains ' - '", () => {
    expect(film.synopsis).toBe(SEED_SYNOPSIS);
  });

  it("reads 15 cast members, Joanna Bobin without a role", () => {
    expect(film.cast).toHaveLength(15);
    expect(film.cast.at(-1)).toEqual({ name: "Joanna Bobin", role: null });
    expect(film.cast[6]).toEqual({ name: "Noah Huntley", role: "Company executive" });
  });

  it("reads the footer fields", () => {
    expect(film.website).toBeNull();
    expect(film.countries).toEqual(["UK"]);
    expect(film.languages).toEqual(["English"]);
    expect(film.releaseDate).toBe("2015-11-06");
    expect(film.filmingLocations).toBe("London, England, UK");
    expect(film.technicalSpecs).toEqual({});
  });

  it("strips 'See more »' from trivia and keeps the review's paragraphs", () => {
    expect(film.trivia).toHaveLength(1);
    expect(film.trivia[0]).not.toContain("See more");
    expect(film.trivia[0]!.endsWith("replaced her.")).toBe(true);
    expect(film.review!.split("\n\n")).toHaveLength(3);
    expect(film.review).not.toContain("Comments are closed");
  });

  it("uses the source it is given", () => {
    expect(parsePage(SEED, "nested/dir/page.txt").source).toBe("nested/dir/page.txt");
  });
});

describe("parsePage: encodings and line endings", () => {
  it("reads CRLF line endings like LF", () => {
    expect(parse(SEED.replace(/\n/g, "\r\n"))).toEqual(SEED_FILM);
  });

  it("reads lone CR line endings", () => {
    expect(parse(SEED.replace(/\n/g, "\r"))).toEqual(SEED_FILM);
  });

  it("ignores a UTF-8 byte order mark", () => {
    expect(parse(`\uFEFF${SEED}`)).toEqual(SEED_FILM);
  });

  it("ignores trailing spaces and tabs on lines", () => {
    expect(parse(SEED.replace(/\n/g, " \t\n"))).toEqual(SEED_FILM);
  });

  it("keeps accents in titles, names and text, and folds them only in the id", () => {
    const text = SEED.replaceAll("Miss You Already", "Amélie")
      .replace("Drew Barrymore - Jess", "Audrey Tautou - Amélie Poulain")
      .replace("Toni Collette - Milly", "Mathieu Kassovitz - Nino Quincampoix")
      .replace("Country: UK", "Country: France")
      .replace("Language: English", "Language: Français");
    const film = parse(text);
    expect(film.title).toBe("Amélie");
    expect(film.id).toBe("amelie-2015");
    expect(film.cast[0]).toEqual({ name: "Audrey Tautou", role: "Amélie Poulain" });
    expect(film.cast[1]).toEqual({ name: "Mathieu Kassovitz", role: "Nino Quincampoix" });
    expect(film.languages).toEqual(["Français"]);
  });

  it("reads a page saved in Windows-1252, and keeps UTF-8 with a stray bad byte as UTF-8", () => {
    const latin = SEED.replaceAll("Miss You Already", "Amélie").replace(
      "Drew Barrymore - Jess",
      "Audrey Tautou - Amélie Poulain",
    );
    const film = parsePageBytes(Buffer.from(latin, "latin1"), SOURCE);
    expect([film.title, film.id, film.cast[0]]).toEqual([
      "Amélie",
      "amelie-2015",
      { name: "Audrey Tautou", role: "Amélie Poulain" },
    ]);
    expect(
      parsePageBytes(Buffer.from(SEED.replace("Kit", "Kit \u201cthe husband\u201d"), "latin1"), SOURCE).cast,
    ).toHaveLength(15);
    const utf8 = Buffer.concat([Buffer.from(latin.replace("Jennifer", "J"), "utf8"), Buffer.from([0xe9])]);
    expect(parsePageBytes(utf8, SOURCE).title).toBe("Amélie");
  });

  it("reads names in scripts without letter case and with particles", () => {
    const text = withLine(
      "Drew Barrymore - Jess",
      "Benicio del Toro - Jess\n章子怡 - Jen\nO'Shea Jackson Jr. - Ice",
    ).replace("Toni Collette - Milly", "Ludwig van Beethoven - Himself");
    const film = parse(text);
    expect(film.cast.slice(0, 4)).toEqual([
      { name: "Benicio del Toro", role: "Jess" },
      { name: "章子怡", role: "Jen" },
      { name: "O'Shea Jackson Jr.", role: "Ice" },
      { name: "Ludwig van Beethoven", role: "Himself" },
    ]);
  });
});

describe("parsePage: text is kept verbatim", () => {
  it("keeps markdown characters and mentions in synopsis, trivia and review", () => {
    const spicy = "**Bold** _claims_ `code` ~~gone~~ ||spoiler|| @everyone @here <@123456789> # not a heading > quote";
    const text = SEED.replace("How do you share that?", `How do you share that? ${spicy}`)
      .replace("Drew Barrymore replaced her.", `Drew Barrymore replaced her. ${spicy}`)
      .replace("some surviving, some not.", `some surviving, some not. ${spicy}`);
    const film = parse(text);
    expect(film.synopsis!.endsWith(spicy)).toBe(true);
    expect(film.trivia[0]!.endsWith(spicy)).toBe(true);
    expect(film.review!.endsWith(spicy)).toBe(true);
  });

  it("decodes HTML entities left in scraped text, and only well-formed ones", () => {
    const text = withLine("Miss You Already", "Bill &amp; Ted&#39;s Excellent Adventure", SEED)
      .replace("Stars: Drew Barrymore", "Stars: Drew Barrymore, Ren&eacute;e Zellweger")
      .replace("How do you share that?", "How do you share that? R&D; stays &lt;b&gt;")
      .replace("Drew Barrymore replaced her. See more »", "Drew Barrymore replaced her. See more &raquo;");
    const film = parse(text);
    expect(film.title).toBe("Bill & Ted's Excellent Adventure");
    expect(film.stars).toContain("Renée Zellweger");
    expect(film.synopsis!.endsWith("How do you share that? R&D; stays <b>")).toBe(true);
    expect(film.trivia[0]!.endsWith("Drew Barrymore replaced her.")).toBe(true);
  });

  it("keeps a title with markdown and a mention as written", () => {
    const film = parse(SEED.replaceAll("Miss You Already", "*Miss* @everyone _Already_"));
    expect(film.title).toBe("*Miss* @everyone _Already_");
    expect(film.id).toBe("miss-everyone-already-2015");
  });

  it("keeps paragraphs of a multi-paragraph synopsis", () => {
    const film = parse(
      SEED.replace("How do you share that?", "How do you share that?\n\nSecond paragraph.\nWrapped line."),
    );
    expect(film.synopsis).toBe(`${SEED_SYNOPSIS}\n\nSecond paragraph.\nWrapped line.`);
    expect(film.cast).toHaveLength(15);
  });

  it("makes each paragraph under Did You Know? one trivia item", () => {
    const film = parse(
      SEED.replace(
        "Drew Barrymore replaced her. See more »",
        "Drew Barrymore replaced her. See more »\n\nSecond fact. See more »\n\n\nThird fact, over\ntwo lines.",
      ),
    );
    expect(film.trivia).toEqual([SEED_FILM.trivia[0], "Second fact.", "Third fact, over\ntwo lines."]);
  });

  it("stops the review at a 'Comments are closed.' glued to its last sentence", () => {
    const text = SEED.replace(
      "some surviving, some not.\n\n\nComments are closed.",
      "some surviving, some not. Comments are closed.",
    );
    expect(parse(text).review).toBe(SEED_REVIEW);
  });

  it("keeps a one-word line that looks like a heading inside the review", () => {
    const text = SEED.replace("some surviving, some not.", "some surviving, some not.\n\nTrivia\n\nThe end.");
    expect(parse(text).review).toBe(`${SEED_REVIEW}\n\nTrivia\n\nThe end.`);
  });

  it("ignores whatever follows 'Comments are closed.'", () => {
    expect(parse(`${SEED}\n\nShare this:\nTwitter - Facebook`)).toEqual(SEED_FILM);
  });
});

/** A page with only these poster and trailer lines and a year. */
function withLinks(poster: string, trailer: string): Film {
  return parse(`Heat\n\nPoster: ${poster}\n\nTrailer: ${trailer}\n\nRelease Year: 1995`);
}

describe("parsePage: labels", () => {
  it("reads plural labels and lists", () => {
    const text = SEED.replace("Director: Catherine Hardwicke", "Directors: Joel Coen, Ethan Coen")
      .replace("Country: UK", "Countries: UK, USA")
      .replace("Language: English", "Languages: English, French, Hindi");
    const film = parse(text);
    expect(film.directors).toEqual(["Joel Coen", "Ethan Coen"]);
    expect(film.countries).toEqual(["UK", "USA"]);
    expect(film.languages).toEqual(["English", "French", "Hindi"]);
  });

  it("reads labels in another case or with extra spaces", () => {
    const text = SEED.replace("Release Year: 2015", "RELEASE  YEAR :  2015")
      .replace("Rating: 6.6/10 (567 voted)", "rating:6.6/10 (567 voted)")
      .replace("Critic's Score: 46/100", "critic’s score: 46/100")
      .replace("Director: Catherine Hardwicke", "  Director :   Catherine Hardwicke")
      .replace("Release Date: 6 November 2015", "release date: 6 November 2015");
    expect(parse(text)).toEqual(SEED_FILM);
  });

  it("maps Runtime and Genre(s) lines", () => {
    const text = SEED.replace(
      "Director: Catherine Hardwicke",
      "Director: Catherine Hardwicke\n\nRuntime: 1h 52min\n\nGenre(s): Comedy, Drama | Romance",
    );
    const film = parse(text);
    expect(film.runtimeMinutes).toBe(112);
    expect(film.genres).toEqual(["Comedy", "Drama", "Romance"]);
    expect(film.synopsis).toBe(SEED_SYNOPSIS);
  });

  it.each([
    ["112 min", 112],
    ["1h 52min", 112],
    ["2h", 120],
    ["1 hr 30 mins", 90],
    ["90 minutes", 90],
    ["95", 95],
    ["none", null],
    ["0 min", null],
  ])("reads the runtime %j as %j minutes", (value, minutes) => {
    const film = parse(SEED.replace("Release Year: 2015", `Release Year: 2015\nRuntime: ${value}`));
    expect(film.runtimeMinutes).toBe(minutes);
  });

  it("does not mistake unknown labels for the logline, the synopsis or the cast", () => {
    const text = SEED.replace("No valid json found", "No valid json found\n\nOriginal Title: Miss You - Already")
      .replace("Release Year: 2015", "Release Year: 2015\n\nWriters: Morwenna Banks\n\nMotto: Friends - forever")
      .replace(
        "Stars: Drew Barrymore, Toni Collette, Dominic Cooper",
        "Stars: Drew Barrymore, Toni Collette, Dominic Cooper\n\nBox Office: $1,000,000",
      );
    const film = parse(text);
    expect(film).toEqual(SEED_FILM);
  });

  it("reads the labels of links and other names wherever they stand, and keeps them out of the logline", () => {
    const text = SEED.replace(
      "No valid json found",
      "No valid json found\n\nAlso Known As: Mes meilleures amies, Miss You - Already, Du fehlst mir\n\n" +
        "Tagline: Friends - forever\n\nIMDb: tt4139124",
    )
      .replace("Release Year: 2015", "Release Year: 2015\n\nRated: PG-13\n\nPoster: https://example.com/poster.jpg")
      .replace(
        "Country: UK",
        "Country: UK\n\nTrailer: https://www.youtube.com/watch?v=abc\n\nKeywords: friendship, cancer",
      )
      .replace("Technical Specs\n", "Technical Specs\n\nSound Mix: Dolby Digital\n");
    expect(parse(text)).toEqual({
      ...SEED_FILM,
      technicalSpecs: { "Sound Mix": "Dolby Digital" },
      imdbId: "tt4139124",
      poster: "https://example.com/poster.jpg",
      tagline: "Friends - forever",
      certification: "PG-13",
      // The page's own title, however written, is not another title of it.
      alternateTitles: ["Mes meilleures amies", "Du fehlst mir"],
      keywords: ["friendship", "cancer"],
      trailer: "https://www.youtube.com/watch?v=abc",
    });
  });

  it.each([
    ["IMDb: tt0133093", "tt0133093"],
    ["IMDb: https://www.imdb.com/title/tt0133093/", "tt0133093"],
    ["IMDb Link: https://m.imdb.com/fr/title/tt0133093/?ref_=nv_sr_1", "tt0133093"],
    ["IMDb ID: tt0133093 (The Matrix)", "tt0133093"],
    ["IMDb: https://www.imdb.com/name/nm0000206/", null],
    ["IMDb: 0133093", null],
    ["IMDb: tt01330931234567", null],
    ["IMDb: https://example.com/title/tt0133093/", null],
  ])("reads %j as the IMDb id %j", (line, imdbId) => {
    expect(parse(`The Matrix\n\n${line}\n\nRelease Year: 1999`).imdbId).toBe(imdbId);
  });

  it("reads the IMDb id from Technical Specs, where a page may list it", () => {
    const text = SEED.replace("Technical Specs\n", "Technical Specs\n\nIMDb ID: tt4139124\nSound Mix: Dolby\n");
    const film = parse(text);
    expect(film.imdbId).toBe("tt4139124");
    expect(film.technicalSpecs).toEqual({ "Sound Mix": "Dolby" });
  });

  it("keeps only https URLs a card can use as the poster and the trailer", () => {
    expect(withLinks("http://example.com/p.jpg", "www.youtube.com/watch?v=x")).toMatchObject({
      poster: null,
      trailer: null,
    });
    expect(withLinks("see https://example.com/p.jpg.", "Official | https://youtu.be/x")).toMatchObject({
      poster: "https://example.com/p.jpg",
      trailer: "https://youtu.be/x",
    });
    expect(withLinks("https://example.com/a b.jpg", "https://example.com/é")).toMatchObject({
      poster: "https://example.com/a",
      trailer: null,
    });
  });

  it("reads the IMDb id and other titles in a summary too (the merge and search need them), and leaves the other rich fields to the full parse", () => {
    const text = SEED.replace(
      "No valid json found",
      "No valid json found\n\nIMDb: tt4139124\n\nAlso Known As: Miss You\n\nTagline: Friends",
    );
    const summary = parsePageBytes(Buffer.from(text), SOURCE, undefined, "summary");
    expect(summary.imdbId).toBe("tt4139124");
    expect(summary.alternateTitles).toEqual(["Miss You"]);
    expect(summary.tagline).toBeNull();
    expect(summary.logline).toBe(SEED_FILM.logline);
  });

  it("finds the cast right after the synopsis without a blank line, and ignores a trailing link line", () => {
    const text = SEED.replace("How do you share that?\n\n", "How do you share that?\n").replace(
      "Joanna Bobin -\n",
      "Joanna Bobin -\nSee full cast & crew »\n",
    );
    const film = parse(text);
    expect(film.synopsis).toBe(SEED_SYNOPSIS);
    expect(film.cast).toEqual(SEED_FILM.cast);
  });

  it("drops link labels from lists", () => {
    const text = SEED.replace(
      "Stars: Drew Barrymore, Toni Collette, Dominic Cooper",
      "Stars: Drew Barrymore, Toni Collette | See full cast & crew »",
    );
    expect(parse(text).stars).toEqual(["Drew Barrymore", "Toni Collette"]);
  });

  it("reads Key: value lines under Technical Specs, and Runtime there too", () => {
    const text = SEED.replace(
      "Technical Specs\n",
      "Technical Specs\n\nRuntime: 112 min\nSound Mix: Dolby Digital\nAspect Ratio: 2.35 : 1\nSee full technical specs »\n",
    );
    const film = parse(text);
    expect(film.technicalSpecs).toEqual({
      Runtime: "112 min",
      "Sound Mix": "Dolby Digital",
      "Aspect Ratio": "2.35 : 1",
    });
    expect(film.runtimeMinutes).toBe(112);
  });
});

/** The seed page with its title line (and the repeated title line) written as `titleLine`. */
function page(titleLine: string, text = SEED): string {
  return text.replace(/^Miss You Already\n/, `${titleLine}\n`).replace("\n\nMiss You Already\n", `\n\n${titleLine}\n`);
}

function withRating(value: string): Film {
  return parse(SEED.replace("Rating: 6.6/10 (567 voted)", `Rating: ${value}`));
}

describe("parsePage: credits", () => {
  it("keeps credit notes in brackets out of people's names", () => {
    const text = SEED.replace(
      "Director: Catherine Hardwicke",
      "Directors: Catherine Hardwicke (co-director), Jim Smith (as James Smith)",
    )
      .replace(
        "Stars: Drew Barrymore, Toni Collette, Dominic Cooper",
        "Stars: Drew Barrymore (uncredited), Toni Collette, Drew Barrymore",
      )
      .replace("Toni Collette - Milly", "Toni Collette (as Toni Collett) - Milly (voice)");
    const film = parse(text);
    expect(film.directors).toEqual(["Catherine Hardwicke", "Jim Smith"]);
    expect(film.stars).toEqual(["Drew Barrymore", "Toni Collette"]);
    expect(film.cast[1]).toEqual({ name: "Toni Collette", role: "Milly (voice)" });
    expect(film.cast).toHaveLength(SEED_FILM.cast.length);
  });
});

/** Credits written in ways a name-shape check does not expect: lower case, markdown, quotes, punctuation. */
const UNUSUAL_CREDITS: [line: string, name: string, role: string | null][] = [
  ["k.d. lang - Herself", "k.d. lang", "Herself"],
  ["will.i.am - Himself", "will.i.am", "Himself"],
  ["bell hooks - Herself", "bell hooks", "Herself"],
  ["**Bold Name** - Role", "**Bold Name**", "Role"],
  ['"Weird Al" Yankovic - Himself', '"Weird Al" Yankovic', "Himself"],
  ["*Emphasis* -", "*Emphasis*", null],
  ["50 Cent - Himself", "50 Cent", "Himself"],
];

/** Both parses of a page: the summary (page workers) must read the same cast as the full parse. */
function casts(text: string): { full: Film; summaryCast: Film["cast"] } {
  const bytes = Buffer.from(text, "utf8");
  return {
    full: parsePageBytes(bytes, SOURCE),
    summaryCast: parsePageBytes(bytes, SOURCE, undefined, "summary").cast,
  };
}

describe("parsePage: the cast block, decided by its shape", () => {
  it.each(UNUSUAL_CREDITS)("keeps %j as a credit at the end of the block", (line, name, role) => {
    const { full, summaryCast } = casts(withLine("Joanna Bobin -", line));
    expect(full.cast).toEqual([...SEED_FILM.cast.slice(0, 14), { name, role }]);
    expect(full.synopsis).toBe(SEED_SYNOPSIS);
    expect(summaryCast).toEqual(full.cast);
  });

  it.each(UNUSUAL_CREDITS)("keeps %j as a credit in the middle of the block", (line, name, role) => {
    const { full, summaryCast } = casts(withLine("Mem Ferda - Ahmed", line));
    expect(full.cast).toEqual(SEED_FILM.cast.map((member, i) => (i === 5 ? { name, role } : member)));
    expect(summaryCast).toEqual(full.cast);
  });

  it("keeps several unusual credits, and one opening a block of its own", () => {
    const text = withLine(
      "Drew Barrymore - Jess",
      "k.d. lang - Herself",
      withLine("Tyson Ritter - Ace", "bell hooks - Herself", withLine("Joanna Bobin -", "will.i.am - Himself")),
    );
    const { full, summaryCast } = casts(text);
    expect(full.cast.map((member) => member.name)).toEqual([
      "k.d. lang",
      ...SEED_FILM.cast.slice(1, 4).map((member) => member.name),
      "bell hooks",
      ...SEED_FILM.cast.slice(5, 14).map((member) => member.name),
      "will.i.am",
    ]);
    expect(full.synopsis).toBe(SEED_SYNOPSIS);
    expect(summaryCast).toEqual(full.cast);
  });

  it("keeps a short cast whose last credit is unusual", () => {
    const text = withoutSection(
      "Toni Collette - Milly",
      "Official Website: Official Facebook | Official Twitter",
    ).replace("Drew Barrymore - Jess\n", "Drew Barrymore - Jess\nbell hooks - Herself\n\n");
    expect(parse(text).cast).toEqual([
      { name: "Drew Barrymore", role: "Jess" },
      { name: "bell hooks", role: "Herself" },
    ]);
  });

  it("leaves a synopsis line shaped like a credit in the synopsis when it runs on into the cast", () => {
    const text = SEED.replace("How do you share that?\n\n", "How do you share that?\nthe kids - and the rest\n");
    const film = parse(text);
    expect(film.synopsis).toBe(`${SEED_SYNOPSIS}\nthe kids - and the rest`);
    expect(film.cast).toEqual(SEED_FILM.cast);
  });

  it("leaves a paragraph of one line shaped like a credit in the synopsis", () => {
    const text = SEED.replace("How do you share that?\n\n", "How do you share that?\n\nfriends - forever\n\n");
    const film = parse(text);
    expect(film.synopsis).toBe(`${SEED_SYNOPSIS}\n\nfriends - forever`);
    expect(film.cast).toEqual(SEED_FILM.cast);
  });

  it("does not take lines that are mostly not names for a cast", () => {
    const text = withoutSection(
      "Toni Collette - Milly",
      "Official Website: Official Facebook | Official Twitter",
    ).replace("Drew Barrymore - Jess\n", "love - a feeling\nhate - another one\nfear - the third\n\n");
    const film = parse(text);
    expect(film.cast).toEqual([]);
    expect(film.synopsis).toBe(`${SEED_SYNOPSIS}\n\nlove - a feeling\nhate - another one\nfear - the third`);
  });
});

describe("parsePage: headings over the synopsis and the cast", () => {
  it.each([
    ["Storyline", "Cast"],
    ["Plot Summary:", "Cast overview, first billed only:"],
    ["SYNOPSIS", "Full Cast & Crew"],
    ["Summary", "Top Cast (in credits order)"],
  ])("keeps %j and %j out of the synopsis and the cast", (overSynopsis, overCast) => {
    const text = SEED.replace(
      "Milly and Jess have been best friends",
      `${overSynopsis}\n\nMilly and Jess have been best friends`,
    ).replace("Drew Barrymore - Jess", `${overCast}\nDrew Barrymore - Jess`);
    const film = parse(text);
    expect(film.synopsis).toBe(SEED_FILM.synopsis);
    expect(film.cast).toEqual(SEED_FILM.cast);
    expect(film.logline).toBe(SEED_FILM.logline);
  });

  it("reads a labelled line that starts like a heading as a label", () => {
    const film = parse(
      SEED.replace("Stars: Drew Barrymore, Toni Collette, Dominic Cooper", "Starring: Drew Barrymore, Toni Collette"),
    );
    expect(film.stars).toEqual(["Drew Barrymore", "Toni Collette"]);
  });
});

describe("parsePage: numbers", () => {
  it("reads vote counts with thousands separators", () => {
    expect(withRating("7.5/10 (1,234,567 voted)").rating).toEqual({ score: 7.5, outOf: 10, votes: 1_234_567 });
    expect(withRating("7.5/10 (1.234.567 votes)").rating).toEqual({ score: 7.5, outOf: 10, votes: 1_234_567 });
  });

  it.each([
    ["8.3/10 (700K voted)", 700_000],
    ["8.8/10 (2.1M votes)", 2_100_000],
    ["8.8/10 (2,1 M votes)", 2_100_000],
    ["8.1/10 (1,234,567)", 1_234_567],
    ["8.1/10 (1.2M)", 1_200_000],
    ["8.1/10 (12k)", 12_000],
  ])("reads the vote count of %j as %d", (value, votes) => {
    expect(withRating(value).rating).toEqual({ score: Number(value.slice(0, 3)), outOf: 10, votes });
  });

  it("reads whole and decimal ratings with or without votes", () => {
    expect(withRating("7/10").rating).toEqual({ score: 7, outOf: 10, votes: null });
    expect(withRating("7.5/10").rating).toEqual({ score: 7.5, outOf: 10, votes: null });
    expect(withRating("8/10 (12 voted)").rating).toEqual({ score: 8, outOf: 10, votes: 12 });
  });

  it("turns out-of-range numbers into null instead of failing", () => {
    expect(withRating("11/10 (567 voted)").rating).toBeNull();
    expect(withRating("66/100").rating).toBeNull();
    expect(withRating("N/A").rating).toBeNull();
    expect(withRating("6/10 (-5 voted)").rating).toEqual({ score: 6, outOf: 10, votes: null });
    expect(parse(SEED.replace("Critic's Score: 46/100", "Critic's Score: 146/100")).criticScore).toBeNull();
    expect(parse(SEED.replace("Critic's Score: 46/100", "Critic's Score: -3")).criticScore).toBeNull();
    expect(parse(SEED.replace("Critic's Score: 46/100", "Critic's Score: 46/50")).criticScore).toBeNull();
  });

  it("reads the critic score with or without its scale", () => {
    expect(parse(SEED.replace("Critic's Score: 46/100", "Critic's Score: 46")).criticScore).toBe(46);
    expect(parse(SEED.replace("Critic's Score: 46/100", "Critics Score: 100/100")).criticScore).toBe(100);
  });
});

describe("parsePage: years and dates", () => {
  it.each([
    ["6 November 2015", "2015-11-06"],
    ["November 6, 2015", "2015-11-06"],
    ["November 6th, 2015", "2015-11-06"],
    ["2015-11-06", "2015-11-06"],
    ["6 Nov 2015 (UK)", "2015-11-06"],
    ["November 2015", null],
    ["31 February 2015", null],
    ["soon", null],
  ])("reads the release date %j as %j", (value, iso) => {
    expect(parse(SEED.replace("Release Date: 6 November 2015", `Release Date: ${value}`)).releaseDate).toBe(iso);
  });

  it("takes the year from Release Year first", () => {
    const text = SEED.replace("Release Year: 2015", "Release Year: 2014");
    expect(parse(text).year).toBe(2014);
    expect(parse(text).id).toBe("miss-you-already-2014");
  });

  it("falls back to the release date, then the date line", () => {
    const noYear = withLine("Release Year: 2015", "");
    expect(parse(noYear.replace("Release Date: 6 November 2015", "Release Date: March 2013")).year).toBe(2013);
    expect(
      parse(noYear.replace("November 6th, 2015", "January 2nd, 2016").replace("Release Date: 6 November 2015", ""))
        .year,
    ).toBe(2016);
    expect(
      parse(noYear.replace("Release Date: 6 November 2015", "").replace("November 6th, 2015", "")).year,
    ).toBeNull();
  });

  it("ignores an impossible year", () => {
    expect(parse(SEED.replace("Release Year: 2015", "Release Year: 3015")).year).toBe(2015);
    expect(parse(SEED.replace("Release Year: 2015", "Release Year: 1200")).year).toBe(2015);
  });

  it("takes a year after the title as the film's year, not as part of its name", () => {
    const noYears = withLine("Release Year: 2015", "", withLine("Release Date: 6 November 2015", ""));
    for (const line of [
      "Miss You Already (2014)",
      "Miss You Already (2014) - IMDb",
      "Miss You Already (TV Movie 2014)",
    ]) {
      const film = parse(page(line, noYears));
      expect([film.title, film.year, film.id, film.logline]).toEqual([
        "Miss You Already",
        2014,
        "miss-you-already-2014",
        SEED_FILM.logline,
      ]);
    }
    // Release Year still comes first; a title that is a year in brackets stays a title.
    expect(parse(page("Miss You Already (2014)")).year).toBe(2015);
    expect(parse(page("(1999)")).title).toBe("(1999)");
    expect(parse(page("Miss You Already (1200)")).title).toBe("Miss You Already (1200)");
  });

  it("gives a film without any year an id without a year", () => {
    const text = withLine(
      "November 6th, 2015",
      "",
      withLine("Release Year: 2015", "", withLine("Release Date: 6 November 2015", "")),
    );
    const film = parse(text);
    expect(film.year).toBeNull();
    expect(film.id).toBe("miss-you-already");
  });
});

describe("parsePage: website", () => {
  it.each([
    ["Official Facebook | Official Twitter", null],
    ["http://www.missyoualready.com | Official Facebook", "http://www.missyoualready.com"],
    ["Official Facebook | https://twitter.com/missyou", "https://twitter.com/missyou"],
    ["missyoualready.co.uk", "https://missyoualready.co.uk"],
    ["Official site www.MissYouAlready.com", "https://www.MissYouAlready.com"],
    ["Mr.Smith Goes", null],
  ])("keeps %j as %j", (value, website) => {
    expect(
      parse(SEED.replace("Official Website: Official Facebook | Official Twitter", `Official Website: ${value}`))
        .website,
    ).toBe(website);
  });
});

describe("parsePage: missing sections", () => {
  it("reads a page without the logline", () => {
    const text = withLine(SEED_FILM.logline!, "");
    expect(parse(text)).toEqual({ ...SEED_FILM, logline: null });
  });

  it("reads a page without the repeated title, the noise line and the date line", () => {
    const text = withLine(
      "November 6th, 2015",
      "",
      withLine("No valid json found", "", SEED.replace("\nMiss You Already\n", "\n")),
    );
    expect(parse(text)).toEqual(SEED_FILM);
  });

  it("reads a page without the cast", () => {
    const text = withoutSection("Drew Barrymore - Jess", "Official Website: Official Facebook | Official Twitter");
    expect(parse(text)).toEqual({ ...SEED_FILM, cast: [] });
  });

  it("reads a page without the synopsis", () => {
    const text = withLine(SEED_SYNOPSIS, "");
    expect(parse(text)).toEqual({ ...SEED_FILM, synopsis: null });
  });

  it("reads a page without header labels", () => {
    const text = withoutSection("Release Year: 2015", SEED_SYNOPSIS);
    const film = parse(text);
    expect(film).toEqual({ ...SEED_FILM, rating: null, criticScore: null, directors: [], stars: [] });
  });

  it("reads a page without trivia, review and footer", () => {
    const text = SEED.slice(0, SEED.indexOf("Official Website:"));
    expect(parse(text)).toEqual({
      ...SEED_FILM,
      website: null,
      countries: [],
      languages: [],
      releaseDate: null,
      filmingLocations: null,
      trivia: [],
      review: null,
    });
  });

  it("reads a page without the Did You Know? section", () => {
    const text = withoutSection("Did You Know?", "User Review");
    expect(parse(text)).toEqual({ ...SEED_FILM, trivia: [] });
  });

  it("reads a title-only page as a film with nothing else", () => {
    const film = parse("Some Film\n");
    expect(film.title).toBe("Some Film");
    expect(film.id).toBe("some-film");
    expect(film.cast).toEqual([]);
    expect(film.synopsis).toBeNull();
  });

  it("keeps titles that look like labels or years", () => {
    expect(parse(SEED.replaceAll("Miss You Already", "Mission: Impossible")).title).toBe("Mission: Impossible");
    expect(parse(SEED.replaceAll("Miss You Already", "1917")).title).toBe("1917");
  });
});

describe("parsePage: pages that are not films", () => {
  it.each([
    ["", "empty file"],
    ["   \n\t\n  \r\n", "empty file"],
    ["\uFEFF", "empty file"],
    ["Title\u0000\u0001\u0002binary", "binary content"],
    ["\uFFFD\uFFFD\uFFFDPNG\uFFFD\u0001\u0002\uFFFD", "binary content"],
    ["!!!\n\nRelease Year: 2015", "no title line"],
  ])("rejects %j: %s", (text, reason) => {
    expect(reasonOf(text)).toBe(reason);
  });

  it("rejects a page whose first line is a label or a date", () => {
    expect(reasonOf("Release Year: 2015\nRating: 5/10")).toMatch(/^no title line/);
    expect(reasonOf("November 6th, 2015\n\nMiss You Already")).toMatch(/^no title line/);
  });

  it("rejects a first line that is far too long to be a title", () => {
    expect(reasonOf(`${"word ".repeat(200)}\n\nRelease Year: 2015`)).toMatch(/^no title line/);
  });

  it("reads decoded bytes of random data as binary content", () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    expect(reasonOf(bytes.toString("utf8"))).toBe("binary content");
  });

  it("reads random bytes as binary content, not as a Windows-1252 page", () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256 || 1));
    expect(() => parsePageBytes(bytes, SOURCE)).toThrow("binary content");
    const mostlyText = Buffer.concat([
      Buffer.from("Title\n\nSome text\n"),
      Buffer.from(Array.from({ length: 200 }, (_, i) => 0x80 + (i % 128))),
    ]);
    expect(() => parsePageBytes(mostlyText, SOURCE)).toThrow("binary content");
  });

  it("tolerates a stray replacement character in a real page", () => {
    expect(parse(SEED.replace("Jess", "J\uFFFDss")).title).toBe("Miss You Already");
  });

  it("throws PageError objects with the reason and the source", () => {
    let thrown: unknown;
    try {
      parsePage("", "x/empty.txt");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PageError);
    expect(thrown).toMatchObject({
      name: "PageError",
      reason: "empty file",
      source: "x/empty.txt",
      message: "empty file",
    });
  });

  it.each([
    [
      "<!DOCTYPE html><html><head><title>Heat (1995) - IMDb</title></head><body><h1>Heat</h1>\n<p>Rating: 8.3/10</p>\n</body></html>",
      "an HTML document",
    ],
    ['\n\n  <html lang="en">\n<head><title>Heat</title></head>\nRelease Year: 1995\n</html>', "an HTML document"],
    ["<!-- saved from url=(0035)https://www.imdb.com/title/tt0113277/ -->\n<html>", "an HTML document"],
    ['<?xml version="1.0" encoding="UTF-8"?>\n<films><film title="Heat"/></films>', "an XML document"],
  ])("rejects markup %j as %j, not a film page", (text, kind) => {
    expect(reasonOf(text)).toBe(`not a film page: ${kind}`);
    expect(() => parsePageBytes(Buffer.from(`\uFEFF${text}`), SOURCE, undefined, "summary")).toThrow(
      `not a film page: ${kind}`,
    );
  });

  it("rejects prose without a single film field", () => {
    const notes = "Moderator notes\n\nRe-scrape the 1990s pages next week.\nAsk Sam about the duplicates - again.\n";
    expect(reasonOf(notes)).toMatch(/^not a film page: no film fields/);
    expect(reasonOf("Moderator notes\nOriginal Title: nothing at all")).toMatch(/^not a film page: no film fields/);
    expect(() => parsePageBytes(Buffer.from(notes), SOURCE, undefined, "summary")).toThrow(
      /^not a film page: no film fields/,
    );
  });

  it("reads a title that starts with < as a title", () => {
    expect(parse("<3 Love\n\nRelease Year: 2001").title).toBe("<3 Love");
  });
});

/** The film and the warnings of both parses, which must agree. */
function parsedWithWarnings(text: string): { film: Film; warnings: string[] } {
  const warnings: string[] = [];
  const film = parsePage(text, SOURCE, undefined, "full", warnings);
  const summaryWarnings: string[] = [];
  parsePageBytes(Buffer.from(text), SOURCE, undefined, "summary", summaryWarnings);
  expect(summaryWarnings).toEqual(warnings);
  return { film, warnings };
}

describe("parsePage: warnings", () => {
  it("keeps a page that is only a title as a film, with a warning", () => {
    for (const text of ["Some Film\n", "Some Film\n\nSome Film\n\nNo valid json found\n"]) {
      const { film, warnings } = parsedWithWarnings(text);
      expect(film.title).toBe("Some Film");
      expect(warnings).toEqual(["only a title line, no film fields"]);
    }
  });

  it.each([
    ["a labelled line", "Heat\n\nRelease Year: 1995"],
    ["an unknown year", "Heat\n\nRating: N/A"],
    ["a footer label", "Heat\n\nCountry: USA"],
    ["a date line", "Heat\n\nDecember 15th, 1995\n\nA crime saga."],
    ["a cast block", "Heat\n\nA crime saga.\n\nAl Pacino - Vincent Hanna\nRobert De Niro - Neil McCauley"],
    ["a trivia section", "Heat\n\nDid You Know?\n\nThe diner scene was shot in one take."],
    ["a review section", "Heat\n\nUser Review\n\nA masterpiece."],
  ])("keeps a page with only %s as a film without a warning", (_, text) => {
    const { film, warnings } = parsedWithWarnings(text);
    expect(film.title).toBe("Heat");
    expect(warnings).toEqual([]);
  });

  it("gives the seed page no warning", () => {
    expect(parsedWithWarnings(SEED).warnings).toEqual([]);
  });
});
