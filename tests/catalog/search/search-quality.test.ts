/**
 * Search quality on the query set built from real titles (tests/catalog/search/queries): the share of queries whose
 * intended film comes first, and within the top 25. The goal: ≥ 95 % and ≥ 99 % (plain fuse.js: ~92 % / 99 %,
 * measured by `npm run bench`).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Catalog } from "../../../src/catalog/catalog.js";
import { convertVegaMovies, vegaMoviesPath } from "../../../src/importers/vega.js";
import { evaluateQuality, loadQuerySet } from "./queries/evaluate.js";

describe("search quality on real titles", () => {
  const { films } = convertVegaMovies(JSON.parse(readFileSync(vegaMoviesPath(), "utf8")));
  const catalog = Catalog.build(films);
  const queries = loadQuerySet();
  const report = evaluateQuality(queries, (query) =>
    catalog.search(query, { limit: 25 }).map((match) => match.film.id),
  );

  it("uses a large, varied query set", () => {
    expect(queries.length).toBeGreaterThan(4000);
    expect(Object.keys(report.byKind).length).toBeGreaterThanOrEqual(10);
  });

  it("puts the intended film first for at least 95 % of queries", () => {
    expect(report.top1).toBeGreaterThanOrEqual(0.95);
  });

  it("has the intended film in the top 25 for at least 99 % of queries", () => {
    expect(report.top25).toBeGreaterThanOrEqual(0.99);
  });

  it("is good at every kind of query, typos and prefixes included", () => {
    const weakKinds = Object.entries(report.byKind)
      .filter(([, stats]) => stats.top1 / stats.queries < 0.9)
      .map(([kind]) => kind);
    expect(weakKinds).toEqual([]);
  });
});
