/**
 * `catalog card QUERY|ID [--data DIR] [--view overview|cast|trivia|review|watch] [--page N] [--region CC] [--no-color]`:
 * prints what `/movie` would post for a film. The message is built by buildFilmCard and drawn by renderCardForTerminal, the
 * code the bot and its embed tests use, so the preview cannot drift from what members see. A moderator checks a
 * new page with it before `/reload`.
 *
 * Exit codes as for every catalog command: 0 printed, 1 no film matches, 2 a bad command line (view, page, flag).
 */
import { DEFAULT_REGION, regionCodeOf, type Film } from "../catalog/film.js";
import { buildFilmCard, cardPageCount, FILM_VIEWS, type FilmView } from "../cards/film-card.js";
import { renderCardForTerminal } from "../cards/terminal.js";
import { plural } from "../format.js";
import {
  type CliIo,
  dataDirOf,
  envOf,
  EXIT_OK,
  EXIT_PROBLEM,
  EXIT_USAGE,
  parseCommandLine,
  parseRegionFlag,
  UsageError,
} from "./io.js";
import { findFilm } from "./open-catalog.js";

export const CARD_USAGE =
  "catalog card QUERY|ID [--data DIR] [--view overview|cast|trivia|review|watch] [--page N] [--region CC] [--no-color]";

/**
 * The film a query means: the data folder `dir` (the default folder when undefined) loaded, then the film with that
 * id, else the best title match, as `catalog show` finds it. Rejects when the folder cannot be read.
 */
export type FilmFinder = (query: string, dir: string | undefined, io: CliIo) => Promise<Film | undefined>;

const findInDataFolder: FilmFinder = (query, dir, io) => findFilm(query, dir ?? dataDirOf(io), io);

interface CardRequest {
  query: string;
  dataDir: string | undefined;
  view: FilmView;
  /** 1-based, as the card's footer numbers pages ("Page 2/3"). */
  page: number;
  /** Whose watch offers the card lists: --region, else WATCH_REGION as the bot reads it, else the default. */
  region: string;
  color: boolean;
}

const OPTIONS = {
  data: { type: "string" },
  view: { type: "string" },
  page: { type: "string" },
  region: { type: "string" },
  "no-color": { type: "boolean" },
} as const;

export async function runCardCommand(args: string[], io: CliIo, find: FilmFinder = findInDataFolder): Promise<number> {
  let request: CardRequest;
  try {
    request = parseCardArgs(args, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return usageFailure(error.message, io);
  }
  const film = await find(request.query, request.dataDir, io);
  if (film === undefined) {
    io.stderr(`No film matches "${request.query}".\n`);
    return EXIT_PROBLEM;
  }
  const pages = cardPageCount(film, request.view);
  if (request.page > pages) {
    return usageFailure(
      `--page ${request.page} is past the last page: the ${request.view} view of ${film.id} has ${plural(pages, "page")}`,
      io,
    );
  }
  io.stdout(
    renderCardForTerminal(buildFilmCard(film, request.view, request.page - 1, request.region), {
      color: request.color,
    }),
  );
  return EXIT_OK;
}

function usageFailure(message: string, io: CliIo): number {
  io.stderr(`catalog card: ${message} (usage: ${CARD_USAGE})\n`);
  return EXIT_USAGE;
}

function parseCardArgs(args: string[], io: CliIo): CardRequest {
  const { values, positionals } = parseCommandLine(args, OPTIONS);
  const query = positionals.join(" ").trim();
  if (query === "") throw new UsageError("expected a film title or id");
  return {
    query,
    dataDir: values.data,
    view: values.view === undefined ? "overview" : parseView(values.view),
    page: values.page === undefined ? 1 : parsePage(values.page),
    region: regionOf(values.region, io),
    color: values["no-color"] !== true && (io.stdoutIsTTY ?? io.isTTY === true) && !noColorRequested(envOf(io)),
  };
}

/** --region, else WATCH_REGION (the bot's setting), else the default. */
function regionOf(flag: string | undefined, io: CliIo): string {
  if (flag !== undefined) return parseRegionFlag(flag);
  const fromEnv = envOf(io).WATCH_REGION?.trim();
  if (fromEnv === undefined || fromEnv === "") return DEFAULT_REGION;
  const code = regionCodeOf(fromEnv);
  if (code === null) throw new UsageError(`WATCH_REGION must be a two-letter country code, got "${fromEnv}"`);
  return code;
}

function parseView(text: string): FilmView {
  const view = FILM_VIEWS.find((candidate) => candidate === text.trim().toLowerCase());
  if (view === undefined) throw new UsageError(`--view must be one of ${FILM_VIEWS.join(", ")}, got "${text}"`);
  return view;
}

function parsePage(text: string): number {
  const page = /^\d{1,5}$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(page >= 1)) throw new UsageError(`--page must be a page number from 1, got "${text}"`);
  return page;
}

/** https://no-color.org: set and not empty means no colour, whatever its value. */
function noColorRequested(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env.NO_COLOR;
  return value !== undefined && value !== "";
}
