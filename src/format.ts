/**
 * Numbers and words as people read them — in cards, moderators' reports, the catalog command line and importer
 * summaries: one home for counts, plurals, sizes and durations, so that "3,201 films" reads the same everywhere.
 */

const wholeNumbers = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** "3,201". */
export function formatCount(count: number): string {
  return wholeNumbers.format(count);
}

/** The noun for a count: "Director" / "Directors". */
export function pluralNoun(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many;
}

/** The count and its noun: "1 film", "3,201 films". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${pluralNoun(count, one, many)}`;
}

/** "512 B", "48.0 KB", "2.0 MB", "1.5 GB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** "0.84 s" (with `decimals` 2), "12.3 s", "2 min 5 s". */
export function formatDuration(ms: number, decimals = 1): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(decimals)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/** English month names, January first: how dates are written on cards and in the pages the catalog reads. */
export const MONTH_NAMES: readonly string[] = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

const MONTH_NUMBERS: ReadonlyMap<string, number> = new Map(
  MONTH_NAMES.flatMap((name, index): [string, number][] => [
    [name.toLowerCase(), index + 1],
    [name.slice(0, 3).toLowerCase(), index + 1],
  ]).concat([["sept", 9]]),
);

/** 1-12 for a month's name or its three-letter abbreviation ("november", "Nov", "sept"), in any case; else undefined. */
export function monthNumber(name: string): number | undefined {
  return MONTH_NUMBERS.get(name.toLowerCase());
}
