/**
 * Search quality on the query set built from real titles (tests/catalog/search/queries): the share of queries whose
 * intended film comes first, and within the top 25; and what a member sending the text gets — a card only when the
 * film is certain, a pick menu holding the film otherwise. `npm run bench -- search` prints the figures per kind.
 */
import { describe, expect, it } from "vitest";
import { Catalog } from "../../../src/catalog/catalog.js";
import { evaluateQuality, loadQuerySet, querySetFilms, resolution } from "./queries/evaluate.js";

describe("search quality on real titles", () => {
  const catalog = Catalog.build(querySetFilms());
  const queries = loadQuerySet();
  const report = evaluateQuality(
    queries,
    (query) => catalog.search(query, { limit: 25 }).map((match) => match.film.id),
    (query) => resolution(catalog, query),
  );

  it("uses a large, varied query set", () => {
    expect(queries.length).toBeGreaterThan(4000);
    expect(Object.keys(report.byKind).length).toBeGreaterThanOrEqual(15);
  });

  it("puts the intended film first for at least 95 % of queries", () => {
    expect(report.top1 / report.queries).toBeGreaterThanOrEqual(0.95);
  });

  it("has the intended film in the top 25 for at least 99 % of queries", () => {
    expect(report.top25 / report.queries).toBeGreaterThanOrEqual(0.99);
  });

  it("is good at every kind of query, typos and prefixes included", () => {
    const weakKinds = Object.entries(report.byKind)
      .filter(([, stats]) => stats.top1 / stats.queries < 0.9)
      .map(([kind]) => kind);
    expect(weakKinds).toEqual([]);
  });

  it("posts no wrong card: when the text could be another film, or names a year the film lacks, it asks", () => {
    expect(report.wrongCardQueries).toEqual([]);
  });

  it("answers most queries with a card at once, and every question it asks offers the film meant", () => {
    expect(report.cards / report.queries).toBeGreaterThanOrEqual(0.85);
    expect(report.menusWithFilm).toBe(report.menus);
    expect(report.byKind["year-the-film-lacks"]!.menus).toBe(report.byKind["year-the-film-lacks"]!.queries);
  });
});
