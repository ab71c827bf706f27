/**
 * When a search result is an answer and when it is only a guess: the rules that decide whether free text a member
 * sent names a film or a person, next to the search whose scores they judge. Scores are 1 for the title or name
 * itself and about 0.7 with typos (see ranking.ts).
 */

/** A best match scoring below this is a guess, not an answer. */
export const MATCH_THRESHOLD = 0.6;

/**
 * Members look people up by surname, and a surname is half a name: "kubrick" scores 0.7 against Stanley Kubrick and
 * "kubrik" 0.56. Below the usual threshold, a person is still taken when no one else comes close.
 */
const PERSON_SURNAME_THRESHOLD = 0.5;
const PERSON_CLEAR_LEAD = 0.1;

/** Whether the best match (of a title, or a name in a film lookup) is an answer. */
export function isConvincingMatch(best: number): boolean {
  return best >= MATCH_THRESHOLD;
}

/** Whether the best person match (`second`: the runner-up's score) is an answer. */
export function isConvincingPerson(best: number, second: number | undefined): boolean {
  if (best >= MATCH_THRESHOLD) return true;
  return best >= PERSON_SURNAME_THRESHOLD && (second === undefined || best - second >= PERSON_CLEAR_LEAD);
}
