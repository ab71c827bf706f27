/** Narrowing helpers for JSON bodies received as `unknown`. */

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The record itself, or an empty one, so optional nested objects can be read without checks. */
export function recordOrEmpty(value: unknown): JsonRecord {
  return isRecord(value) ? value : {};
}

/** The array itself, or an empty one. */
export function arrayOrEmpty(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === "number" ? value : undefined;
}

/**
 * Length as Discord counts it: in Unicode code points, not UTF-16 units (so an emoji counts 1).
 * Ajv's `maxLength` counts the same way, so schema and limit checks agree.
 */
export function textLength(value: unknown): number {
  return typeof value === "string" ? [...value].length : 0;
}
