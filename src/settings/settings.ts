/**
 * A server's settings: what each one is, its default, how it is kept in the store and how it reads to a member. The
 * store keeps only what a server changed, one short text per setting ("FR", "private", "111,222", "true": readable
 * with redis-cli or sqlite3, and in the audit); everything else follows the defaults, so a new WATCH_REGION reaches
 * every server that never picked a region. A stored value this version cannot read counts as not set.
 */
import type { Config } from "../config/config.js";
import { REGION_CODES, regionLabel } from "./regions.js";

/** Where card answers go: the same two values as a command's visibility (src/interactions/command.ts). */
export type CardVisibility = "public" | "private";

export interface GuildSettings {
  /** ISO 3166-1 alpha-2: the region for certifications and where-to-watch. */
  readonly region: string;
  /** Whether card answers are posted for everyone in the channel or shown only to the member who asked. */
  readonly cardVisibility: CardVisibility;
  /** The channels where card answers are public (elsewhere they are private); empty: every channel. */
  readonly publicChannelIds: readonly string[];
  /** Whether /random and /top may pick films rated for adults. */
  readonly adultFilms: boolean;
}

export type SettingField = keyof GuildSettings;

/** The most public channels a server can list: the channel options of `/settings set public-channels`. */
export const PUBLIC_CHANNELS_LIMIT = 5;

/** The settings of a server that changed none (and of DMs): WATCH_REGION, public cards everywhere, no adult films. */
export function defaultSettings(config: Pick<Config, "watchRegion">): GuildSettings {
  return { region: config.watchRegion, cardVisibility: "public", publicChannelIds: [], adultFilms: false };
}

interface SettingSpec<Field extends SettingField> {
  /** The name in the store and the audit. */
  readonly key: string;
  /** How members read its name. */
  readonly label: string;
  /** The stored text's value; undefined when it is not one this version reads. */
  decode(text: string): GuildSettings[Field] | undefined;
  encode(value: GuildSettings[Field]): string;
  /** How members read a value. */
  describe(value: GuildSettings[Field]): string;
}

const SNOWFLAKE = /^\d{1,20}$/;

/** Every setting, in the order /settings view shows them. */
export const SETTINGS: { readonly [Field in SettingField]: SettingSpec<Field> } = {
  region: {
    key: "region",
    label: "Region",
    decode: (text) => (REGION_CODES.has(text) ? text : undefined),
    encode: (code) => code,
    describe: regionLabel,
  },
  cardVisibility: {
    key: "card-visibility",
    label: "Card answers",
    decode: (text) => (text === "public" || text === "private" ? text : undefined),
    encode: (visibility) => visibility,
    describe: (visibility) =>
      visibility === "public" ? "public: everyone in the channel sees them" : "private: only the member who asked",
  },
  publicChannelIds: {
    key: "public-channels",
    label: "Public channels",
    decode: (text) => {
      const ids = text.split(",");
      return ids.length > 0 && ids.length <= 25 && ids.every((id) => SNOWFLAKE.test(id)) ? ids : undefined;
    },
    encode: (ids) => ids.join(","),
    describe: (ids) => (ids.length === 0 ? "every channel" : ids.map((id) => `<#${id}>`).join(", ")),
  },
  adultFilms: {
    key: "adult-films",
    label: "Adult films in /random and /top",
    decode: (text) => (text === "true" ? true : text === "false" ? false : undefined),
    encode: (allowed) => String(allowed),
    describe: (allowed) => (allowed ? "included" : "left out"),
  },
};

export const SETTING_FIELDS = Object.keys(SETTINGS) as SettingField[];

/** What a server changed, read: its settings in force, and the stored keys that could not be read (left at default). */
export function readStoredSettings(
  stored: Readonly<Record<string, string>>,
  defaults: GuildSettings,
): { settings: GuildSettings; unreadable: string[] } {
  const settings: Record<string, unknown> = { ...defaults };
  const unreadable: string[] = [];
  for (const field of SETTING_FIELDS) {
    const spec: SettingSpec<SettingField> = SETTINGS[field];
    const text = stored[spec.key];
    if (text === undefined) continue;
    const value = spec.decode(text);
    if (value === undefined) unreadable.push(spec.key);
    else settings[field] = value;
  }
  return { settings: settings as unknown as GuildSettings, unreadable };
}

/**
 * What a value is stored as; null puts the setting back to its default. A value equal to a fixed default is not
 * kept (nothing to remember); a region is, even the default one: the server then keeps it if WATCH_REGION changes.
 */
export function encodeSetting<Field extends SettingField>(
  field: Field,
  value: GuildSettings[Field] | null,
): string | null {
  if (value === null) return null;
  if (field === "cardVisibility" && value === "public") return null;
  if (field === "adultFilms" && value === false) return null;
  if (field === "publicChannelIds" && (value as readonly string[]).length === 0) return null;
  return SETTINGS[field].encode(value);
}

/** A stored value (null: not set) as members read it: "France (FR)", "United States (US), the default". */
export function describeStored(field: SettingField, text: string | null, defaults: GuildSettings): string {
  const spec: SettingSpec<SettingField> = SETTINGS[field];
  const value = text === null ? undefined : spec.decode(text);
  if (value === undefined) return `${spec.describe(defaults[field])} (the default)`;
  return spec.describe(value);
}

/** The field of a stored key, for reading the audit; undefined for a key this version does not know. */
export function fieldOfKey(key: string): SettingField | undefined {
  return SETTING_FIELDS.find((field) => SETTINGS[field].key === key);
}

/** Where an interaction happens, as the visibility policy needs it. */
export interface AnswerPlace {
  readonly channelId: string | null;
  /** For a thread: the channel it belongs to, so that a thread of a public channel is public too. */
  readonly parentChannelId: string | null;
}

/**
 * Where a card answer goes in a server with `settings`: private when the server made card answers private, or when
 * it listed public channels and this is not one of them (nor a thread of one); public otherwise.
 */
export function cardAnswerVisibility(settings: GuildSettings, place: AnswerPlace): CardVisibility {
  if (settings.cardVisibility === "private") return "private";
  if (settings.publicChannelIds.length === 0) return "public";
  const listed = [place.channelId, place.parentChannelId].some(
    (id) => id !== null && settings.publicChannelIds.includes(id),
  );
  return listed ? "public" : "private";
}
