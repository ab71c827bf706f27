/**
 * Film text made safe to show inside embeds: shown literally (no accidental markdown) and never a mention.
 *
 * Hand-written rather than discord.js's `escapeMarkdown`, which was tried and is not adequate here:
 * - it leaves runs of four or more asterisks or underscores half escaped (four asterisks come back with the last two
 *   unescaped, so "a **** b **** c" can still turn bold);
 * - its patterns use look-behinds that take quadratic time on long lines (seconds for one long line of film text);
 * - it does not cover block quotes, subtext ("-# ") or mentions, and its masked-link option escapes only the first
 *   "[" of a line, so "[a] [b](url)" still links.
 * The rules below are linear and simple: every inline markdown character is escaped (a backslash before any
 * punctuation is always removed by Discord, so over-escaping never shows), except inside bare URLs, where Discord
 * does not parse markdown and a backslash would break the link; line-start syntax is escaped only at line starts.
 */
import { clip, truncate } from "./limits.js";

const ZERO_WIDTH_SPACE = "\u200b";

/** Discord's autolink rule: markdown is not parsed inside these, so they are left exactly as written. */
const BARE_URL = /https?:\/\/[^\s<]+[^<.,:;"')\]\s]/g;
/** Characters that open or close inline formatting: italics, bold, underline, strikethrough, spoilers, code. */
const INLINE_MARKDOWN = /[\\*_~|`]/g;

/** "# ", "## ", "### " headings at a line start. */
const HEADING_START = /^( *)(#{1,3} )/gm;
/** "- item" bullets at a line start ("* item" is already broken by escaping the asterisk). */
const BULLET_START = /^( *)-( )/gm;
/** "1. item" numbered list items at a line start. */
const NUMBERED_START = /^( *\d+)\.( )/gm;
/** "> quote" and ">>> quote" at a line start. */
const BLOCK_QUOTE_START = /^( *)>(?=>>\s|\s|$)/gm;
/** "-# small text" at a line start. */
const SUBTEXT_START = /^( *)-(#+ )/gm;
/** Every masked link "[text](url)" needs a literal "](", so escaping that "(" breaks them all. */
const MASKED_LINK_JOIN = /\]\(/g;

/** `text` with Discord markdown escaped and mentions neutralised, to display exactly as written. */
export function escapeText(text: string): string {
  const escaped = escapeOutsideUrls(text)
    .replace(HEADING_START, "$1\\$2")
    .replace(BULLET_START, "$1\\-$2")
    .replace(NUMBERED_START, "$1\\.$2")
    .replace(BLOCK_QUOTE_START, "$1\\>")
    .replace(SUBTEXT_START, "$1\\-$2");
  return neutraliseMentions(escaped);
}

function escapeOutsideUrls(text: string): string {
  let escaped = "";
  let plainStart = 0;
  for (const url of text.matchAll(BARE_URL)) {
    escaped += escapePlain(text.slice(plainStart, url.index)) + url[0];
    plainStart = url.index + url[0].length;
  }
  return escaped + escapePlain(text.slice(plainStart));
}

function escapePlain(text: string): string {
  return text.replace(INLINE_MARKDOWN, "\\$&").replace(MASKED_LINK_JOIN, "]\\(");
}

/**
 * `text` with every mention made inert by a zero-width space after the "@" or "<": "@everyone", "@here", users
 * "<@1>" / "<@!1>", roles "<@&1>", channels "<#1>", slash commands "</name:1>", guild links "<id:home>". Replies also
 * send `allowedMentions: { parse: [] }`; this keeps the text from rendering as a mention at all.
 */
export function neutraliseMentions(text: string): string {
  return text
    .replace(/@(everyone|here)/gi, `@${ZERO_WIDTH_SPACE}$1`)
    .replace(/<(?=[@#/]|id:)/g, `<${ZERO_WIDTH_SPACE}`);
}

/**
 * Film text tidied before escaping: Windows line ends, control characters and lone surrogates (which JSON would
 * carry as invalid UTF-16) removed, trailing spaces dropped, no more than one blank line in a row, trimmed.
 */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
    .replace(/\t/g, " ")
    .replace(/(?!\n)\p{Cc}/gu, "")
    .replace(/ +$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** `cleanText` on one line: every run of whitespace, newlines included, becomes one space. */
export function cleanLine(text: string): string {
  return cleanText(text).replace(/\s+/g, " ");
}

/**
 * Extra raw characters kept past the limit before escaping: enough for the word-boundary search to see the word
 * that straddles the limit. Escaping only lengthens text, so the escaped prefix still overflows the limit whenever
 * the raw text did.
 */
const CLIP_SLACK = 64;
/** Upper bound on raw text cleaned at all, so a multi-megabyte field costs no more than a large one. */
const RAW_CLIP_FACTOR = 4;

/**
 * Film text as it goes into an embed: cleaned, escaped, then cut to `max`, so the escaped form is what counts
 * towards the limit and no escape sequence is cut in half. `singleLine` folds newlines for list items and fields.
 * Only a little more raw text than can show is cleaned and escaped, so huge fields cost no more than large ones.
 */
export function escapeWithin(text: string, max: number, options: { singleLine?: boolean } = {}): string {
  const bounded = clip(text, max * RAW_CLIP_FACTOR + CLIP_SLACK);
  const cleaned = options.singleLine === true ? cleanLine(bounded) : cleanText(bounded);
  return truncate(escapeText(clip(cleaned, max + CLIP_SLACK)), max);
}

/**
 * What Discord displays for escaped text: backslashes removed before the punctuation they escape (Discord's rule:
 * a backslash escapes any following character that is not a letter, digit or space; not inside bare URLs) and
 * zero-width spaces dropped. For the terminal preview.
 */
export function unescapeText(text: string): string {
  let shown = "";
  let plainStart = 0;
  for (const url of text.matchAll(BARE_URL)) {
    shown += unescapePlain(text.slice(plainStart, url.index)) + url[0];
    plainStart = url.index + url[0].length;
  }
  return (shown + unescapePlain(text.slice(plainStart))).replaceAll(ZERO_WIDTH_SPACE, "");
}

function unescapePlain(text: string): string {
  return text.replace(/\\([^0-9A-Za-z\s])/g, "$1");
}
