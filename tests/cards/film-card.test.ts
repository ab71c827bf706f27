import type { APIEmbed } from "discord-api-types/v10";
import { describe, expect, it } from "vitest";
import { emptyFilm, isHttpsUrl, type Film } from "../../src/catalog/film.js";
import {
  FILM_VIEWS,
  MAX_CARD_PAGE,
  buildFilmCard,
  cardPageCount,
  encodeCardButtonId,
  encodeSimilarButtonId,
  parseCardButtonId,
  parseSimilarButtonId,
  type CardButtonTarget,
  type FilmCard,
  type FilmView,
} from "../../src/cards/film-card.js";
import {
  BUTTON_LABEL_LIMIT,
  BUTTON_URL_LIMIT,
  CUSTOM_ID_LIMIT,
  EMBED_DESCRIPTION_LIMIT,
  EMBED_FIELD_COUNT_LIMIT,
  EMBED_FIELD_NAME_LIMIT,
  EMBED_FIELD_VALUE_LIMIT,
  EMBED_FOOTER_TEXT_LIMIT,
  EMBED_TITLE_LIMIT,
  EMBED_URL_LIMIT,
  MESSAGE_EMBEDS_TOTAL_LIMIT,
  totalEmbedLength,
} from "../../src/cards/limits.js";
import { SEED_REVIEW, SEED_TRIVIA, seedFilm } from "../support/seed-film.js";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LIVE_MENTION = /@(everyone|here)|<[@#/]/i;

function embedTexts(embed: APIEmbed): string[] {
  return [
    embed.title ?? "",
    embed.description ?? "",
    ...(embed.fields ?? []).flatMap((field) => [field.name, field.value]),
    embed.footer?.text ?? "",
    embed.author?.name ?? "",
  ];
}

/** Everything Discord would check, plus what this project promises (no live mentions, no broken UTF-16). */
function cardProblems(card: FilmCard): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string): void => {
    if (!ok) problems.push(problem);
  };
  check(card.embeds.length >= 1, "no embed");
  check(totalEmbedLength(card.embeds) <= MESSAGE_EMBEDS_TOTAL_LIMIT, `total ${totalEmbedLength(card.embeds)}`);
  for (const embed of card.embeds) {
    const title = embed.title ?? "";
    check(title.length > 0 && title.length <= EMBED_TITLE_LIMIT, `title length ${title.length}`);
    if (embed.description !== undefined) {
      check(
        embed.description.length > 0 && embed.description.length <= EMBED_DESCRIPTION_LIMIT,
        `description length ${embed.description.length}`,
      );
    }
    check((embed.fields?.length ?? 0) <= EMBED_FIELD_COUNT_LIMIT, "too many fields");
    for (const field of embed.fields ?? []) {
      check(field.name.trim().length > 0 && field.name.length <= EMBED_FIELD_NAME_LIMIT, `field name ${field.name}`);
      check(
        field.value.trim().length > 0 && field.value.length <= EMBED_FIELD_VALUE_LIMIT,
        `field value length ${field.value.length}`,
      );
      check(!/^(null|undefined)$|undefined|NaN/.test(field.value), `field value ${field.value}`);
    }
    if (embed.footer !== undefined) {
      check(
        embed.footer.text.length > 0 && embed.footer.text.length <= EMBED_FOOTER_TEXT_LIMIT,
        `footer length ${embed.footer.text.length}`,
      );
    }
    for (const text of embedTexts(embed)) {
      check(!LONE_SURROGATE.test(text), `lone surrogate in ${text.slice(0, 40)}`);
      check(!LIVE_MENTION.test(text), `live mention in ${text.slice(0, 40)}`);
    }
  }
  check(card.components.length <= 5, "too many rows");
  const ids = buttonIds(card);
  for (const row of card.components) {
    check(row.components.length > 0 && row.components.length <= 5, `row of ${row.components.length}`);
    for (const button of row.components) {
      check(("label" in button ? (button.label?.length ?? 0) : 0) <= BUTTON_LABEL_LIMIT, "long label");
      // A link button has an https address within Discord's limit, and no custom id.
      if ("url" in button) {
        check(button.style === 5 && !("custom_id" in button), `link button ${button.label}`);
        check(button.url.length <= BUTTON_URL_LIMIT && isHttpsUrl(button.url), `button url ${button.url.slice(0, 40)}`);
      }
    }
  }
  if (card.embeds[0]?.thumbnail !== undefined) {
    const poster = card.embeds[0].thumbnail.url;
    check(poster.length <= EMBED_URL_LIMIT && isHttpsUrl(poster), `poster ${poster.slice(0, 40)}`);
  }
  for (const id of ids) {
    check(id.length <= CUSTOM_ID_LIMIT, `custom id length ${id.length}`);
    check(parseCardButtonId(id) !== null || parseSimilarButtonId(id) !== null, `unparseable custom id ${id}`);
  }
  check(new Set(ids).size === ids.length, `duplicate custom ids ${ids.join(" ")}`);
  return problems;
}

/** Problems of every view and page of a film, labelled. */
function everyCardProblems(film: Film): string[] {
  const problems: string[] = [];
  for (const view of FILM_VIEWS) {
    const pages = cardPageCount(film, view);
    for (let page = 0; page < pages; page++) {
      for (const problem of cardProblems(buildFilmCard(film, view, page)))
        problems.push(`${view} page ${page}: ${problem}`);
    }
  }
  return problems;
}

/** The custom ids of the card's buttons (link buttons have none). */
function buttonIds(card: FilmCard): string[] {
  return card.components.flatMap((row) =>
    row.components.flatMap((button) => ("custom_id" in button ? [button.custom_id] : [])),
  );
}

function fieldValue(film: Film, name: string): string | undefined {
  return buildFilmCard(film).embeds[0]?.fields?.find((field) => field.name === name)?.value;
}

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe("buildFilmCard: the seed film", () => {
  it("renders the overview exactly", () => {
    const card = buildFilmCard(seedFilm());
    expect(card.embeds).toEqual([
      {
        title: "Miss You Already (2015)",
        description:
          "The friendship between two life-long girlfriends is put to the test when one starts a family and the other falls ill.\n\n" +
          seedFilm().synopsis,
        fields: [
          { name: "Rating", value: "6.6/10 (567 votes)", inline: true },
          { name: "Critics", value: "46/100", inline: true },
          { name: "Director", value: "Catherine Hardwicke", inline: true },
          { name: "Stars", value: "Drew Barrymore, Toni Collette, Dominic Cooper", inline: true },
          { name: "Country", value: "UK", inline: true },
          { name: "Language", value: "English", inline: true },
          { name: "Released", value: "6 November 2015", inline: true },
          { name: "Filming locations", value: "London, England, UK", inline: false },
          { name: "Did you know?", value: SEED_TRIVIA, inline: false },
        ],
        footer: { text: "Film id: miss-you-already-2015 (paste it into /movie)" },
        color: 0xe8a33d,
      },
    ]);
  });

  it("offers every view, the current one primary and disabled", () => {
    const card = buildFilmCard(seedFilm());
    expect(card.components).toEqual([
      {
        type: 1,
        components: [
          {
            type: 2,
            style: 1,
            label: "Overview",
            custom_id: "film:v1:overview:0:miss-you-already-2015",
            disabled: true,
          },
          { type: 2, style: 2, label: "Cast", custom_id: "film:v1:cast:0:miss-you-already-2015", disabled: false },
          { type: 2, style: 2, label: "Trivia", custom_id: "film:v1:trivia:0:miss-you-already-2015", disabled: false },
          { type: 2, style: 2, label: "Review", custom_id: "film:v1:review:0:miss-you-already-2015", disabled: false },
          {
            type: 2,
            style: 2,
            label: "Where to watch",
            custom_id: "film:v1:watch:0:miss-you-already-2015",
            disabled: true,
          },
        ],
      },
      {
        type: 1,
        components: [{ type: 2, style: 2, label: "Similar", custom_id: "film:v1:similar:0:miss-you-already-2015" }],
      },
    ]);
  });

  it("lists the cast on one page, a null role as the name alone", () => {
    const card = buildFilmCard(seedFilm(), "cast");
    const [embed] = card.embeds;
    expect(embed?.title).toBe("Miss You Already (2015) — Cast");
    const lines = embed?.description?.split("\n") ?? [];
    expect(lines).toHaveLength(15);
    expect(lines[0]).toBe("**Drew Barrymore** — Jess");
    expect(lines[6]).toBe("**Noah Huntley** — Company executive");
    expect(lines[14]).toBe("**Joanna Bobin**");
    expect(embed?.footer?.text).toBe("Film id: miss-you-already-2015 (paste it into /movie)");
    // The views, then Similar: no pager for one page.
    expect(card.components).toHaveLength(2);
    expect(card.components[0]?.components[1]).toMatchObject({ label: "Cast", style: 1, disabled: true });
  });

  it("numbers the trivia and shows the review paragraphs", () => {
    expect(buildFilmCard(seedFilm(), "trivia").embeds[0]?.description).toBe(`**1.** ${SEED_TRIVIA}`);
    const review = buildFilmCard(seedFilm(), "review").embeds[0];
    expect(review?.title).toBe("Miss You Already (2015) — User review");
    expect(review?.description).toBe(SEED_REVIEW);
  });

  it("keeps every view within every limit", () => {
    expect(everyCardProblems(seedFilm())).toEqual([]);
  });
});

describe("buildFilmCard: field formatting", () => {
  it("formats ratings with thousands separators and optional votes", () => {
    expect(fieldValue({ ...seedFilm(), rating: { score: 8.25, outOf: 10, votes: 1_234_567 } }, "Rating")).toBe(
      "8.3/10 (1,234,567 votes)",
    );
    expect(fieldValue({ ...seedFilm(), rating: { score: 7, outOf: 10, votes: 1 } }, "Rating")).toBe("7.0/10 (1 vote)");
    expect(fieldValue({ ...seedFilm(), rating: { score: 7, outOf: 10, votes: null } }, "Rating")).toBe("7.0/10");
    expect(fieldValue({ ...seedFilm(), rating: { score: Number.NaN, outOf: 10, votes: 3 } }, "Rating")).toBeUndefined();
    expect(fieldValue({ ...seedFilm(), rating: null }, "Rating")).toBeUndefined();
  });

  it("adds runtime and genres when known, with plural labels", () => {
    const film: Film = {
      ...seedFilm(),
      runtimeMinutes: 112,
      genres: ["Comedy", "Drama"],
      directors: ["Joel Coen", "Ethan Coen"],
      countries: ["UK", "USA"],
      languages: ["English", "French"],
      stars: ["Solo Star"],
    };
    const fields = buildFilmCard(film).embeds[0]?.fields ?? [];
    expect(fields.map((field) => field.name)).toEqual([
      "Rating",
      "Critics",
      "Directors",
      "Star",
      "Countries",
      "Languages",
      "Released",
      "Runtime",
      "Genres",
      "Filming locations",
      "Did you know?",
    ]);
    expect(fields.find((field) => field.name === "Runtime")?.value).toBe("1h 52m");
    expect(fields.find((field) => field.name === "Genres")?.value).toBe("Comedy, Drama");
    const runtime = (minutes: number): string | undefined =>
      buildFilmCard({ ...film, runtimeMinutes: minutes }).embeds[0]?.fields?.find((field) => field.name === "Runtime")
        ?.value;
    expect(runtime(45)).toBe("45m");
    expect(runtime(120)).toBe("2h");
    expect(runtime(0)).toBeUndefined();
  });

  it("formats release dates readably and keeps odd ones as written", () => {
    expect(fieldValue({ ...seedFilm(), releaseDate: "2015-11-06" }, "Released")).toBe("6 November 2015");
    expect(fieldValue({ ...seedFilm(), releaseDate: "1999-01-31" }, "Released")).toBe("31 January 1999");
    expect(fieldValue({ ...seedFilm(), releaseDate: "2015-11" }, "Released")).toBe("November 2015");
    expect(fieldValue({ ...seedFilm(), releaseDate: "2015-02-30" }, "Released")).toBe("2015-02-30");
    expect(fieldValue({ ...seedFilm(), releaseDate: "2015-13-01" }, "Released")).toBe("2015-13-01");
    expect(fieldValue({ ...seedFilm(), releaseDate: "sometime in *spring*" }, "Released")).toBe(
      "sometime in \\*spring\\*",
    );
    expect(fieldValue({ ...seedFilm(), releaseDate: "   " }, "Released")).toBeUndefined();
    expect(fieldValue({ ...seedFilm(), releaseDate: null }, "Released")).toBeUndefined();
  });

  it("links the title only to a real http(s) website", () => {
    expect(buildFilmCard(seedFilm()).embeds[0]?.url).toBeUndefined();
    expect(buildFilmCard({ ...seedFilm(), website: "https://example.com/film" }).embeds[0]?.url).toBe(
      "https://example.com/film",
    );
    expect(buildFilmCard({ ...seedFilm(), website: "javascript:alert(1)" }).embeds[0]?.url).toBeUndefined();
    expect(buildFilmCard({ ...seedFilm(), website: "ftp://example.com" }).embeds[0]?.url).toBeUndefined();
  });

  it("escapes film text and neutralises mentions", () => {
    const film: Film = {
      ...seedFilm(),
      title: "*batteries not included",
      year: 1987,
      logline: "@everyone look <@123>",
      stars: ["__Under__"],
    };
    const [embed] = buildFilmCard(film).embeds;
    expect(embed?.title).toBe("\\*batteries not included (1987)");
    expect(embed?.description?.startsWith("@\u200beveryone look <\u200b@123>")).toBe(true);
    expect(embed?.fields?.find((field) => field.name === "Star")?.value).toBe("\\_\\_Under\\_\\_");
  });

  it("shows as many names as fit and how many more there are", () => {
    const stars = Array.from({ length: 500 }, (_unused, index) => `Actor Number ${index}`);
    const value =
      buildFilmCard({ ...seedFilm(), stars }).embeds[0]?.fields?.find((field) => field.name === "Stars")?.value ?? "";
    expect(value.length).toBeLessThanOrEqual(EMBED_FIELD_VALUE_LIMIT);
    expect(value).toMatch(/^Actor Number 0, Actor Number 1, .*, \+\d+ more$/);
    const shown = value.split(", ").length - 1;
    expect(value.endsWith(`+${500 - shown} more`)).toBe(true);
  });
});

describe("buildFilmCard: empty and paged views", () => {
  it("shows friendly text for views without data and disables their buttons", () => {
    const film = { ...emptyFilm("Nothing Known", "empty.txt"), id: "nothing-known" };
    const overview = buildFilmCard(film);
    expect(overview.embeds[0]).toEqual({
      title: "Nothing Known",
      description: "No details listed for this film.",
      footer: { text: "Film id: nothing-known (paste it into /movie)" },
      color: 0xe8a33d,
    });
    expect(overview.components[0]?.components.map((button) => button.disabled)).toEqual([true, true, true, true, true]);
    // Similar stays enabled: whether the catalog has films like it is the catalog's to say, not the record's.
    expect(overview.components[1]?.components).toEqual([expect.objectContaining({ label: "Similar" })]);
    expect(overview.components[1]?.components[0]?.disabled).toBeUndefined();
    expect(buildFilmCard(film, "cast").embeds[0]?.description).toBe("No cast listed for this film.");
    expect(buildFilmCard(film, "trivia").embeds[0]?.description).toBe("No trivia listed for this film.");
    expect(buildFilmCard(film, "review").embeds[0]?.description).toBe("No user review for this film.");
    expect(buildFilmCard(film, "watch").embeds[0]?.description).toBe(
      "No streaming, rental or purchase offers listed for this film in this region.",
    );
    expect(everyCardProblems(film)).toEqual([]);
  });

  it("sends no buttons for a film whose id cannot go in a custom id", () => {
    for (const id of ["", "Has Spaces", "x".repeat(200)]) {
      const card = buildFilmCard({ ...seedFilm(), id }, "cast");
      expect(card.components).toEqual([]);
      expect(card.embeds[0]?.title).toBe("Miss You Already (2015) — Cast");
    }
  });

  it("pages a long cast with ◀ / ▶, disabled at the ends, ids all distinct", () => {
    const cast = Array.from({ length: 45 }, (_unused, index) => ({
      name: `Actor ${index + 1}`,
      role: `Role ${index + 1}`,
    }));
    const film: Film = { ...seedFilm(), cast };
    expect(cardPageCount(film, "cast")).toBe(3);

    const first = buildFilmCard(film, "cast", 0);
    expect(first.embeds[0]?.footer?.text).toBe("Page 1/3 · Film id: miss-you-already-2015 (paste it into /movie)");
    expect(first.embeds[0]?.description?.split("\n")).toHaveLength(20);
    expect(first.components[1]?.components).toEqual([
      { type: 2, style: 2, label: "◀", custom_id: "film:v1:cast:0:miss-you-already-2015:prev", disabled: true },
      { type: 2, style: 2, label: "▶", custom_id: "film:v1:cast:1:miss-you-already-2015:next", disabled: false },
    ]);

    const middle = buildFilmCard(film, "cast", 1);
    expect(middle.embeds[0]?.footer?.text.startsWith("Page 2/3")).toBe(true);
    expect(middle.embeds[0]?.description?.split("\n")[0]).toBe("**Actor 21** — Role 21");
    expect(
      middle.components[1]?.components.map((button) => [
        button.disabled,
        "custom_id" in button ? parseCardButtonId(button.custom_id)?.page : -1,
      ]),
    ).toEqual([
      [false, 0],
      [false, 2],
    ]);

    const last = buildFilmCard(film, "cast", 2);
    expect(last.embeds[0]?.description?.split("\n")).toHaveLength(5);
    expect(last.components[1]?.components.map((button) => button.disabled)).toEqual([false, true]);
    expect(everyCardProblems(film)).toEqual([]);
  });

  it("clamps out-of-range pages", () => {
    const cast = Array.from({ length: 45 }, (_unused, index) => ({ name: `Actor ${index + 1}`, role: null }));
    const film: Film = { ...seedFilm(), cast };
    expect(buildFilmCard(film, "cast", 99).embeds[0]?.footer?.text.startsWith("Page 3/3")).toBe(true);
    expect(buildFilmCard(film, "cast", -4).embeds[0]?.footer?.text.startsWith("Page 1/3")).toBe(true);
    expect(buildFilmCard(film, "cast", Number.NaN).embeds[0]?.footer?.text.startsWith("Page 1/3")).toBe(true);
    expect(buildFilmCard(film, "overview", 5)).toEqual(buildFilmCard(film, "overview", 0));
  });

  it("pages long trivia, numbering across pages", () => {
    const trivia = Array.from(
      { length: 40 },
      (_unused, index) => `Fact ${index + 1}: ${"interesting detail ".repeat(20)}`,
    );
    const film: Film = { ...seedFilm(), trivia };
    const pages = cardPageCount(film, "trivia");
    expect(pages).toBeGreaterThan(1);
    const second = buildFilmCard(film, "trivia", 1).embeds[0]?.description ?? "";
    expect(second).toMatch(/^\*\*\d+\.\*\* Fact \d+:/);
    expect(second.startsWith("**1.**")).toBe(false);
    const numbers: number[] = [];
    for (let page = 0; page < pages; page++) {
      const text = buildFilmCard(film, "trivia", page).embeds[0]?.description ?? "";
      for (const match of text.matchAll(/^\*\*(\d+)\.\*\*/gm)) numbers.push(Number(match[1]));
    }
    expect(numbers).toEqual(Array.from({ length: 40 }, (_unused, index) => index + 1));
    expect(everyCardProblems(film)).toEqual([]);
  });
});

/** Markdown, mentions, emoji, RTL text, control characters and sheer size in every field. */
function pathologicalFilm(castSize: number, triviaSize: number): Film {
  const nasty =
    "**bold** __u__ ~~s~~ ||spoil|| `code` > quote\n# head\n- item\n-# sub [link](https://evil.example) @everyone @here <@123> <@&456> <#789> 😀👨‍👩‍👧 שלום עולם \u0007\u001b[31m\\";
  const huge = (repeat: number): string => nasty.repeat(repeat);
  return {
    id: "pathological-film-" + "9".repeat(40),
    title: huge(50),
    year: 2024,
    releaseDate: huge(5),
    logline: huge(300),
    synopsis: huge(2000),
    rating: { score: 9.87654, outOf: 10, votes: 123_456_789_012 },
    criticScore: 99.6,
    directors: Array.from({ length: 300 }, (_unused, index) => `${index} ${huge(3)}`),
    stars: Array.from({ length: 10_000 }, () => huge(2)),
    cast: Array.from({ length: castSize }, (_unused, index) => ({
      name: `${index} ${huge(4)}`,
      role: index % 3 === 0 ? null : huge(4),
    })),
    countries: Array.from({ length: 200 }, () => huge(1)),
    languages: Array.from({ length: 200 }, () => huge(1)),
    filmingLocations: huge(1000),
    genres: Array.from({ length: 100 }, () => "@everyone *genre*"),
    runtimeMinutes: 99_999,
    trivia: Array.from({ length: triviaSize }, (_unused, index) => `${index} ${huge(index % 7 === 0 ? 200 : 3)}`),
    review: huge(3000),
    website: `https://example.com/${"a".repeat(3000)}`,
    technicalSpecs: { Runtime: huge(10) },
    source: `@everyone/${huge(100)}`,
    imdbId: `tt${"9".repeat(40)}`,
    tmdbId: Number.MAX_SAFE_INTEGER,
    poster: `https://example.com/${"p".repeat(3000)}.jpg`,
    tagline: huge(100),
    certification: huge(5),
    certifications: { GB: huge(5), US: "@everyone" },
    adult: false,
    alternateTitles: Array.from({ length: 500 }, () => huge(2)),
    keywords: Array.from({ length: 500 }, () => huge(1)),
    trailer: `https://example.com/${"t".repeat(600)}`,
    watchProviders: {
      US: {
        link: `https://example.com/watch/${huge(1)}`,
        streaming: Array.from({ length: 500 }, (_unused, index) => `${index} ${huge(1)}`),
        rent: Array.from({ length: 500 }, () => huge(2)),
        buy: [huge(300)],
      },
    },
  };
}

describe("buildFilmCard: pathological films", () => {
  it("stays within every limit on every view and page (1000 cast, 300 trivia)", () => {
    const film = pathologicalFilm(1000, 300);
    expect(cardPageCount(film, "cast")).toBe(50);
    expect(everyCardProblems(film)).toEqual([]);
  });

  it("handles 10 000 cast members and 500 trivia items", () => {
    const film = pathologicalFilm(10_000, 500);
    const castPages = cardPageCount(film, "cast");
    expect(castPages).toBe(500);
    const triviaPages = cardPageCount(film, "trivia");
    const cards = [
      ...[0, 1, 250, castPages - 1].map((page) => buildFilmCard(film, "cast", page)),
      ...[0, Math.floor(triviaPages / 2), triviaPages - 1].map((page) => buildFilmCard(film, "trivia", page)),
      buildFilmCard(film),
    ];
    expect(cards.flatMap(cardProblems)).toEqual([]);
  });

  it("never throws for odd values", () => {
    const odd: Film = {
      ...emptyFilm("", ""),
      id: "odd",
      year: Number.NaN,
      title: "   \n\t ",
      rating: { score: Number.POSITIVE_INFINITY, outOf: 10, votes: Number.NaN },
      criticScore: Number.NaN,
      runtimeMinutes: -5,
      releaseDate: "",
      logline: "",
      synopsis: "\n\n\n",
      cast: [
        { name: "", role: "" },
        { name: "   ", role: null },
      ],
      trivia: ["", "  ", "\u200b"],
      stars: [""],
      review: "   ",
      website: "not a url",
    };
    expect(everyCardProblems(odd)).toEqual([]);
    expect(buildFilmCard(odd).embeds[0]?.title).toBe("Untitled film");
    expect(buildFilmCard(odd).components[0]?.components.map((button) => button.disabled)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
  });
});

/** A film with every rich field, as the TMDb and IMDb imports and the merge give it. */
function richFilm(): Film {
  return {
    ...seedFilm(),
    imdbId: "tt4139124",
    tmdbId: 301502,
    poster: "https://image.tmdb.org/t/p/w500/miss-you-already.jpg",
    tagline: "Friends **forever** @everyone",
    certification: "PG-13",
    runtimeMinutes: 112,
    genres: ["Comedy", "Drama"],
    trailer: "https://www.youtube.com/watch?v=abc-123",
    watchProviders: {
      US: {
        link: "https://www.themoviedb.org/movie/301502-miss-you-already/watch?locale=US",
        streaming: ["Netflix", "Hulu"],
        rent: ["Apple TV"],
        buy: [],
      },
      GB: { link: null, streaming: [], rent: [], buy: ["Sky Store"] },
      FR: { link: null, streaming: [], rent: [], buy: [] },
    },
  };
}

/** The labels of the card's link buttons. */
function linkLabels(film: Film): string[] {
  return buildFilmCard(film)
    .components.flatMap((row) => row.components)
    .flatMap((button) => ("url" in button ? [button.label ?? ""] : []));
}

const SIMILAR_BUTTON = {
  type: 2,
  style: 2,
  label: "Similar",
  custom_id: "film:v1:similar:0:miss-you-already-2015",
};

const LINK_ROW = {
  type: 1,
  components: [
    { type: 2, style: 5, label: "IMDb", url: "https://www.imdb.com/title/tt4139124/" },
    { type: 2, style: 5, label: "TMDb", url: "https://www.themoviedb.org/movie/301502" },
    { type: 2, style: 5, label: "Letterboxd", url: "https://letterboxd.com/imdb/tt4139124/" },
    { type: 2, style: 5, label: "Trailer", url: "https://www.youtube.com/watch?v=abc-123" },
  ],
};

describe("buildFilmCard: a rich record", () => {
  it("shows the poster, the tagline in italics (escaped), the certificate and TMDb's notice", () => {
    const [embed] = buildFilmCard(richFilm()).embeds;
    expect(embed?.thumbnail).toEqual({ url: "https://image.tmdb.org/t/p/w500/miss-you-already.jpg" });
    expect(embed?.description?.split("\n\n")[0]).toBe("*Friends \\*\\*forever\\*\\* @\u200beveryone*");
    expect(embed?.description?.split("\n\n")[1]).toBe(seedFilm().logline);
    expect(embed?.fields?.map((field) => field.name)).toEqual([
      "Rating",
      "Critics",
      "Director",
      "Stars",
      "Country",
      "Language",
      "Released",
      "Certificate",
      "Runtime",
      "Genres",
      "Filming locations",
      "Did you know?",
    ]);
    expect(embed?.fields?.find((field) => field.name === "Certificate")).toEqual({
      name: "Certificate",
      value: "PG-13",
      inline: true,
    });
    expect(embed?.footer?.text).toBe(
      "Film id: miss-you-already-2015 (paste it into /movie) · " +
        "This product uses the TMDB API but is not endorsed or certified by TMDB.",
    );
    expect(everyCardProblems(richFilm())).toEqual([]);
  });

  it("shows the certificate of the region asked for, else the record's own", () => {
    const film = { ...richFilm(), certifications: { US: "PG-13", GB: "12A" } };
    const certificate = (region: string) =>
      buildFilmCard(film, "overview", 0, region).embeds[0]?.fields?.find((field) => field.name === "Certificate");
    expect(certificate("GB")?.value).toBe("12A");
    expect(certificate("FR")?.value).toBe("PG-13");
  });

  it("keeps Similar and the links on a row of their own under every view, after the views and the pager", () => {
    const film: Film = {
      ...richFilm(),
      cast: Array.from({ length: 45 }, (_unused, index) => ({ name: `Actor ${index}`, role: null })),
    };
    for (const view of FILM_VIEWS) {
      const rows = buildFilmCard(film, view).components;
      expect(rows[0]?.components.map((button) => ("label" in button ? button.label : ""))).toEqual([
        "Overview",
        "Cast",
        "Trivia",
        "Review",
        "Where to watch",
      ]);
      // Five buttons: Discord's most for a row.
      expect(rows.at(-1)).toEqual({ type: 1, components: [SIMILAR_BUTTON, ...LINK_ROW.components] });
      expect(rows).toHaveLength(view === "cast" ? 3 : 2);
    }
  });

  it("links only what the film has, and only addresses Discord takes", () => {
    expect(linkLabels(seedFilm())).toEqual([]);
    expect(linkLabels({ ...seedFilm(), tmdbId: 603 })).toEqual(["TMDb"]);
    expect(
      linkLabels({ ...richFilm(), imdbId: "nm0000206", trailer: `https://example.com/${"t".repeat(600)}` }),
    ).toEqual(["TMDb"]);
    expect(linkLabels({ ...richFilm(), tmdbId: -1, trailer: "http://example.com/trailer" })).toEqual([
      "IMDb",
      "Letterboxd",
    ]);
    for (const poster of ["http://example.com/p.jpg", "https://example.com/a b.jpg", "javascript:alert(1)"])
      expect(buildFilmCard({ ...richFilm(), poster }).embeds[0]?.thumbnail).toBeUndefined();
    // A film whose id cannot go in a button id still gets its links.
    expect(buildFilmCard({ ...richFilm(), id: "Has Spaces" }).components).toEqual([LINK_ROW]);
  });

  it("lists where to watch in the region, with TMDb's link and JustWatch's credit", () => {
    const card = buildFilmCard(richFilm(), "watch");
    expect(card.embeds[0]).toMatchObject({
      title: "Miss You Already (2015) — Where to watch",
      description:
        "Where to watch in US: https://www.themoviedb.org/movie/301502-miss-you-already/watch?locale=US\n\n" +
        "Streaming data by JustWatch",
      fields: [
        { name: "Streaming", value: "Netflix, Hulu", inline: true },
        { name: "Rent", value: "Apple TV", inline: true },
      ],
    });
    expect(card.components[0]?.components[4]).toMatchObject({ label: "Where to watch", style: 1, disabled: true });
    expect(buildFilmCard(richFilm(), "watch", 0, "GB").embeds[0]).toMatchObject({
      description: "Where to watch in GB\n\nStreaming data by JustWatch",
      fields: [{ name: "Buy", value: "Sky Store", inline: true }],
    });
  });

  it("enables Where to watch only when the film has providers in the region", () => {
    const watchButton = (region: string) =>
      buildFilmCard(richFilm(), "overview", 0, region).components[0]?.components[4];
    expect(watchButton("US")).toMatchObject({ custom_id: "film:v1:watch:0:miss-you-already-2015", disabled: false });
    expect(watchButton("GB")?.disabled).toBe(false);
    // FR has the region but no provider; DE nothing at all; "us" is no region code.
    for (const region of ["FR", "DE", "us", "__proto__"]) expect(watchButton(region)?.disabled).toBe(true);
    expect(buildFilmCard(richFilm(), "watch", 0, "DE").embeds[0]?.description).toBe(
      "No streaming, rental or purchase offers listed for this film in this region.",
    );
  });
});

describe("card button ids", () => {
  const ids = ["miss-you-already-2015", "a", "x".repeat(72), "film-0a1b2c3d-1999"];

  it("round-trip, stay within 100 characters and carry the pager slot", () => {
    for (const filmId of ids) {
      for (const view of FILM_VIEWS) {
        for (const page of [0, 1, 42, MAX_CARD_PAGE]) {
          for (const slot of [undefined, "prev", "next"] as const) {
            const id = encodeCardButtonId({ filmId, view, page }, slot);
            expect(id.length).toBeLessThanOrEqual(CUSTOM_ID_LIMIT);
            expect(id.startsWith("film:v1:")).toBe(true);
            expect(parseCardButtonId(id)).toEqual({ filmId, view, page });
          }
        }
      }
    }
  });

  it("read the ids of every view, those sent before Where to watch existed too", () => {
    expect(parseCardButtonId("film:v1:review:0:miss-you-already-2015")).toEqual({
      filmId: "miss-you-already-2015",
      view: "review",
      page: 0,
    });
    expect(parseCardButtonId("film:v1:cast:2:miss-you-already-2015:next")).toMatchObject({ view: "cast", page: 2 });
    expect(parseCardButtonId("film:v1:watch:0:miss-you-already-2015")).toMatchObject({ view: "watch", page: 0 });
  });

  it("refuse to encode what could not be parsed back", () => {
    const bad: [string, FilmView, number][] = [
      ["", "cast", 0],
      ["Upper", "cast", 0],
      ["has space", "cast", 0],
      ["x".repeat(73), "cast", 0],
      ["ok", "cast", -1],
      ["ok", "cast", 1.5],
      ["ok", "cast", MAX_CARD_PAGE + 1],
      ["ok", "cast", Number.NaN],
    ];
    for (const [filmId, view, page] of bad)
      expect(() => encodeCardButtonId({ filmId, view, page })).toThrow(RangeError);
  });

  it("reject hostile ids", () => {
    const hostile: unknown[] = [
      "",
      "film:v1",
      "film:v1:cast:0:",
      "film:v2:cast:0:miss-you-already-2015",
      "films:v1:cast:0:miss-you-already-2015",
      "FILM:v1:cast:0:miss-you-already-2015",
      "film:v1:poster:0:miss-you-already-2015",
      "film:v1:cast:-1:miss-you-already-2015",
      "film:v1:cast:1.5:miss-you-already-2015",
      "film:v1:cast:01:miss-you-already-2015",
      "film:v1:cast:10000:miss-you-already-2015",
      "film:v1:cast:1e3:miss-you-already-2015",
      "film:v1:cast: 1:miss-you-already-2015",
      "film:v1:cast:0:Miss-You",
      "film:v1:cast:0:miss you",
      "film:v1:cast:0:miss-you-already-2015:later",
      "film:v1:cast:0:miss-you-already-2015:prev:next",
      "film:v1:cast:0:miss-you-already-2015\n",
      "film:v1:__proto__:0:x",
      `film:v1:cast:0:${"x".repeat(73)}`,
      `film:v1:cast:0:${"x".repeat(200)}`,
      null,
      undefined,
      42,
      { filmId: "x" },
    ];
    expect(hostile.map((id) => parseCardButtonId(id)).filter((parsed) => parsed !== null)).toEqual([]);
  });

  it("never throw on random or mutated input", () => {
    const next = rng(99);
    const alphabet = "film:v1castoverviewtriviareviewprevnext0123456789-_ :\u0000😀\\/ABCxyz";
    const valid = encodeCardButtonId({ filmId: "miss-you-already-2015", view: "trivia", page: 12 }, "next");
    const accepted: { candidate: string; parsed: CardButtonTarget }[] = [];
    for (let round = 0; round < 5000; round++) {
      let candidate: string;
      if (round % 2 === 0) {
        candidate = "";
        const length = Math.floor(next() * 130);
        for (let index = 0; index < length; index++) candidate += alphabet[Math.floor(next() * alphabet.length)] ?? "";
      } else {
        const chars = Array.from(valid);
        const position = Math.floor(next() * chars.length);
        chars[position] = alphabet[Math.floor(next() * alphabet.length)] ?? "";
        candidate = chars.join("");
      }
      const parsed = parseCardButtonId(candidate);
      if (parsed !== null) accepted.push({ candidate, parsed });
    }
    // Anything accepted must be exactly what encoding that target produces.
    const reencoded = accepted.map(({ candidate, parsed }) => {
      const slot = candidate.endsWith(":prev") ? "prev" : candidate.endsWith(":next") ? "next" : undefined;
      return encodeCardButtonId(parsed, slot) === candidate;
    });
    expect(reencoded.every(Boolean)).toBe(true);
  });

  it("are unique within each message, even when ◀ and a view button would point at the same page", () => {
    const cast = Array.from({ length: 41 }, (_unused, index) => ({ name: `Actor ${index}`, role: null }));
    const film: Film = { ...seedFilm(), cast };
    for (let page = 0; page < cardPageCount(film, "cast"); page++) {
      const idsInMessage = buttonIds(buildFilmCard(film, "cast", page));
      expect(new Set(idsInMessage).size).toBe(idsInMessage.length);
    }
  });
});

describe("the Similar button's id", () => {
  it("round-trips every encodable film id within 100 characters, in the card id's scheme", () => {
    for (const filmId of ["miss-you-already-2015", "a", "x".repeat(72), "film-0a1b2c3d-1999"]) {
      const id = encodeSimilarButtonId(filmId);
      expect(id).toBe(`film:v1:similar:0:${filmId}`);
      expect(id.length).toBeLessThanOrEqual(CUSTOM_ID_LIMIT);
      expect(parseSimilarButtonId(id)).toEqual({ filmId });
      // Not a view the card builder draws: the card's own handler must not take it.
      expect(parseCardButtonId(id)).toBeNull();
    }
    for (const filmId of ["", "Upper", "has space", "x".repeat(73)])
      expect(() => encodeSimilarButtonId(filmId)).toThrow(RangeError);
  });

  it("rejects hostile and malformed ids", () => {
    const hostile: unknown[] = [
      "",
      "film:v1:similar",
      "film:v1:similar:0:",
      "film:v1:similar:1:miss-you-already-2015",
      "film:v2:similar:0:miss-you-already-2015",
      "FILM:v1:similar:0:miss-you-already-2015",
      "film:v1:similar:0:Miss-You",
      "film:v1:similar:0:miss you",
      "film:v1:similar:0:miss-you-already-2015:next",
      "film:v1:similar:0:miss-you-already-2015\n",
      "film:v1:similar:0:../../etc/passwd",
      "film:v1:overview:0:miss-you-already-2015",
      `film:v1:similar:0:${"x".repeat(73)}`,
      `film:v1:similar:0:${"x".repeat(500)}`,
      null,
      undefined,
      42,
      { filmId: "x" },
    ];
    expect(hostile.map((id) => parseSimilarButtonId(id)).filter((parsed) => parsed !== null)).toEqual([]);
  });

  it("sits on its own row under the views and the pager, on every view, and never on a card without buttons", () => {
    for (const view of FILM_VIEWS) {
      const rows = buildFilmCard(seedFilm(), view).components;
      expect(rows.at(-1)).toEqual({ type: 1, components: [SIMILAR_BUTTON] });
    }
    expect(buildFilmCard({ ...seedFilm(), id: "Has Spaces" }).components).toEqual([]);
  });
});
