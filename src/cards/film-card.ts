/**
 * The one film → message builder. Every command and the terminal preview render a film through `buildFilmCard`,
 * which returns plain Discord API JSON: the same object is sent, validated in tests and printed in a terminal.
 *
 * Film text is escaped (escape.ts) before it is measured, every text is within Discord's limits (limits.ts), and
 * the message as a whole is passed through `fitMessage`. No Film, however odd, makes it throw.
 *
 * The buttons: a row of views (Overview, Cast, Trivia, Review, Where to watch), the ◀ ▶ pager of a view with several
 * pages, and a row of where to go next: Similar (films like this one), then the links (IMDb, TMDb, Letterboxd, the
 * trailer) for the ids and addresses the film has. Rows of at most 5, at most 3 rows: within Discord's 5 and 5. The footer says what a member can use, the film id to paste into
 * /movie, and TMDb's required notice when TMDb's data is on the card; which files a film came from is for
 * moderators (`catalog show`).
 */
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIButtonComponentWithCustomId,
  type APIButtonComponentWithURL,
  type APIEmbed,
  type APIEmbedField,
} from "discord-api-types/v10";
import {
  certificationIn,
  DEFAULT_REGION,
  isHttpsUrl,
  isImdbId,
  isRegionCode,
  type CastMember,
  type Film,
  type Rating,
  type WatchOffers,
} from "../catalog/film.js";
import { MONTH_NAMES, plural, pluralNoun } from "../format.js";
import { cleanLine, escapeWithin, neutraliseMentions } from "./escape.js";
import { JUSTWATCH_CREDIT, TMDB_NOTICE, titleOrUntitled, yearLabel } from "./film-text.js";
import {
  BUTTON_URL_LIMIT,
  CUSTOM_ID_LIMIT,
  EMBED_DESCRIPTION_LIMIT,
  EMBED_FIELD_VALUE_LIMIT,
  EMBED_FOOTER_TEXT_LIMIT,
  EMBED_TITLE_LIMIT,
  EMBED_URL_LIMIT,
  fitMessage,
  truncate,
} from "./limits.js";

export type FilmView = "overview" | "cast" | "trivia" | "review" | "watch";
export const FILM_VIEWS: readonly FilmView[] = ["overview", "cast", "trivia", "review", "watch"];

/**
 * A rendered film as plain Discord API JSON: what a command replies with (the interaction router adds visibility and
 * silent mentions), what the tests validate and what the terminal preview draws.
 */
export interface FilmCard {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
}

/** What a card button asks for: a film, one of its views, and a page of that view (0-based). */
export interface CardButtonTarget {
  filmId: string;
  view: FilmView;
  page: number;
}

/** The ◀ / ▶ buttons point at pages a view button may also point at; this tag keeps their custom ids distinct. */
export type PagerSlot = "prev" | "next";

export const FILM_CARD_COLOUR = 0xe8a33d;
export const CAST_PER_PAGE = 20;
/** Highest page a button id may carry; views with more pages stop there (20 × 10 000 cast members). */
export const MAX_CARD_PAGE = 9999;
/** Film ids are slugs of at most ~65 characters; the id format leaves room for 72. */
export const MAX_FILM_ID_LENGTH = 72;

const CARD_ID_PREFIX = "film:v1";
const FILM_ID_PATTERN = /^[a-z0-9-]+$/;
// A view added later is one more word here: ids of the views before it keep their meaning.
const CARD_ID_PATTERN =
  /^film:v1:(overview|cast|trivia|review|watch):(0|[1-9][0-9]{0,3}):([a-z0-9-]+)(?::(prev|next))?$/;

const VIEW_LABELS: Record<FilmView, string> = {
  overview: "Overview",
  cast: "Cast",
  trivia: "Trivia",
  review: "Review",
  watch: "Where to watch",
};
const VIEW_TITLE_SUFFIXES: Record<FilmView, string> = {
  overview: "",
  cast: " — Cast",
  trivia: " — Trivia",
  review: " — User review",
  watch: " — Where to watch",
};
const EMPTY_VIEW_TEXT: Record<FilmView, string> = {
  overview: "No details listed for this film.",
  cast: "No cast listed for this film.",
  trivia: "No trivia listed for this film.",
  review: "No user review for this film.",
  watch: "No streaming, rental or purchase offers listed for this film in this region.",
};

// Per-item budgets, chosen so that a full page always fits the 4096 description by construction.
/** 20 × ("**" + 80 + "** — " + 100) + 19 newlines = 3759. */
const CAST_NAME_LIMIT = 80;
const CAST_ROLE_LIMIT = 100;
const TRIVIA_ITEM_LIMIT = 1000;
const TRIVIA_PER_PAGE = 10;
/** Trivia pages are packed by raw length, cheaply and stably; escaping adds a little, hence the margin below 4096. */
const TRIVIA_PAGE_BUDGET = 3600;
const LOGLINE_LIMIT = 1000;
const TAGLINE_LIMIT = 300;
const NAME_LIMIT = 100;
/** Fields longer than this read badly squeezed into a third of the embed's width. */
const INLINE_VALUE_LIMIT = 60;

/**
 * Builds the message for one view (and page, for paged views) of a film. Out-of-range pages are clamped. `region`
 * (ISO 3166-1, "US") is whose offers "Where to watch" lists.
 */
export function buildFilmCard(film: Film, view: FilmView = "overview", page = 0, region = DEFAULT_REGION): FilmCard {
  const pages = cardPageCount(film, view);
  const shownPage = clampPage(page, pages);
  return {
    embeds: fitMessage([viewEmbed(film, view, shownPage, pages, region)]),
    components: cardButtons(film, view, shownPage, pages, region),
  };
}

/** Whether a view has anything to show; views without data get a disabled button. */
export function hasViewData(film: Film, view: FilmView, region = DEFAULT_REGION): boolean {
  switch (view) {
    case "overview":
      return true;
    case "cast":
      return film.cast.some((member) => hasText(member.name));
    case "trivia":
      return film.trivia.some(hasText);
    case "review":
      return hasText(film.review);
    case "watch":
      return offersIn(film, region) !== null;
  }
}

/** How many pages a view has (at least 1, at most MAX_CARD_PAGE + 1). */
export function cardPageCount(film: Film, view: FilmView): number {
  let pages = 1;
  if (view === "cast") pages = Math.ceil(listedCast(film).length / CAST_PER_PAGE);
  if (view === "trivia") pages = triviaPageStarts(listedTrivia(film)).length;
  return Math.min(Math.max(pages, 1), MAX_CARD_PAGE + 1);
}

function clampPage(page: number, pages: number): number {
  const whole = Number.isFinite(page) ? Math.trunc(page) : 0;
  return Math.min(Math.max(whole, 0), pages - 1);
}

// ─── Button ids ────────────────────────────────────────────────────────────────────────────────────────────────

/** Whether `filmId` fits in a card button id; cards for other ids are sent without buttons. */
export function isEncodableFilmId(filmId: string): boolean {
  return filmId.length > 0 && filmId.length <= MAX_FILM_ID_LENGTH && FILM_ID_PATTERN.test(filmId);
}

/**
 * The stateless custom id of a card button, `film:v1:<view>:<page>:<filmId>[:prev|:next]`: everything needed to
 * redraw the card, so buttons keep working across restarts. At most 100 characters. Throws RangeError for a film id
 * or page that cannot be encoded (check with `isEncodableFilmId`).
 */
export function encodeCardButtonId(target: CardButtonTarget, slot?: PagerSlot): string {
  if (!isEncodableFilmId(target.filmId))
    throw new RangeError(`film id cannot go in a button id: ${JSON.stringify(target.filmId)}`);
  if (!Number.isInteger(target.page) || target.page < 0 || target.page > MAX_CARD_PAGE) {
    throw new RangeError(`card page out of range: ${target.page}`);
  }
  const id = `${CARD_ID_PREFIX}:${target.view}:${target.page}:${target.filmId}`;
  return slot === undefined ? id : `${id}:${slot}`;
}

/** The target of a card button id, or null for anything else; the id is untrusted input. */
export function parseCardButtonId(customId: unknown): CardButtonTarget | null {
  if (typeof customId !== "string" || customId.length > CUSTOM_ID_LIMIT) return null;
  const match = CARD_ID_PATTERN.exec(customId);
  if (match === null) return null;
  const [, view, page, filmId] = match;
  if (!isFilmView(view) || page === undefined || filmId === undefined || filmId.length > MAX_FILM_ID_LENGTH)
    return null;
  return { filmId, view, page: Number(page) };
}

function isFilmView(value: string | undefined): value is FilmView {
  return FILM_VIEWS.some((view) => view === value);
}

/**
 * The view buttons and the pager when the film id fits in a button id; then Similar (when the id fits) and the links
 * the film has. The five views fill their row and the links are at most four: Similar joins the links rather than
 * taking a row of its own.
 */
function cardButtons(film: Film, view: FilmView, page: number, pages: number, region: string): FilmCard["components"] {
  const rows: FilmCard["components"] = [];
  const encodable = isEncodableFilmId(film.id);
  if (encodable) {
    rows.push({ type: ComponentType.ActionRow, components: viewButtons(film, view, region) });
    if (pages > 1) rows.push({ type: ComponentType.ActionRow, components: pagerButtons(film.id, view, page, pages) });
  }
  const onward = [...(encodable ? [similarButton(film.id)] : []), ...linkButtons(film)];
  if (onward.length > 0) rows.push({ type: ComponentType.ActionRow, components: onward });
  return rows;
}

function viewButtons(film: Film, current: FilmView, region: string): APIButtonComponentWithCustomId[] {
  return FILM_VIEWS.map((view) => ({
    type: ComponentType.Button,
    style: view === current ? ButtonStyle.Primary : ButtonStyle.Secondary,
    label: VIEW_LABELS[view],
    custom_id: encodeCardButtonId({ filmId: film.id, view, page: 0 }),
    disabled: view === current || !hasViewData(film, view, region),
  }));
}

/** IMDb, TMDb, Letterboxd (which finds a film by its IMDb id) and the trailer, for the ids and links the film has. */
function linkButtons(film: Film): APIButtonComponentWithURL[] {
  const imdbId = film.imdbId !== null && isImdbId(film.imdbId) ? film.imdbId : null;
  const tmdbId = film.tmdbId !== null && Number.isSafeInteger(film.tmdbId) && film.tmdbId > 0 ? film.tmdbId : null;
  const candidates: [label: string, url: string | null][] = [
    ["IMDb", imdbId === null ? null : `https://www.imdb.com/title/${imdbId}/`],
    ["TMDb", tmdbId === null ? null : `https://www.themoviedb.org/movie/${tmdbId}`],
    ["Letterboxd", imdbId === null ? null : `https://letterboxd.com/imdb/${imdbId}/`],
    ["Trailer", usableUrl(film.trailer, BUTTON_URL_LIMIT)],
  ];
  return candidates.flatMap(([label, url]) =>
    url === null ? [] : [{ type: ComponentType.Button, style: ButtonStyle.Link, label, url }],
  );
}

function pagerButtons(filmId: string, view: FilmView, page: number, pages: number): APIButtonComponentWithCustomId[] {
  const last = pages - 1;
  const pager = (
    slot: PagerSlot,
    label: string,
    target: number,
    disabled: boolean,
  ): APIButtonComponentWithCustomId => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label,
    custom_id: encodeCardButtonId({ filmId, view, page: target }, slot),
    disabled,
  });
  return [
    pager("prev", "◀", Math.max(page - 1, 0), page === 0),
    pager("next", "▶", Math.min(page + 1, last), page === last),
  ];
}

// ─── Similar films ─────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The Similar button: `film:v1:similar:0:<filmId>`, the card id's scheme with a view of its own (page always 0). It
 * does not redraw the card: commands/similar-films.ts answers it with a private list of films like this one and a
 * menu to post one's card.
 */
const SIMILAR_ID_PATTERN = /^film:v1:similar:0:([a-z0-9-]+)$/;
export const SIMILAR_ID_PREFIX = `${CARD_ID_PREFIX}:similar:`;

/** The Similar button's id for a film; RangeError for an id that cannot be encoded (see isEncodableFilmId). */
export function encodeSimilarButtonId(filmId: string): string {
  if (!isEncodableFilmId(filmId)) throw new RangeError(`film id cannot go in a button id: ${JSON.stringify(filmId)}`);
  return `${SIMILAR_ID_PREFIX}0:${filmId}`;
}

/** The film of a Similar button id, or null for anything else; the id is untrusted input. */
export function parseSimilarButtonId(customId: unknown): { filmId: string } | null {
  if (typeof customId !== "string" || customId.length > CUSTOM_ID_LIMIT) return null;
  const filmId = SIMILAR_ID_PATTERN.exec(customId)?.[1];
  return filmId === undefined || filmId.length > MAX_FILM_ID_LENGTH ? null : { filmId };
}

function similarButton(filmId: string): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: "Similar",
    custom_id: encodeSimilarButtonId(filmId),
  };
}

// ─── Embeds ────────────────────────────────────────────────────────────────────────────────────────────────────

/** What a view contributes to its embed; title, link, poster, colour and footer are common to all views. */
interface EmbedBody {
  description?: string;
  fields?: APIEmbedField[];
}

type ViewBodyBuilder = (film: Film, page: number, region: string) => EmbedBody;

const VIEW_BODY_BUILDERS: Record<FilmView, ViewBodyBuilder> = {
  overview: overviewBody,
  cast: castBody,
  trivia: triviaBody,
  review: reviewBody,
  watch: watchBody,
};

/** The embed for a view, keys in reading order: title, link, description, fields, poster, footer, colour. */
function viewEmbed(film: Film, view: FilmView, page: number, pages: number, region: string): APIEmbed {
  const embed: APIEmbed = { title: cardTitle(film, VIEW_TITLE_SUFFIXES[view]) };
  const url = websiteUrl(film.website);
  if (url !== null) embed.url = url;
  const body = VIEW_BODY_BUILDERS[view](film, page, region);
  if (body.description !== undefined) embed.description = truncate(body.description, EMBED_DESCRIPTION_LIMIT);
  if (body.fields !== undefined) embed.fields = body.fields;
  const poster = usableUrl(film.poster, EMBED_URL_LIMIT);
  if (poster !== null) embed.thumbnail = { url: poster };
  const footer = footerText(film, pages > 1 ? `Page ${page + 1}/${pages}` : null);
  if (footer !== "") embed.footer = { text: footer };
  embed.color = FILM_CARD_COLOUR;
  return embed;
}

function overviewBody(film: Film, _page: number, region: string): EmbedBody {
  const description = overviewDescription(film);
  const fields = overviewFields(film, region);
  if (description === "" && fields.length === 0) return { description: EMPTY_VIEW_TEXT.overview };
  return { ...(description === "" ? {} : { description }), ...(fields.length === 0 ? {} : { fields }) };
}

function castBody(film: Film, page: number): EmbedBody {
  const members = listedCast(film).slice(page * CAST_PER_PAGE, (page + 1) * CAST_PER_PAGE);
  return describedOr(members.map(castLine).join("\n"), EMPTY_VIEW_TEXT.cast);
}

function triviaBody(film: Film, page: number): EmbedBody {
  const items = listedTrivia(film);
  const starts = triviaPageStarts(items);
  const first = starts[page] ?? items.length;
  const end = starts[page + 1] ?? items.length;
  return describedOr(triviaPageText(items.slice(first, end), first), EMPTY_VIEW_TEXT.trivia);
}

function reviewBody(film: Film): EmbedBody {
  return describedOr(escapeWithin(film.review ?? "", EMBED_DESCRIPTION_LIMIT), EMPTY_VIEW_TEXT.review);
}

/** Where to watch in the region: TMDb's page of the offers, JustWatch's credit, and the providers by kind of offer. */
function watchBody(film: Film, _page: number, region: string): EmbedBody {
  const offers = offersIn(film, region);
  if (offers === null) return { description: EMPTY_VIEW_TEXT.watch };
  const link = usableUrl(offers.link, EMBED_URL_LIMIT);
  const where = link === null ? `Where to watch in ${region}` : `Where to watch in ${region}: ${link}`;
  const fields = namedFields([
    ["Streaming", nameList(offers.streaming.filter(hasText)), true],
    ["Rent", nameList(offers.rent.filter(hasText)), true],
    ["Buy", nameList(offers.buy.filter(hasText)), true],
  ]);
  return { description: `${where}\n\n${JUSTWATCH_CREDIT}`, fields };
}

/** The film's offers in `region` when it has a provider there. */
function offersIn(film: Film, region: string): WatchOffers | null {
  if (!isRegionCode(region) || !Object.hasOwn(film.watchProviders, region)) return null;
  const offers = film.watchProviders[region]!;
  return [offers.streaming, offers.rent, offers.buy].some((names) => names.some(hasText)) ? offers : null;
}

function describedOr(description: string, whenEmpty: string): EmbedBody {
  return { description: description === "" ? whenEmpty : description };
}

/** "Title (Year) — Suffix", the escaped title shortened so the year and suffix always show. */
function cardTitle(film: Film, suffix: string): string {
  const year = yearLabel(film.year, "");
  const tail = (year === "" ? "" : ` ${year}`) + suffix;
  return titleOrUntitled(escapeWithin(film.title, EMBED_TITLE_LIMIT - tail.length, { singleLine: true })) + tail;
}

/**
 * "Page 2/3 · Film id: x (paste it into /movie)", and TMDb's notice when its data is on the card. Footers show no
 * markdown, so they are not escaped (a backslash would show); mentions are still neutralised.
 */
function footerText(film: Film, pageLabel: string | null): string {
  const id = cleanLine(film.id);
  const parts = [pageLabel ?? "", id === "" ? "" : `Film id: ${id} (paste it into /movie)`];
  if (film.tmdbId !== null) parts.push(TMDB_NOTICE);
  return truncate(neutraliseMentions(parts.filter((part) => part !== "").join(" · ")), EMBED_FOOTER_TEXT_LIMIT);
}

/** An https address Discord takes as a link or an image: within `max` characters, only characters a URL may hold. */
function usableUrl(url: string | null, max: number): string | null {
  return url !== null && url.length <= max && isHttpsUrl(url) ? url : null;
}

/** The website as the title link when it is a real http(s) URL; records sometimes hold link text instead. */
function websiteUrl(website: string | null): string | null {
  const candidate = website?.trim() ?? "";
  if (candidate === "" || candidate.length > EMBED_URL_LIMIT || /\s/.test(candidate)) return null;
  try {
    const url = new URL(candidate);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/** The tagline in italics, the logline, then as much of the synopsis as fits, a blank line between each. */
function overviewDescription(film: Film): string {
  const tagline = escapeWithin(film.tagline ?? "", TAGLINE_LIMIT - 2, { singleLine: true });
  const logline = escapeWithin(film.logline ?? "", LOGLINE_LIMIT);
  const head = [tagline === "" ? "" : `*${tagline}*`, logline].filter((part) => part !== "").join("\n\n");
  const separator = head === "" ? "" : "\n\n";
  const synopsis = escapeWithin(film.synopsis ?? "", EMBED_DESCRIPTION_LIMIT - head.length - separator.length);
  return synopsis === "" ? head : head + separator + synopsis;
}

function overviewFields(film: Film, region: string): APIEmbedField[] {
  const directors = film.directors.filter(hasText);
  const stars = film.stars.filter(hasText);
  const countries = film.countries.filter(hasText);
  const languages = film.languages.filter(hasText);
  const genres = film.genres.filter(hasText);
  const candidates: [name: string, value: string | null, inlineable: boolean][] = [
    ["Rating", ratingText(film.rating), true],
    ["Critics", criticsText(film.criticScore), true],
    [pluralNoun(directors.length, "Director"), nameList(directors), true],
    [pluralNoun(stars.length, "Star"), nameList(stars), true],
    [pluralNoun(countries.length, "Country", "Countries"), nameList(countries), true],
    [pluralNoun(languages.length, "Language"), nameList(languages), true],
    ["Released", releaseDateText(film.releaseDate), true],
    ["Certificate", optionalText(certificationIn(film, region)), true],
    ["Runtime", runtimeText(film.runtimeMinutes), true],
    [pluralNoun(genres.length, "Genre"), nameList(genres), true],
    ["Filming locations", optionalText(film.filmingLocations), false],
    ["Did you know?", optionalText(listedTrivia(film)[0] ?? null), false],
  ];
  return namedFields(candidates);
}

/** The fields that have a value; short values of inlineable fields side by side. */
function namedFields(
  candidates: readonly [name: string, value: string | null, inlineable: boolean][],
): APIEmbedField[] {
  const fields: APIEmbedField[] = [];
  for (const [name, value, inlineable] of candidates) {
    if (value === null || value === "") continue;
    fields.push({ name, value, inline: inlineable && value.length <= INLINE_VALUE_LIMIT });
  }
  return fields;
}

/** "6.6/10 (567 votes)", or just "6.6/10" when the vote count is unknown. */
function ratingText(rating: Rating | null): string | null {
  if (rating === null || !Number.isFinite(rating.score)) return null;
  const score = `${rating.score.toFixed(1)}/10`;
  const votes = rating.votes;
  if (votes === null || !Number.isFinite(votes) || votes < 0) return score;
  return `${score} (${plural(Math.round(votes), "vote")})`;
}

function criticsText(score: number | null): string | null {
  return score !== null && Number.isFinite(score) ? `${Math.round(score)}/100` : null;
}

/** "1h 52m", "45m", "2h". */
function runtimeText(minutes: number | null): string | null {
  if (minutes === null || !Number.isFinite(minutes) || minutes <= 0) return null;
  const total = Math.round(minutes);
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  if (hours === 0) return `${rest}m`;
  return rest === 0 ? `${hours}h` : `${hours}h ${rest}m`;
}

/** "2015-11-06" → "6 November 2015"; "2015-11" → "November 2015"; anything else is shown as written. */
function releaseDateText(isoDate: string | null): string | null {
  if (isoDate === null || !hasText(isoDate)) return null;
  const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(isoDate.trim());
  const month = MONTH_NAMES[Number(match?.[2]) - 1];
  if (match === null || month === undefined) return optionalText(isoDate);
  const [, year, , day] = match;
  if (day === undefined) return `${month} ${year}`;
  if (!isCalendarDate(Number(year), Number(match[2]), Number(day))) return optionalText(isoDate);
  return `${Number(day)} ${month} ${year}`;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Free film text as a one-line field value, or null when there is none. */
function optionalText(text: string | null): string | null {
  if (text === null) return null;
  const escaped = escapeWithin(text, EMBED_FIELD_VALUE_LIMIT, { singleLine: true });
  return escaped === "" ? null : escaped;
}

/**
 * Names joined with ", " within a field value; when they do not all fit, as many as do and "+N more". Stops
 * escaping once full, so 10 000 names cost no more than a few dozen.
 */
function nameList(names: readonly string[], max = EMBED_FIELD_VALUE_LIMIT): string | null {
  const reserve = moreNote(names.length).length;
  let list = "";
  let shown = 0;
  for (const raw of names) {
    const name = escapeWithin(raw, NAME_LIMIT, { singleLine: true });
    const next = list === "" ? name : `${list}, ${name}`;
    const isLast = shown === names.length - 1;
    if (next.length > (isLast ? max : max - reserve)) break;
    list = next;
    shown++;
  }
  if (shown === 0) return null;
  return shown === names.length ? list : list + moreNote(names.length - shown);
}

function moreNote(hidden: number): string {
  return `, +${hidden} more`;
}

function castLine(member: CastMember): string {
  const name = `**${escapeWithin(member.name, CAST_NAME_LIMIT, { singleLine: true })}**`;
  if (!hasText(member.role)) return name;
  return `${name} — ${escapeWithin(member.role ?? "", CAST_ROLE_LIMIT, { singleLine: true })}`;
}

function triviaLabel(index: number): string {
  return `**${index + 1}.** `;
}

/**
 * Page boundaries for trivia: items packed in order by raw length (cheap, and stable for a given film, which
 * button ids rely on), at most TRIVIA_PER_PAGE a page. Returns the index of each page's first item.
 */
function triviaPageStarts(items: readonly string[]): number[] {
  const starts: number[] = [];
  let used = Infinity;
  let count = 0;
  items.forEach((item, index) => {
    const cost = triviaLabel(index).length + Math.min(item.length, TRIVIA_ITEM_LIMIT) + 2;
    if (count === TRIVIA_PER_PAGE || used + cost > TRIVIA_PAGE_BUDGET) {
      starts.push(index);
      used = 0;
      count = 0;
    }
    used += cost;
    count++;
  });
  return starts;
}

/** Numbered trivia items; if escaping pushed the page over the limit, every item gets an equal share instead. */
function triviaPageText(items: readonly string[], firstIndex: number): string {
  const render = (limit: number): string =>
    items
      .map((item, offset) => triviaLabel(firstIndex + offset) + escapeWithin(item, limit, { singleLine: true }))
      .join("\n\n");
  const text = render(TRIVIA_ITEM_LIMIT);
  if (text.length <= EMBED_DESCRIPTION_LIMIT) return text;
  const overhead = items.reduce((sum, _item, offset) => sum + triviaLabel(firstIndex + offset).length + 2, 0);
  return render(Math.floor((EMBED_DESCRIPTION_LIMIT - overhead) / Math.max(items.length, 1)));
}

function listedCast(film: Film): CastMember[] {
  return film.cast.filter((member) => hasText(member.name));
}

function listedTrivia(film: Film): string[] {
  return film.trivia.filter(hasText);
}

/** Whether text has anything visible: not only spaces, control or format characters. */
function hasText(text: string | null): boolean {
  return text !== null && /[^\s\p{C}]/u.test(text);
}
