import type { APIEmbed } from "discord-api-types/v10";
import { describe, expect, it } from "vitest";
import {
  EMBED_DESCRIPTION_LIMIT,
  EMBED_FIELD_NAME_LIMIT,
  EMBED_FIELD_VALUE_LIMIT,
  EMBED_FOOTER_TEXT_LIMIT,
  EMBED_TITLE_LIMIT,
  MESSAGE_EMBEDS_TOTAL_LIMIT,
  clip,
  embedLength,
  fitMessage,
  totalEmbedLength,
  truncate,
} from "../../src/cards/limits.js";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Deterministic pseudo-random numbers, so failures reproduce. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function randomText(next: () => number, length: number): string {
  const pieces = [
    "a",
    "word",
    " ",
    " ",
    "\n",
    "*",
    "_",
    "\\",
    "~",
    "`",
    "|",
    ">",
    "#",
    "-",
    ".",
    ",",
    "😀",
    "👨‍👩‍👧",
    "é",
    "שלום",
    "@everyone",
  ];
  let text = "";
  while (text.length < length) text += pieces[Math.floor(next() * pieces.length)] ?? "";
  return text;
}

describe("truncate", () => {
  it("returns text that already fits unchanged", () => {
    expect(truncate("Miss You Already", 16)).toBe("Miss You Already");
    expect(truncate("", 0)).toBe("");
  });

  it("cuts at a word boundary and appends an ellipsis", () => {
    expect(truncate("The quick brown fox jumps", 12)).toBe("The quick…");
    expect(truncate("The quick brown fox jumps", 16)).toBe("The quick brown…");
  });

  it("leaves no whitespace or punctuation dangling before the ellipsis", () => {
    expect(truncate("Hello, world. Again and again", 14)).toBe("Hello, world…");
    expect(truncate("One two,   three four", 10)).toBe("One two…");
  });

  it("cuts inside a word that is longer than the room", () => {
    expect(truncate("Supercalifragilistic", 5)).toBe("Supe…");
    expect(truncate("a Supercalifragilisticexpialidocious", 12)).toBe("a Supercali…");
  });

  it("handles tiny maxima", () => {
    expect(truncate("Supercalifragilistic", 1)).toBe("…");
    expect(truncate("Supercalifragilistic", 0)).toBe("");
    expect(truncate("Supercalifragilistic", -5)).toBe("");
    expect(truncate("Supercalifragilistic", Number.NaN)).toBe("");
    expect(truncate("ab", 2)).toBe("ab");
  });

  it("never splits a surrogate pair or an emoji sequence", () => {
    expect(truncate("😀😀😀😀", 4)).toBe("😀…");
    expect(truncate("😀😀😀😀", 3)).toBe("😀…");
    expect(truncate("😀😀😀😀", 2)).toBe("…");
    const family = "👨‍👩‍👧‍👦";
    for (let max = 1; max < family.length * 2; max++) {
      const cut = truncate(family + family, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(["", family, family + family].map((kept) => kept + "…")).toContain(cut === "" ? "…" : cut);
    }
  });

  it("never leaves half an escape sequence", () => {
    const escaped = "snake\\_case \\*\\*bold\\*\\* \\~\\~ \\\\ end";
    const halfCut: string[] = [];
    for (let max = 1; max <= escaped.length; max++) {
      const cut = truncate(escaped, max);
      const trailingBackslashes = /\\*…?$/.exec(cut)?.[0].replace("…", "").length ?? 0;
      if (trailingBackslashes % 2 === 1) halfCut.push(cut);
    }
    expect(halfCut).toEqual([]);
  });

  it("never exceeds the maximum and never produces lone surrogates (random texts)", () => {
    const next = rng(42);
    const bad: { text: string; max: number; cut: string }[] = [];
    for (let round = 0; round < 2000; round++) {
      const text = randomText(next, Math.floor(next() * 300));
      const max = Math.floor(next() * 320);
      const cut = truncate(text, max);
      const expectedShape = text.length <= max ? cut === text : cut.endsWith("…") || cut === "";
      if (cut.length > max || LONE_SURROGATE.test(cut) || !expectedShape) bad.push({ text, max, cut });
    }
    expect(bad).toEqual([]);
  });
});

describe("clip", () => {
  it("keeps a prefix without splitting a surrogate pair", () => {
    expect(clip("abc", 5)).toBe("abc");
    expect(clip("a😀b", 2)).toBe("a");
    expect(clip("a😀b", 3)).toBe("a😀");
  });
});

describe("embedLength", () => {
  it("counts title, description, field names and values, footer and author name", () => {
    const embed: APIEmbed = {
      title: "abc",
      description: "defgh",
      url: "https://example.com/not-counted",
      fields: [
        { name: "ij", value: "klm" },
        { name: "n", value: "o", inline: true },
      ],
      footer: { text: "pq" },
      author: { name: "rst" },
      color: 0xffffff,
    };
    expect(embedLength(embed)).toBe(3 + 5 + 2 + 3 + 1 + 1 + 2 + 3);
    expect(embedLength({})).toBe(0);
    expect(embedLength({ title: "😀" })).toBe(2);
  });
});

function maximalEmbed(title: string): APIEmbed {
  return {
    title: title.repeat(EMBED_TITLE_LIMIT),
    description: "word ".repeat(2000),
    fields: Array.from({ length: 30 }, (_unused, index) => ({
      name: `Field ${index} `.repeat(40),
      value: "value text ".repeat(200),
      inline: index % 2 === 0,
    })),
    footer: { text: "footer ".repeat(500) },
    author: { name: "author ".repeat(60) },
  };
}

function expectEachTextWithinItsLimit(embeds: readonly APIEmbed[]): void {
  for (const embed of embeds) {
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(EMBED_TITLE_LIMIT);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(EMBED_DESCRIPTION_LIMIT);
    expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(25);
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeGreaterThan(0);
      expect(field.name.length).toBeLessThanOrEqual(EMBED_FIELD_NAME_LIMIT);
      expect(field.value.length).toBeGreaterThan(0);
      expect(field.value.length).toBeLessThanOrEqual(EMBED_FIELD_VALUE_LIMIT);
    }
    expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(EMBED_FOOTER_TEXT_LIMIT);
  }
}

describe("fitMessage", () => {
  it("returns a message that already fits unchanged", () => {
    const embeds: APIEmbed[] = [
      { title: "Miss You Already (2015)", description: "Short.", fields: [{ name: "Rating", value: "6.6/10" }] },
    ];
    expect(fitMessage(embeds)).toEqual(embeds);
  });

  it("brings a maximal embed within every limit and keeps the title", () => {
    const input = maximalEmbed("T");
    const fitted = fitMessage([input]);
    expect(totalEmbedLength(fitted)).toBeLessThanOrEqual(MESSAGE_EMBEDS_TOTAL_LIMIT);
    expectEachTextWithinItsLimit(fitted);
    expect(fitted[0]?.title).toBe("T".repeat(EMBED_TITLE_LIMIT));
  });

  it("shrinks the longest texts first and leaves short ones whole", () => {
    const embed: APIEmbed = {
      title: "Title",
      description: "long synopsis text ".repeat(215),
      fields: [
        { name: "Critics", value: "46/100" },
        { name: "Review", value: "long review text ".repeat(60) },
        { name: "Trivia", value: "long trivia text ".repeat(60) },
      ],
    };
    expect(embedLength(embed)).toBeGreaterThan(MESSAGE_EMBEDS_TOTAL_LIMIT);
    const [fitted] = fitMessage([embed]);
    expect(totalEmbedLength(fitted === undefined ? [] : [fitted])).toBeLessThanOrEqual(MESSAGE_EMBEDS_TOTAL_LIMIT);
    expect(fitted?.fields?.[0]?.value).toBe("46/100");
    expect(fitted?.fields).toHaveLength(3);
    expect(fitted?.description?.endsWith("…")).toBe(true);
    // The field values were shorter than the cap the description was cut to, so they stay whole.
    expect(fitted?.fields?.[1]?.value).toBe(embed.fields?.[1]?.value);
  });

  it("drops trailing fields when shrinking alone would leave texts uselessly short", () => {
    const embed: APIEmbed = {
      title: "Title",
      fields: Array.from({ length: 25 }, (_unused, index) => ({
        name: `Field ${index} `.padEnd(200, "x"),
        value: "v ".repeat(400),
      })),
    };
    const [fitted] = fitMessage([embed]);
    const fields = fitted?.fields ?? [];
    expect(fields.length).toBeLessThan(25);
    expect(fields.length).toBeGreaterThan(0);
    // The fields kept are the leading ones, in order.
    expect(fields.map((field) => field.name)).toEqual(embed.fields?.slice(0, fields.length).map((field) => field.name));
    expect(totalEmbedLength(fitted === undefined ? [] : [fitted])).toBeLessThanOrEqual(MESSAGE_EMBEDS_TOTAL_LIMIT);
  });

  it("fits ten maximal embeds, keeping every title", () => {
    const input = Array.from({ length: 12 }, (_unused, index) => maximalEmbed(String.fromCharCode(65 + index)));
    const fitted = fitMessage(input);
    expect(fitted).toHaveLength(10);
    expect(totalEmbedLength(fitted)).toBeLessThanOrEqual(MESSAGE_EMBEDS_TOTAL_LIMIT);
    expectEachTextWithinItsLimit(fitted);
    fitted.forEach((embed, index) =>
      expect(embed.title).toBe(String.fromCharCode(65 + index).repeat(EMBED_TITLE_LIMIT)),
    );
  });

  it("does not modify its input", () => {
    const input = maximalEmbed("T");
    const copy = structuredClone(input);
    fitMessage([input]);
    expect(input).toEqual(copy);
  });

  it("makes empty field texts valid", () => {
    const [fitted] = fitMessage([{ fields: [{ name: "", value: "" }] }]);
    expect(fitted?.fields?.[0]?.name.length).toBeGreaterThan(0);
    expect(fitted?.fields?.[0]?.value.length).toBeGreaterThan(0);
  });

  it("always fits random messages", () => {
    const next = rng(7);
    for (let round = 0; round < 200; round++) {
      const embeds: APIEmbed[] = Array.from({ length: 1 + Math.floor(next() * 4) }, () => ({
        title: randomText(next, Math.floor(next() * 400)),
        description: randomText(next, Math.floor(next() * 5000)),
        fields: Array.from({ length: Math.floor(next() * 30) }, () => ({
          name: randomText(next, 1 + Math.floor(next() * 300)),
          value: randomText(next, 1 + Math.floor(next() * 1500)),
        })),
        footer: { text: randomText(next, Math.floor(next() * 100)) },
      }));
      const fitted = fitMessage(embeds);
      expect(totalEmbedLength(fitted)).toBeLessThanOrEqual(MESSAGE_EMBEDS_TOTAL_LIMIT);
      expectEachTextWithinItsLimit(fitted);
      fitted.forEach((embed, index) =>
        expect(embed.title).toBe(truncate(embeds[index]?.title ?? "", EMBED_TITLE_LIMIT)),
      );
    }
  });
});
