/**
 * Bounded optimal-string-alignment distance (Levenshtein plus adjacent transpositions): the typo distance members
 * make ("godfahter"). Stops as soon as the distance must exceed `max`, which keeps candidate checks cheap.
 */

// Rows reused across calls: this runs for every fuzzy candidate of every keystroke.
let previousPrevious = new Int32Array(64);
let previous = new Int32Array(64);
let current = new Int32Array(64);

function ensureCapacity(length: number): void {
  if (current.length > length) return;
  const size = length + 1;
  previousPrevious = new Int32Array(size);
  previous = new Int32Array(size);
  current = new Int32Array(size);
}

/**
 * Fills the table of `a` against the first `columns` characters of `b`, row by row, leaving the last row in
 * `previous`. False as soon as a whole row exceeds `max`: no later row can come back under it.
 */
function fillTable(a: string, b: string, columns: number, max: number): boolean {
  ensureCapacity(columns);
  for (let j = 0; j <= columns; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMinimum = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= columns; j++) {
      const cb = b.charCodeAt(j - 1);
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        best = Math.min(best, previousPrevious[j - 2]! + 1);
      }
      current[j] = best;
      if (best < rowMinimum) rowMinimum = best;
    }
    if (rowMinimum > max) return false;
    const recycled = previousPrevious;
    previousPrevious = previous;
    previous = current;
    current = recycled;
  }
  return true;
}

/** The distance between a and b, or max + 1 when it is larger than max. */
export function boundedEditDistance(a: string, b: string, max: number): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a.length === 0 || b.length === 0) return Math.max(a.length, b.length);
  if (!fillTable(a, b, b.length, max)) return max + 1;
  const distance = previous[b.length]!;
  return distance > max ? max + 1 : distance;
}

/**
 * The distance from `typed` to the closest prefix of `word` ("godfahte" → "godfather" is 1), or max + 1 when larger:
 * the same table, read at its last row's best column.
 */
export function boundedPrefixDistance(typed: string, word: string, max: number): number {
  if (typed.length === 0) return 0;
  const columns = Math.min(word.length, typed.length + max);
  if (columns < typed.length - max) return max + 1;
  if (!fillTable(typed, word, columns, max)) return max + 1;
  let best = max + 1;
  for (let j = Math.max(0, typed.length - max); j <= columns; j++) if (previous[j]! < best) best = previous[j]!;
  return best;
}
