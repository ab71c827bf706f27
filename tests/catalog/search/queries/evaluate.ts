/** Scores a catalog's search against the query set: share of queries answered right at rank 1 and within the top 25. */
import { readFileSync } from "node:fs";
import type { SearchQuery } from "./generate.js";

export interface QualityReport {
  queries: number;
  top1: number;
  top25: number;
  byKind: Record<string, { queries: number; top1: number; top25: number }>;
  misses: { query: string; kind: string; expect: string; got: string | null; rankOfExpected: number }[];
}

export function loadQuerySet(): SearchQuery[] {
  return JSON.parse(readFileSync(new URL("./queries.json", import.meta.url), "utf8")) as SearchQuery[];
}

/** `search` returns ids best first. */
export function evaluateQuality(
  queries: readonly SearchQuery[],
  search: (query: string) => readonly string[],
): QualityReport {
  let top1 = 0;
  let top25 = 0;
  const byKind: QualityReport["byKind"] = {};
  const misses: QualityReport["misses"] = [];
  for (const { query, kind, expect, alsoAccept = [] } of queries) {
    const ids = search(query).slice(0, 25);
    const rank = ids.findIndex((id) => id === expect || alsoAccept.includes(id));
    const kindStats = (byKind[kind] ??= { queries: 0, top1: 0, top25: 0 });
    kindStats.queries++;
    if (rank === 0) {
      top1++;
      kindStats.top1++;
    } else misses.push({ query, kind, expect, got: ids[0] ?? null, rankOfExpected: rank });
    if (rank >= 0) {
      top25++;
      kindStats.top25++;
    }
  }
  return { queries: queries.length, top1: top1 / queries.length, top25: top25 / queries.length, byKind, misses };
}
