/**
 * Server settings as both stores write them: a server's settings as one JSON object of texts (Redis keeps them so,
 * in one hash field per server), and audit entries as JSON. What cannot be read is left out, never thrown: a value a
 * later version wrote, or a damaged row, must not stop the bot from reading the rest.
 */
import { z } from "zod";
import type { SettingsAuditEntry } from "./store.js";

const settingsAuditEntrySchema = z.object({
  at: z.string(),
  by: z.string(),
  guildId: z.string(),
  setting: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
});

/** The readable audit entries among JSON texts, in their order, and how many were not. */
export function parseSettingsAuditRows(rows: readonly string[]): { entries: SettingsAuditEntry[]; dropped: number } {
  const entries = rows.flatMap((row) => {
    const parsed = settingsAuditEntrySchema.safeParse(parseJson(row));
    return parsed.success ? [parsed.data] : [];
  });
  return { entries, dropped: rows.length - entries.length };
}

/** A server's settings from a JSON object: its text values (anything else is left out). */
export function parseSettingsObject(raw: string): Record<string, string> {
  const value = parseJson(raw);
  const settings: Record<string, string> = {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) return settings;
  for (const [name, text] of Object.entries(value)) if (typeof text === "string") settings[name] = text;
  return settings;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
