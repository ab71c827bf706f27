/**
 * Regions as servers pick them for certifications and where-to-watch: the ISO 3166-1 alpha-2 codes assigned to
 * countries and territories, named in English by the runtime's own data (Intl.DisplayNames), so that a member can
 * type "France", "fr" or pick "France (FR)" from the list. Codes outside the standard (EU, XK, ZZ) are refused:
 * where-to-watch data is keyed by the standard's codes.
 */
import { foldText } from "../catalog/normalize.js";

/** ISO 3166-1 alpha-2, the 249 officially assigned codes. */
const ASSIGNED_CODES = [
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ",
  "BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ",
  "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ",
  "DE DJ DK DM DO DZ",
  "EC EE EG EH ER ES ET",
  "FI FJ FK FM FO FR",
  "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY",
  "HK HM HN HR HT HU",
  "ID IE IL IM IN IO IQ IR IS IT",
  "JE JM JO JP",
  "KE KG KH KI KM KN KP KR KW KY KZ",
  "LA LB LC LI LK LR LS LT LU LV LY",
  "MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ",
  "NA NC NE NF NG NI NL NO NP NR NU NZ",
  "OM",
  "PA PE PF PG PH PK PL PM PN PR PS PT PW PY",
  "QA",
  "RE RO RS RU RW",
  "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ",
  "TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ",
  "UA UG UM US UY UZ",
  "VA VC VE VG VI VN VU",
  "WF WS",
  "YE YT",
  "ZA ZM ZW",
].join(" ");

export const REGION_CODES: ReadonlySet<string> = new Set(ASSIGNED_CODES.split(" "));

const displayNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });

/** "France"; the code itself for one the runtime cannot name. */
export function regionName(code: string): string {
  return displayNames.of(code) ?? code;
}

/** "France (FR)". */
export function regionLabel(code: string): string {
  return `${regionName(code)} (${code})`;
}

/** Every region, by folded name ("cote divoire" for Côte d’Ivoire), for reading what members type. */
const BY_NAME: ReadonlyMap<string, string> = new Map(
  [...REGION_CODES].map((code) => [searchable(regionName(code)), code]),
);

function searchable(text: string): string {
  return foldText(text)
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** The code a member meant: a code in any case ("fr"), or a region's English name ("France", "cote d'ivoire"). */
export function parseRegion(text: string): string | null {
  const trimmed = text.trim();
  if (/^[a-z]{2}$/i.test(trimmed)) {
    const code = trimmed.toUpperCase();
    return REGION_CODES.has(code) ? code : null;
  }
  return BY_NAME.get(searchable(trimmed)) ?? null;
}

/**
 * Up to `limit` regions for what a member is typing: the code typed exactly first, then names that start with it,
 * then names that contain it; everything, alphabetically, for nothing typed.
 */
export function regionChoices(typed: string, limit: number): { name: string; value: string }[] {
  const query = searchable(typed);
  const all = [...REGION_CODES].map((code) => ({ code, name: searchable(regionName(code)) }));
  all.sort((a, b) => a.name.localeCompare(b.name));
  const exact = all.filter((region) => region.code.toLowerCase() === query);
  const starting = all.filter((region) => query === "" || region.name.startsWith(query));
  const containing = all.filter((region) => query !== "" && region.name.includes(` ${query}`));
  const picked: string[] = [];
  for (const region of [...exact, ...starting, ...containing]) {
    if (!picked.includes(region.code)) picked.push(region.code);
    if (picked.length === limit) break;
  }
  return picked.map((code) => ({ name: regionLabel(code), value: code }));
}
