/**
 * Scores a catalog's search against the query set: share of queries answered right at rank 1 and within the top 25,
 * and, for what a member sending the text gets (Catalog.resolve), how often that is a card, a wrong card, a question
 * (a pick menu), or nothing.
 */
import { readFileSync } from "node:fs";
import type { Catalog } from "../../../../src/catalog/catalog.js";
import type { Film } from "../../../../src/catalog/film.js";
import { convertVegaMovies, vegaMoviesPath } from "../../../../src/importers/vega.js";
import { withAlternateTitles } from "./alternate-titles.js";
import type { SearchQuery } from "./generate.js";

/** What a member sending the text gets: a card of one film, a menu of films, or a "no match" answer. */
export type Resolution = { verdict: "answer"; id: string } | { verdict: "ask"; ids: string[] } | { verdict: "none" };

export interface KindStats {
  queries: number;
  top1: number;
  top25: number;
  /** Cards posted; `wrongCards` of them not the film meant (or any card, for a query that must be asked). */
  cards: number;
  wrongCards: number;
  /** Pick menus shown instead of a card; `menusWithFilm` of them offered the film meant. */
  menus: number;
  menusWithFilm: number;
}

export interface QualityReport extends KindStats {
  byKind: Record<string, KindStats>;
  misses: { query: string; kind: string; expect: string; got: string | null; rankOfExpected: number }[];
  wrongCardQueries: { query: string; kind: string; expect: string; got: string }[];
}

/** The catalog the query set is made from and measured on: vega-datasets' real titles, with alternate titles. */
export function querySetFilms(): Film[] {
  return withAlternateTitles(convertVegaMovies(JSON.parse(readFileSync(vegaMoviesPath(), "utf8"))).films);
}

export function loadQuerySet(): SearchQuery[] {
  return JSON.parse(readFileSync(new URL("./queries.json", import.meta.url), "utf8")) as SearchQuery[];
}

function emptyStats(): KindStats {
  return { queries: 0, top1: 0, top25: 0, cards: 0, wrongCards: 0, menus: 0, menusWithFilm: 0 };
}

/** `search` returns ids best first; `resolve` (optional) what sending the text gets. Rates are shares of queries. */
export function evaluateQuality(
  queries: readonly SearchQuery[],
  search: (query: string) => readonly string[],
  resolve?: (query: string) => Resolution,
): QualityReport {
  const total = emptyStats();
  const byKind: QualityReport["byKind"] = {};
  const misses: QualityReport["misses"] = [];
  const wrongCardQueries: QualityReport["wrongCardQueries"] = [];
  for (const { query, kind, expect, alsoAccept = [], mustAsk = false } of queries) {
    const meant = (id: string): boolean => id === expect || alsoAccept.includes(id);
    const ids = search(query).slice(0, 25);
    const rank = ids.findIndex(meant);
    const kindStats = (byKind[kind] ??= emptyStats());
    const add = (field: keyof KindStats): void => {
      kindStats[field]++;
      total[field]++;
    };
    add("queries");
    if (rank === 0) add("top1");
    else misses.push({ query, kind, expect, got: ids[0] ?? null, rankOfExpected: rank });
    if (rank >= 0) add("top25");
    const got = resolve?.(query);
    if (got?.verdict === "answer") {
      add("cards");
      if (mustAsk || !meant(got.id)) {
        add("wrongCards");
        wrongCardQueries.push({ query, kind, expect, got: got.id });
      }
    } else if (got?.verdict === "ask") {
      add("menus");
      if (got.ids.some(meant)) add("menusWithFilm");
    }
  }
  return { ...total, byKind, misses, wrongCardQueries };
}

/** What sending the text to the bot gets (Catalog.resolve), as the evaluation reads it. */
export function resolution(catalog: Catalog, query: string): Resolution {
  const resolved = catalog.resolve(query);
  if (resolved.verdict === "answer") return { verdict: "answer", id: resolved.film.id };
  if (resolved.verdict === "ask") return { verdict: "ask", ids: resolved.matches.map((match) => match.film.id) };
  return { verdict: "none" };
}

/** A share of queries as a percentage with `digits` decimals. */
export function share(count: number, of: number, digits = 1): string {
  return `${of === 0 ? "0" : ((100 * count) / of).toFixed(digits)} %`;
}
