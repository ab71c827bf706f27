/**
 * Values as Keyv stored them before the store used native structures: one JSON document per key, `{"value": …}`,
 * with strings that start with ":" escaped by one more ":" (Keyv's serializer). Watchlists and the audit log are
 * moved out of this format when first met; the catalog generation stays in it on Redis, so that a process of the
 * previous version still follows reloads while versions are mixed.
 */
import { z } from "zod";
import type { ReloadAuditEntry, WatchlistEntry } from "./store.js";

export const watchlistEntrySchema = z.object({
  filmId: z.string().min(1).max(200),
  addedAt: z.string().min(1).max(64),
});

export const auditEntrySchema = z.object({
  at: z.string(),
  by: z.string(),
  guildId: z.string().nullable(),
  outcome: z.enum(["reloaded", "refused", "failed", "interrupted"]),
  films: z.number(),
  previousFilms: z.number(),
  skippedFiles: z.number(),
  durationMs: z.number(),
  message: z.string(),
});

/** The `value` of a Keyv document; undefined when `raw` is not one. */
export function decodeKeyvValue(raw: string): unknown {
  try {
    const document: unknown = JSON.parse(raw, (_key, value: unknown) =>
      typeof value === "string" && value.startsWith(":") ? value.slice(1) : value,
    );
    return typeof document === "object" && document !== null && "value" in document ? document.value : undefined;
  } catch {
    return undefined;
  }
}

/** `value` as Keyv would store it. */
export function encodeKeyvValue(value: string): string {
  return JSON.stringify({ value: value.startsWith(":") ? `:${value}` : value });
}

export interface Parsed<T> {
  entries: T[];
  /** Rows that were not readable and were left out (a value that is not a list counts as one). */
  dropped: number;
}

function parseRows<T>(value: unknown, schema: z.ZodType<T>): Parsed<T> {
  if (value === undefined || value === null) return { entries: [], dropped: 0 };
  if (!Array.isArray(value)) return { entries: [], dropped: 1 };
  const entries = value.flatMap((row: unknown) => {
    const parsed = schema.safeParse(row);
    return parsed.success ? [parsed.data] : [];
  });
  return { entries, dropped: value.length - entries.length };
}

/** A member's list as Keyv kept it (oldest first), readable entries only. */
export function parseLegacyWatchlist(value: unknown): Parsed<WatchlistEntry> {
  return parseRows(value, watchlistEntrySchema);
}

/** Audit entries (newest first), readable ones only: the old log, or rows of the new one parsed from JSON. */
export function parseAuditEntries(value: unknown): Parsed<ReloadAuditEntry> {
  return parseRows(value, auditEntrySchema);
}

/** Each JSON text parsed, unreadable ones as null (so they count as dropped). */
export function parseJsonRows(rows: readonly string[]): unknown[] {
  return rows.map((row) => {
    try {
      return JSON.parse(row) as unknown;
    } catch {
      return null;
    }
  });
}
