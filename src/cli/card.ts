/**
 * `catalog card QUERY|ID [--data DIR] [--view overview|cast|trivia|review] [--page N] [--no-color]`: prints what
 * `/movie` would post for a film. The message is built by buildFilmCard and drawn by renderCardForTerminal, the
 * code the bot and its embed tests use, so the preview cannot drift from what members see. A moderator checks a
 * new page with it before `/reload`.
 *
 * Exit codes as for every catalog command: 0 printed, 1 no film matches, 2 a bad command line (view, page, flag).
 */
import { parseArgs } from "node:util";
import type { Film } from "../catalog/film.js";
import { buildFilmCard, cardPageCount, FILM_VIEWS, type FilmView } from "../embeds/film-card.js";
import { renderCardForTerminal } from "../embeds/terminal.js";

export const CARD_USAGE =
  "catalog card QUERY|ID [--data DIR] [--view overview|cast|trivia|review] [--page N] [--no-color]";

export interface CardIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal: the card is coloured only then. */
  isTTY: boolean;
  /** For NO_COLOR. */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * The film a query means, found as `catalog show` finds it: the data folder `dir` (the default folder when
   * undefined) loaded, then the film with that id, else the best title match. Rejects when the folder cannot be read.
   */
  findFilm: (query: string, dir: string | undefined) => Promise<Film | undefined>;
}

interface CardRequest {
  query: string;
  dataDir: string | undefined;
  view: FilmView;
  /** 1-based, as the card's footer numbers pages ("Page 2/3"). */
  page: number;
  color: boolean;
}

const EXIT_OK = 0;
const EXIT_NOT_FOUND = 1;
const EXIT_USAGE = 2;

const OPTIONS = {
  data: { type: "string" },
  view: { type: "string" },
  page: { type: "string" },
  "no-color": { type: "boolean" },
} as const;

/** A command line that cannot be run: one line with the usage, exit code 2. */
class CardUsageError extends Error {}

export async function runCardCommand(args: string[], io: CardIo): Promise<number> {
  let request: CardRequest;
  try {
    request = parseCardArgs(args, io);
  } catch (error) {
    if (!(error instanceof CardUsageError)) throw error;
    return usageFailure(error.message, io);
  }
  const film = await io.findFilm(request.query, request.dataDir);
  if (film === undefined) {
    io.stderr(`No film matches "${request.query}".\n`);
    return EXIT_NOT_FOUND;
  }
  const pages = cardPageCount(film, request.view);
  if (request.page > pages) {
    return usageFailure(
      `--page ${request.page} is past the last page: the ${request.view} view of ${film.id} has ${pages} page${pages === 1 ? "" : "s"}`,
      io,
    );
  }
  io.stdout(renderCardForTerminal(buildFilmCard(film, request.view, request.page - 1), { color: request.color }));
  return EXIT_OK;
}

function usageFailure(message: string, io: CardIo): number {
  io.stderr(`catalog card: ${message} (usage: ${CARD_USAGE})\n`);
  return EXIT_USAGE;
}

function parseCardArgs(args: string[], io: CardIo): CardRequest {
  const { values, positionals } = parseFlags(args);
  const query = positionals.join(" ").trim();
  if (query === "") throw new CardUsageError("expected a film title or id");
  return {
    query,
    dataDir: values.data,
    view: values.view === undefined ? "overview" : parseView(values.view),
    page: values.page === undefined ? 1 : parsePage(values.page),
    color: values["no-color"] !== true && io.isTTY && !noColorRequested(io.env),
  };
}

function parseFlags(args: string[]) {
  try {
    return parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    // Node's messages go on with advice about "--" that does not apply here; the first sentence says it all.
    const message = error instanceof Error ? error.message : String(error);
    throw new CardUsageError(message.split(/\.(?:\s|$)/)[0]!.replace(/\s+/g, " "));
  }
}

function parseView(text: string): FilmView {
  const view = FILM_VIEWS.find((candidate) => candidate === text.trim().toLowerCase());
  if (view === undefined) throw new CardUsageError(`--view must be one of ${FILM_VIEWS.join(", ")}, got "${text}"`);
  return view;
}

function parsePage(text: string): number {
  const page = /^\d{1,5}$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(page >= 1)) throw new CardUsageError(`--page must be a page number from 1, got "${text}"`);
  return page;
}

/** https://no-color.org: set and not empty means no colour, whatever its value. */
function noColorRequested(env: CardIo["env"]): boolean {
  const value = env.NO_COLOR;
  return value !== undefined && value !== "";
}
