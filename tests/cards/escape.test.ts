import { describe, expect, it } from "vitest";
import {
  cleanLine,
  cleanText,
  escapeText,
  escapeWithin,
  neutraliseMentions,
  unescapeText,
} from "../../src/cards/escape.js";

const ZWSP = "\u200b";

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe("escapeText", () => {
  it("leaves a plain sentence unchanged", () => {
    const sentence =
      "Milly and Jess have been best friends forever. They've shared everything - secrets, clothes, laughs.";
    expect(escapeText(sentence)).toBe(sentence);
  });

  it("keeps the asterisk of *batteries not included", () => {
    expect(escapeText("*batteries not included")).toBe("\\*batteries not included");
  });

  it("escapes bold, underline, strikethrough, spoilers and backslashes", () => {
    expect(escapeText("**bold**")).toBe("\\*\\*bold\\*\\*");
    expect(escapeText("snake_case_name")).toBe("snake\\_case\\_name");
    expect(escapeText("__under__")).toBe("\\_\\_under\\_\\_");
    expect(escapeText("~~gone~~")).toBe("\\~\\~gone\\~\\~");
    expect(escapeText("||twist||")).toBe("\\|\\|twist\\|\\|");
    expect(escapeText("C:\\films")).toBe("C:\\\\films");
  });

  it("escapes backticks", () => {
    expect(escapeText("`rm -rf`")).toBe("\\`rm -rf\\`");
    expect(escapeText("```js\ncode\n```")).toBe("\\`\\`\\`js\ncode\n\\`\\`\\`");
  });

  it("escapes headings, lists, quotes and subtext at line start only", () => {
    expect(escapeText("# Big")).toBe("\\# Big");
    expect(escapeText("## Smaller\n### Smallest")).toBe("\\## Smaller\n\\### Smallest");
    expect(escapeText("- item\n* star item")).toBe("\\- item\n\\* star item");
    expect(escapeText("1. first\n2. second")).toBe("1\\. first\n2\\. second");
    expect(escapeText("> quoted\n>>> all the rest")).toBe("\\> quoted\n\\>>> all the rest");
    expect(escapeText("-# small print")).toBe("\\-# small print");
    expect(escapeText("Number #1 - the best > the rest")).toBe("Number #1 - the best > the rest");
  });

  it("breaks every masked link on a line", () => {
    const escaped = escapeText("[a] see [click](https://evil.example) and [here](<https://evil.example>)");
    expect(escaped).not.toContain("](");
    expect(unescapeText(escaped)).toBe("[a] see [click](https://evil.example) and [here](<https://evil.example>)");
  });

  it("leaves URLs intact", () => {
    expect(escapeText("see https://example.com/a_b_c")).toBe("see https://example.com/a_b_c");
  });

  it("neutralises mentions", () => {
    expect(escapeText("@everyone look")).toBe(`@${ZWSP}everyone look`);
    expect(escapeText("hi @here")).toBe(`hi @${ZWSP}here`);
    expect(escapeText("<@123456789012345678>")).toBe(`<${ZWSP}@123456789012345678>`);
    expect(escapeText("<@!123>")).toBe(`<${ZWSP}@!123>`);
    expect(escapeText("<@&123>")).toBe(`<${ZWSP}@&123>`);
    expect(escapeText("<#123>")).toBe(`<${ZWSP}#123>`);
    expect(escapeText("</film:123>")).toBe(`<${ZWSP}/film:123>`);
    expect(escapeText("@EVERYONE")).toBe(`@${ZWSP}EVERYONE`);
    expect(escapeText("mail me at someone@example.com")).toBe("mail me at someone@example.com");
  });

  it("shows exactly the original text once Discord removes the escapes (random markdown)", () => {
    const next = rng(3);
    const pieces = [
      "a",
      "b",
      " ",
      "\n",
      "*",
      "**",
      "_",
      "__",
      "~~",
      "`",
      "```",
      "||",
      "\\",
      "#",
      "# ",
      "- ",
      "> ",
      "1. ",
      "-# ",
      "[x](y)",
      "(",
      ")",
      "[",
      "]",
      "https://x.io/a_b",
      "é",
      "😀",
    ];
    const mismatches: string[] = [];
    for (let round = 0; round < 2000; round++) {
      let text = "";
      const length = Math.floor(next() * 40);
      for (let index = 0; index < length; index++) text += pieces[Math.floor(next() * pieces.length)] ?? "";
      if (unescapeText(escapeText(text)) !== text) mismatches.push(text);
    }
    expect(mismatches).toEqual([]);
  });
});

describe("neutraliseMentions", () => {
  it("only inserts zero-width spaces", () => {
    const text = "@everyone <@1> <#2> plain";
    expect(neutraliseMentions(text).replaceAll(ZWSP, "")).toBe(text);
    expect(neutraliseMentions(text)).not.toMatch(/@everyone|<@|<#/);
  });
});

describe("cleanText", () => {
  it("normalises line ends, control characters, blank lines and lone surrogates", () => {
    expect(cleanText("  a\r\nb\rc\u0007\u001b[31m  \n\n\n\nd\t e  ")).toBe("a\nb\nc[31m\n\nd  e");
    expect(cleanText("bad \ud800 pair")).toBe("bad \ufffd pair");
    expect(cleanText("ok 😀")).toBe("ok 😀");
  });

  it("cleanLine folds every whitespace run into one space", () => {
    expect(cleanLine(" Name\n  Surname ")).toBe("Name Surname");
  });
});

describe("escapeWithin", () => {
  it("escapes before measuring, so the escaped text fits", () => {
    const text = "*".repeat(100);
    const fitted = escapeWithin(text, 50);
    expect(fitted.length).toBeLessThanOrEqual(50);
    expect(fitted).toMatch(/^(\\\*)+…$/);
  });

  it("never ends in an unpaired backslash and never exceeds the limit (random texts)", () => {
    const next = rng(11);
    const pieces = ["word", " ", "*", "_", "~~", "||", "\\", "`", "@everyone", "<@1>", "\n", "😀", "# "];
    const bad: string[] = [];
    for (let round = 0; round < 1000; round++) {
      let text = "";
      const length = Math.floor(next() * 80);
      for (let index = 0; index < length; index++) text += pieces[Math.floor(next() * pieces.length)] ?? "";
      const max = 1 + Math.floor(next() * 120);
      const fitted = escapeWithin(text, max);
      const body = fitted.endsWith("…") ? fitted.slice(0, -1) : fitted;
      const danglingBackslash = (/\\*$/.exec(body)?.[0].length ?? 0) % 2 === 1;
      if (fitted.length > max || danglingBackslash || /@everyone|<@/.test(fitted)) bad.push(fitted);
    }
    expect(bad).toEqual([]);
  });

  it("stays fast on huge inputs", () => {
    const huge = "a_b *c* <a:x_y https://x.io/_ ".repeat(40_000);
    const started = performance.now();
    const fitted = escapeWithin(huge, 4096);
    expect(fitted.length).toBeLessThanOrEqual(4096);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("folds lines on request", () => {
    expect(escapeWithin("line one\n\n- line two", 100, { singleLine: true })).toBe("line one - line two");
  });
});
