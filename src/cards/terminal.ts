/**
 * Prints a FilmCard the way Discord would show it, for the terminal preview. It renders the very object sent to
 * Discord (no second renderer of film data): escapes are undone as Discord undoes them, the card's own "**bold**" is
 * shown bold, inline fields sit side by side three to a row, and buttons appear as `[ Label ]`. What a terminal
 * cannot show is given as its address: the poster (`Poster: https://…` under the title) and each link button
 * (`[ IMDb ↗ ] https://…`, one a line).
 *
 * With `color`, ANSI styles: the colour bar in the embed's colour, bold titles and field names, a dim footer, dim
 * disabled buttons. Without it, plain text; disabled buttons are then written `( Label )`.
 */
import type { APIActionRowComponent, APIButtonComponent, APIEmbed, APIEmbedField } from "discord-api-types/v10";
import { ButtonStyle } from "discord-api-types/v10";
import type { FilmCard } from "./film-card.js";

export interface TerminalRenderOptions {
  color: boolean;
  /** Total line width, colour bar included. */
  width?: number;
}

const DEFAULT_WIDTH = 80;
const MIN_WIDTH = 20;
const INLINE_COLUMNS = 3;
const COLUMN_GAP = "  ";

const SGR = {
  bold: "1",
  dim: "2",
  underline: "4",
  link: "38;2;0;168;252",
  primary: "38;2;88;101;242",
} as const;

/** One visible character and whether the card's markdown makes it bold. */
interface Glyph {
  char: string;
  bold: boolean;
}

type Line = Glyph[];

/** A rendered line: its text (with ANSI codes when colouring) and how many columns it occupies. */
interface PaintedLine {
  text: string;
  width: number;
}

export function renderCardForTerminal(card: FilmCard, options: TerminalRenderOptions): string {
  const width = Math.max(MIN_WIDTH, Math.floor(options.width ?? DEFAULT_WIDTH));
  const embeds = card.embeds.map((embed) => renderEmbed(embed, width, options.color));
  const buttons = card.components.flatMap((row) => renderButtonRow(row, width, options.color));
  return [...embeds, ...(buttons.length > 0 ? [buttons.join("\n")] : [])].join("\n\n") + "\n";
}

function renderEmbed(embed: APIEmbed, width: number, color: boolean): string {
  const inner = width - 2;
  const blocks: PaintedLine[][] = [];
  const header: PaintedLine[] = [];
  if (embed.author !== undefined) header.push(...paintBlock(plainGlyphs(embed.author.name), inner, color, ""));
  if (embed.title !== undefined) header.push(...paintBlock(markdownGlyphs(embed.title), inner, color, SGR.bold));
  if (embed.url !== undefined)
    header.push(...paintBlock(plainGlyphs(embed.url), inner, color, `${SGR.link};${SGR.underline}`));
  if (embed.thumbnail !== undefined) {
    header.push(...paintBlock(plainGlyphs(`Poster: ${embed.thumbnail.url}`), inner, color, SGR.link));
  }
  if (header.length > 0) blocks.push(header);
  if (embed.description !== undefined) blocks.push(paintBlock(markdownGlyphs(embed.description), inner, color, ""));
  blocks.push(...fieldBlocks(embed.fields ?? [], inner, color));
  if (embed.footer !== undefined) blocks.push(paintBlock(plainGlyphs(embed.footer.text), inner, color, SGR.dim));

  const bar = colourBar(embed.color, color);
  const lines = blocks.flatMap((block, index) => (index === 0 ? block : [{ text: "", width: 0 }, ...block]));
  return lines.map((line) => `${bar} ${line.text}`.trimEnd()).join("\n");
}

/** Consecutive inline fields share rows of three columns, as in Discord; other fields take a row each. */
function fieldBlocks(fields: readonly APIEmbedField[], inner: number, color: boolean): PaintedLine[][] {
  const blocks: PaintedLine[][] = [];
  let row: APIEmbedField[] = [];
  const flushRow = (): void => {
    if (row.length > 0) blocks.push(inlineRow(row, inner, color));
    row = [];
  };
  for (const field of fields) {
    if (field.inline !== true) {
      flushRow();
      blocks.push(fieldCell(field, inner, color));
      continue;
    }
    row.push(field);
    if (row.length === INLINE_COLUMNS) flushRow();
  }
  flushRow();
  return blocks;
}

function fieldCell(field: APIEmbedField, width: number, color: boolean): PaintedLine[] {
  return [
    ...paintBlock(markdownGlyphs(field.name), width, color, SGR.bold),
    ...paintBlock(markdownGlyphs(field.value), width, color, ""),
  ];
}

function inlineRow(fields: readonly APIEmbedField[], inner: number, color: boolean): PaintedLine[] {
  const columnWidth = Math.floor((inner - COLUMN_GAP.length * (INLINE_COLUMNS - 1)) / INLINE_COLUMNS);
  const cells = fields.map((field) => fieldCell(field, columnWidth, color));
  const height = Math.max(...cells.map((cell) => cell.length));
  const lines: PaintedLine[] = [];
  for (let index = 0; index < height; index++) {
    const parts = cells.map((cell) => {
      const line = cell[index] ?? { text: "", width: 0 };
      return line.text + " ".repeat(Math.max(0, columnWidth - line.width));
    });
    const text = parts.join(COLUMN_GAP).trimEnd();
    lines.push({ text, width: inner });
  }
  return lines;
}

function colourBar(embedColour: number | undefined, color: boolean): string {
  if (!color) return "│";
  if (embedColour === undefined) return "▌";
  const red = (embedColour >> 16) & 0xff;
  const green = (embedColour >> 8) & 0xff;
  const blue = embedColour & 0xff;
  return `\x1b[38;2;${red};${green};${blue}m▌\x1b[0m`;
}

/**
 * The row's buttons side by side, on as many lines as `width` needs; then its link buttons, one a line with their
 * address (on the lines below when it does not fit beside).
 */
function renderButtonRow(row: APIActionRowComponent<APIButtonComponent>, width: number, color: boolean): string[] {
  const lines: string[] = [];
  let line: string[] = [];
  let used = 0;
  for (const button of row.components) {
    if ("url" in button) continue;
    const columns = Array.from(buttonLabel(button)).length + 4;
    if (line.length > 0 && used + 1 + columns > width) {
      lines.push(line.join(" "));
      line = [];
      used = 0;
    }
    line.push(renderButton(button, color));
    used += (line.length > 1 ? 1 : 0) + columns;
  }
  if (line.length > 0) lines.push(line.join(" "));
  const linkStyle = `${SGR.link};${SGR.underline}`;
  for (const button of row.components) {
    if (!("url" in button)) continue;
    const rendered = renderButton(button, color);
    const url = plainGlyphs(button.url);
    // "[ " + label + " ] ": the columns the button takes before its address.
    if (Array.from(buttonLabel(button)).length + 5 + url.length <= width) {
      lines.push(`${rendered} ${paint(url, color, linkStyle)}`);
    } else {
      lines.push(rendered, ...wrap(url, width).map((part) => paint(part, color, linkStyle)));
    }
  }
  return lines;
}

/** What a button shows between its brackets; Discord marks a link button with an arrow: it opens a page. */
function buttonLabel(button: APIButtonComponent): string {
  const text = sanitise("label" in button && button.label !== undefined ? button.label : "?");
  return "url" in button ? `${text} ↗` : text;
}

function renderButton(button: APIButtonComponent, color: boolean): string {
  const label = buttonLabel(button);
  const disabled = button.disabled === true;
  if (!color) return disabled ? `( ${label} )` : `[ ${label} ]`;
  // Bold and dim share one intensity attribute in terminals, so a disabled button is only dimmed.
  const intensity = disabled ? SGR.dim : SGR.bold;
  const codes = button.style === ButtonStyle.Primary ? `${SGR.primary};${intensity}` : disabled ? SGR.dim : "";
  return codes === "" ? `[ ${label} ]` : `\x1b[${codes}m[ ${label} ]\x1b[0m`;
}

// ─── Text ──────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Control characters (the terminal escape ESC among them) and zero-width spaces removed: film text must not be able
 * to drive the terminal, and the zero-width spaces that neutralise mentions are invisible in Discord too.
 */
function sanitise(text: string): string {
  return text.replace(/\t/g, " ").replace(/(?!\n)\p{Cc}|\u200b/gu, "");
}

/** Text Discord shows without markdown (footers, author names, URLs). */
function plainGlyphs(text: string): Glyph[] {
  return Array.from(sanitise(text), (char) => ({ char, bold: false }));
}

/**
 * Text Discord renders as markdown: a backslash before a character other than a letter, digit or space is dropped
 * (Discord's escape rule) and "**" toggles bold. The card escapes all film text, so "**" only comes from the card.
 */
function markdownGlyphs(text: string): Glyph[] {
  const chars = Array.from(sanitise(text));
  const glyphs: Glyph[] = [];
  let bold = false;
  for (let index = 0; index < chars.length; index++) {
    const char = chars[index] ?? "";
    const next = chars[index + 1];
    if (char === "\\" && next !== undefined && /^[^0-9A-Za-z\s]$/u.test(next)) {
      glyphs.push({ char: next, bold });
      index++;
    } else if (char === "*" && next === "*") {
      bold = !bold;
      index++;
    } else {
      glyphs.push({ char, bold });
    }
  }
  return glyphs;
}

/** Word-wraps glyphs to `width` columns and paints each line with `base` styles (plus bold where marked). */
function paintBlock(glyphs: Glyph[], width: number, color: boolean, base: string): PaintedLine[] {
  return wrap(glyphs, width).map((line) => ({ text: paint(line, color, base), width: line.length }));
}

function wrap(glyphs: Glyph[], width: number): Line[] {
  const lines: Line[] = [];
  for (const paragraph of splitLines(glyphs)) {
    let current: Line = [];
    for (const word of splitWords(paragraph)) {
      const needed = current.length === 0 ? word.length : current.length + 1 + word.length;
      if (needed <= width) {
        current = current.length === 0 ? word : [...current, { char: " ", bold: word[0]?.bold ?? false }, ...word];
        continue;
      }
      if (current.length > 0) lines.push(current);
      // A word wider than the column is split across lines.
      let rest = word;
      while (rest.length > width) {
        lines.push(rest.slice(0, width));
        rest = rest.slice(width);
      }
      current = rest;
    }
    lines.push(current);
  }
  return lines;
}

function splitLines(glyphs: Glyph[]): Line[] {
  const lines: Line[] = [[]];
  for (const glyph of glyphs) {
    if (glyph.char === "\n") lines.push([]);
    else lines[lines.length - 1]?.push(glyph);
  }
  return lines;
}

function splitWords(line: Line): Line[] {
  const words: Line[] = [];
  let word: Line = [];
  for (const glyph of line) {
    if (glyph.char !== " ") {
      word.push(glyph);
      continue;
    }
    if (word.length > 0) words.push(word);
    word = [];
  }
  if (word.length > 0) words.push(word);
  return words;
}

/** The line's text, with an SGR sequence wherever the style changes when colouring. */
function paint(line: Line, color: boolean, base: string): string {
  if (!color) return line.map((glyph) => glyph.char).join("");
  let text = "";
  let active = "";
  for (const glyph of line) {
    const style = [base, glyph.bold ? SGR.bold : ""].filter((code) => code !== "").join(";");
    if (style !== active) {
      text += (active === "" ? "" : "\x1b[0m") + (style === "" ? "" : `\x1b[${style}m`);
      active = style;
    }
    text += glyph.char;
  }
  return active === "" ? text : `${text}\x1b[0m`;
}
