/**
 * Discord's message limits and the pure helpers that keep a message inside them.
 *
 * Every length here is a JS string length (UTF-16 code units): that is what Discord counts, so "😀" costs 2.
 * Helpers never throw; a message that would be rejected is shrunk instead.
 */
import type { APIEmbed, APIEmbedField } from "discord-api-types/v10";

export const EMBED_TITLE_LIMIT = 256;
export const EMBED_DESCRIPTION_LIMIT = 4096;
export const EMBED_FIELD_COUNT_LIMIT = 25;
export const EMBED_FIELD_NAME_LIMIT = 256;
export const EMBED_FIELD_VALUE_LIMIT = 1024;
export const EMBED_FOOTER_TEXT_LIMIT = 2048;
export const EMBED_AUTHOR_NAME_LIMIT = 256;
/** Summed over every embed of one message (title, description, field names and values, footer, author). */
export const MESSAGE_EMBEDS_TOTAL_LIMIT = 6000;
export const MESSAGE_EMBED_COUNT_LIMIT = 10;
export const MESSAGE_CONTENT_LIMIT = 2000;
export const CUSTOM_ID_LIMIT = 100;
export const BUTTON_LABEL_LIMIT = 80;
/** A link button's address. */
export const BUTTON_URL_LIMIT = 512;
/** An embed's title link and its images' addresses. */
export const EMBED_URL_LIMIT = 2048;
export const AUTOCOMPLETE_CHOICE_NAME_LIMIT = 100;

export const ELLIPSIS = "…";

/**
 * A text shrunk below the budget is not cut shorter than this while there are fields left to drop: a field cut to a
 * few characters says less than the same space given to the remaining ones.
 */
const MIN_SHRUNK_TEXT = 64;

/** A word boundary is only worth using if it keeps at least this share of the room; otherwise cut mid-word. */
const MIN_WORD_CUT_SHARE = 0.5;

/** Trailing characters that look wrong before "…": spaces, punctuation (backslash included), invisible format marks. */
const DANGLING_TAIL = /[\s\p{P}\p{Cf}]+$/u;

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * `text` shortened to at most `max` characters: cut at a word boundary when one is near, "…" appended, no trailing
 * space or punctuation before the "…", never half a surrogate pair, emoji sequence or escape sequence.
 * Text that already fits is returned unchanged.
 */
export function truncate(text: string, max: number): string {
  const limit = Number.isFinite(max) ? Math.max(0, Math.floor(max)) : 0;
  if (text.length <= limit) return text;
  if (limit <= ELLIPSIS.length) return ELLIPSIS.slice(0, limit);
  const room = limit - ELLIPSIS.length;
  return tidyCutEnd(cutNear(text, room)) + ELLIPSIS;
}

/**
 * The first at most `length` characters of `text` without splitting a surrogate pair. Cheap, with no word
 * boundary or ellipsis: for bounding work on huge inputs before the real truncation.
 */
export function clip(text: string, length: number): string {
  if (text.length <= length) return text;
  return text.slice(0, surrogateSafeIndex(text, Math.max(0, length)));
}

/** A prefix of `text` no longer than `room`, ending at a word boundary if a near one exists. */
function cutNear(text: string, room: number): string {
  // text[room] is whitespace when the cut already falls between words, so search up to and including it.
  const lastSpace = text.slice(0, room + 1).search(/\s\S*$/);
  if (lastSpace > 0 && lastSpace >= room * MIN_WORD_CUT_SHARE) return text.slice(0, lastSpace);
  return text.slice(0, graphemeSafeIndex(text, room));
}

/**
 * Strips what must not hang before the ellipsis. Backslash counts as punctuation, so an escape sequence is never
 * left half cut. If that leaves nothing (text made only of punctuation), keeps the cut and drops only an unpaired
 * trailing backslash.
 */
function tidyCutEnd(cut: string): string {
  const tidy = cut.replace(DANGLING_TAIL, "");
  if (tidy !== "") return tidy;
  return withoutDanglingBackslash(cut.trimEnd());
}

function withoutDanglingBackslash(text: string): string {
  const trailing = /\\+$/.exec(text)?.[0].length ?? 0;
  return trailing % 2 === 1 ? text.slice(0, -1) : text;
}

/** `index`, moved back one if it would split a surrogate pair. */
function surrogateSafeIndex(text: string, index: number): number {
  if (index <= 0 || index >= text.length) return Math.max(0, Math.min(index, text.length));
  const before = text.charCodeAt(index - 1);
  return before >= 0xd800 && before <= 0xdbff ? index - 1 : index;
}

/** The last grapheme boundary at or before `index` (so "👍🏽" or "é" written as e + accent stay whole). */
function graphemeSafeIndex(text: string, index: number): number {
  const safe = surrogateSafeIndex(text, index);
  // Segmenting a small window is enough: clusters longer than it (Zalgo text) fall back to the surrogate-safe cut.
  const windowStart = Math.max(0, safe - 32);
  const window = text.slice(windowStart, Math.min(text.length, safe + 32));
  let boundary = -1;
  for (const { index: segmentStart } of graphemes.segment(window)) {
    const absolute = windowStart + segmentStart;
    if (absolute > safe) break;
    boundary = absolute;
  }
  return boundary > windowStart || windowStart === 0 ? Math.max(boundary, 0) : safe;
}

/** The length Discord counts for one embed towards the 6000 total. */
export function embedLength(embed: APIEmbed): number {
  let length = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  for (const field of embed.fields ?? []) length += field.name.length + field.value.length;
  return length + (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
}

export function totalEmbedLength(embeds: readonly APIEmbed[]): number {
  return embeds.reduce((sum, embed) => sum + embedLength(embed), 0);
}

/**
 * `embeds` made acceptable to Discord: each text within its own limit, at most 25 fields and 10 embeds, and the
 * summed length at most 6000. Over the total, the longest descriptions and field values are shrunk first (all of
 * them to a common cap, so the short ones stay whole); if that would leave them uselessly short, trailing fields are
 * dropped; as a last resort descriptions go, then footers and author names. Titles are always kept. Never throws;
 * the input is not modified.
 */
export function fitMessage(embeds: readonly APIEmbed[]): APIEmbed[] {
  const fitted = embeds.slice(0, MESSAGE_EMBED_COUNT_LIMIT).map(withinOwnLimits);
  if (totalEmbedLength(fitted) <= MESSAGE_EMBEDS_TOTAL_LIMIT) return fitted;

  while (!shrinkBodies(fitted, MIN_SHRUNK_TEXT)) {
    if (!dropLastField(fitted)) break;
  }
  if (totalEmbedLength(fitted) <= MESSAGE_EMBEDS_TOTAL_LIMIT) return fitted;
  shrinkBodies(fitted, 0);
  if (totalEmbedLength(fitted) <= MESSAGE_EMBEDS_TOTAL_LIMIT) return fitted;
  // Only titles, footers and author names are left; ten maximal titles are 2560, so footers and authors give way.
  const footers = footerAndAuthorSlots(fitted);
  shrinkTexts(footers, budgetFor(fitted, footers), 0);
  return fitted;
}

/** A copy of `embed` with every text cut to its own limit and empty field texts made valid. */
function withinOwnLimits(embed: APIEmbed): APIEmbed {
  const copy: APIEmbed = { ...embed };
  if (copy.title !== undefined) copy.title = truncate(copy.title, EMBED_TITLE_LIMIT);
  if (copy.description !== undefined) copy.description = truncate(copy.description, EMBED_DESCRIPTION_LIMIT);
  if (copy.fields !== undefined) copy.fields = copy.fields.slice(0, EMBED_FIELD_COUNT_LIMIT).map(withinFieldLimits);
  if (copy.footer !== undefined)
    copy.footer = { ...copy.footer, text: truncate(copy.footer.text, EMBED_FOOTER_TEXT_LIMIT) };
  if (copy.author !== undefined)
    copy.author = { ...copy.author, name: truncate(copy.author.name, EMBED_AUTHOR_NAME_LIMIT) };
  return copy;
}

/** Discord rejects empty field names and values; a zero-width space is the conventional blank. */
const BLANK_FIELD_TEXT = "\u200b";

function withinFieldLimits(field: APIEmbedField): APIEmbedField {
  const name = truncate(field.name, EMBED_FIELD_NAME_LIMIT);
  const value = truncate(field.value, EMBED_FIELD_VALUE_LIMIT);
  return { ...field, name: name === "" ? BLANK_FIELD_TEXT : name, value: value === "" ? BLANK_FIELD_TEXT : value };
}

/** One shrinkable text of a message: its current length and how to replace it. */
interface TextSlot {
  readonly text: string;
  replace(text: string): void;
}

/**
 * Shrinks descriptions and field values to fit the total, none below `floor` (unless already shorter).
 * Returns false, changing nothing, when even the floor would not fit.
 */
function shrinkBodies(embeds: APIEmbed[], floor: number): boolean {
  const slots = bodySlots(embeds);
  return shrinkTexts(slots, budgetFor(embeds, slots), floor);
}

/**
 * Cuts the texts in `slots` to one common cap, the largest that brings their summed length within `budget`, so the
 * longest texts lose the most and short ones are untouched. Returns false, changing nothing, if the cap would have
 * to go below `floor`.
 */
function shrinkTexts(slots: readonly TextSlot[], budget: number, floor: number): boolean {
  if (slotsLength(slots) <= budget) return true;
  const lengths = slots.map((slot) => slot.text.length);
  const cappedSum = (cap: number): number => lengths.reduce((sum, length) => sum + Math.min(length, cap), 0);
  if (cappedSum(floor) > budget) return false;
  let low = floor;
  let high = Math.max(...lengths);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (cappedSum(middle) <= budget) low = middle;
    else high = middle - 1;
  }
  // truncate never returns more than the cap, so the sum stays within budget even where it cuts shorter.
  for (const slot of slots) slot.replace(truncate(slot.text, low));
  return true;
}

/** What the message total leaves for the texts in `slots`; 0 when the rest alone is over (the texts then go). */
function budgetFor(embeds: readonly APIEmbed[], slots: readonly TextSlot[]): number {
  return Math.max(0, MESSAGE_EMBEDS_TOTAL_LIMIT - (totalEmbedLength(embeds) - slotsLength(slots)));
}

function slotsLength(slots: readonly TextSlot[]): number {
  return slots.reduce((sum, slot) => sum + slot.text.length, 0);
}

function bodySlots(embeds: APIEmbed[]): TextSlot[] {
  const slots: TextSlot[] = [];
  for (const embed of embeds) {
    if (embed.description !== undefined) {
      slots.push({
        text: embed.description,
        replace: (text) => {
          if (text === "") delete embed.description;
          else embed.description = text;
        },
      });
    }
    for (const field of embed.fields ?? []) {
      slots.push({
        text: field.value,
        replace: (text) => {
          field.value = text === "" ? BLANK_FIELD_TEXT : text;
        },
      });
    }
  }
  return slots;
}

function footerAndAuthorSlots(embeds: APIEmbed[]): TextSlot[] {
  const slots: TextSlot[] = [];
  for (const embed of embeds) {
    const { footer, author } = embed;
    if (footer !== undefined) {
      slots.push({
        text: footer.text,
        replace: (text) => {
          if (text === "") delete embed.footer;
          else embed.footer = { ...footer, text };
        },
      });
    }
    if (author !== undefined) {
      slots.push({
        text: author.name,
        replace: (text) => {
          if (text === "") delete embed.author;
          else embed.author = { ...author, name: text };
        },
      });
    }
  }
  return slots;
}

/** Removes the last field of the last embed that has one; false when no embed has fields. */
function dropLastField(embeds: APIEmbed[]): boolean {
  for (let index = embeds.length - 1; index >= 0; index--) {
    const embed = embeds[index];
    if (embed?.fields === undefined || embed.fields.length === 0) continue;
    embed.fields = embed.fields.slice(0, -1);
    if (embed.fields.length === 0) delete embed.fields;
    return true;
  }
  return false;
}
