import { describe, expect, it } from "vitest";
import { parseRegion, regionChoices, regionLabel, REGION_CODES } from "../../src/settings/regions.js";
import {
  cardAnswerVisibility,
  defaultSettings,
  describeStored,
  encodeSetting,
  fieldOfKey,
  readStoredSettings,
  type GuildSettings,
} from "../../src/settings/settings.js";

const DEFAULTS = defaultSettings({ watchRegion: "US" });
const PUBLIC_CHANNEL = "111111111111111111";
const OTHER_CHANNEL = "222222222222222222";

describe("regions", () => {
  it("knows the 249 assigned ISO 3166-1 alpha-2 codes, by name", () => {
    expect(REGION_CODES.size).toBe(249);
    expect(regionLabel("FR")).toBe("France (FR)");
    expect(regionLabel("CI")).toBe("Côte d’Ivoire (CI)");
  });

  it("reads a code in any case, or an English name with or without accents", () => {
    expect(parseRegion("fr")).toBe("FR");
    expect(parseRegion(" GB ")).toBe("GB");
    expect(parseRegion("France")).toBe("FR");
    expect(parseRegion("united states")).toBe("US");
    expect(parseRegion("cote d'ivoire")).toBe("CI");
  });

  it("refuses codes outside the standard, and anything else", () => {
    const refused = ["EU", "XK", "ZZ", "UK", "USA", "", "F", "12", "Atlantis", "fr;DROP"];
    expect(refused.map((typed) => parseRegion(typed))).toEqual(refused.map(() => null));
  });

  it("suggests the typed code first, then names that start with what is typed, then names with a word that does", () => {
    expect(regionChoices("fr", 4).map((choice) => choice.value)).toEqual(["FR", "GF", "PF", "TF"]);
    expect(regionChoices("guinea", 4).map((choice) => choice.value)).toEqual(["GN", "GW", "GQ", "PG"]);
    expect(regionChoices("", 25)).toHaveLength(25);
    expect(regionChoices("atlantis", 25)).toEqual([]);
    for (const choice of regionChoices("", 300)) expect(choice.name.length).toBeLessThanOrEqual(100);
  });
});

describe("reading stored settings", () => {
  it("gives the defaults for a server that changed nothing: WATCH_REGION, public cards everywhere, no adult films", () => {
    expect(readStoredSettings({}, DEFAULTS)).toEqual({
      settings: { region: "US", cardVisibility: "public", publicChannelIds: [], adultFilms: false },
      unreadable: [],
    });
    expect(defaultSettings({ watchRegion: "FR" }).region).toBe("FR");
  });

  it("reads each stored text as its value", () => {
    const stored = {
      region: "FR",
      "card-visibility": "private",
      "public-channels": `${PUBLIC_CHANNEL},${OTHER_CHANNEL}`,
      "adult-films": "true",
    };
    expect(readStoredSettings(stored, DEFAULTS).settings).toEqual({
      region: "FR",
      cardVisibility: "private",
      publicChannelIds: [PUBLIC_CHANNEL, OTHER_CHANNEL],
      adultFilms: true,
    });
  });

  it("leaves a value it cannot read at its default, and says which; ignores settings it does not know", () => {
    const stored = {
      region: "Narnia",
      "card-visibility": "secret",
      "public-channels": "general,123",
      "adult-films": "yes",
      "a-later-setting": "x",
    };
    expect(readStoredSettings(stored, DEFAULTS)).toEqual({
      settings: DEFAULTS,
      unreadable: ["region", "card-visibility", "public-channels", "adult-films"],
    });
  });
});

describe("storing a value", () => {
  it("keeps a value that differs from a fixed default, and nothing for one that does not", () => {
    expect(encodeSetting("cardVisibility", "private")).toBe("private");
    expect(encodeSetting("cardVisibility", "public")).toBeNull();
    expect(encodeSetting("adultFilms", true)).toBe("true");
    expect(encodeSetting("adultFilms", false)).toBeNull();
    expect(encodeSetting("publicChannelIds", [PUBLIC_CHANNEL, OTHER_CHANNEL])).toBe(
      `${PUBLIC_CHANNEL},${OTHER_CHANNEL}`,
    );
    expect(encodeSetting("publicChannelIds", [])).toBeNull();
  });

  it("keeps a region even when it is the default one (WATCH_REGION may change later); null goes back to it", () => {
    expect(encodeSetting("region", "US")).toBe("US");
    expect(encodeSetting("region", null)).toBeNull();
  });

  it("describes stored values as members read them, defaults said so", () => {
    expect(describeStored("region", "FR", DEFAULTS)).toBe("France (FR)");
    expect(describeStored("region", null, DEFAULTS)).toBe("United States (US) (the default)");
    expect(describeStored("cardVisibility", "private", DEFAULTS)).toBe("private: only the member who asked");
    expect(describeStored("publicChannelIds", `${PUBLIC_CHANNEL}`, DEFAULTS)).toBe(`<#${PUBLIC_CHANNEL}>`);
    expect(describeStored("publicChannelIds", null, DEFAULTS)).toBe("every channel (the default)");
    expect(describeStored("adultFilms", "true", DEFAULTS)).toBe("included");
    expect(describeStored("adultFilms", "garbage", DEFAULTS)).toBe("left out (the default)");
    expect(fieldOfKey("card-visibility")).toBe("cardVisibility");
    expect(fieldOfKey("nope")).toBeUndefined();
  });
});

const inChannel = (channelId: string, parentChannelId: string | null = null) => ({ channelId, parentChannelId });
const withSettings = (overrides: Partial<GuildSettings>): GuildSettings => ({ ...DEFAULTS, ...overrides });

describe("where a card answer goes", () => {
  it("is public by default, in every channel", () => {
    expect(cardAnswerVisibility(DEFAULTS, inChannel(OTHER_CHANNEL))).toBe("public");
  });

  it("is private everywhere when the server made card answers private, public channels or not", () => {
    expect(cardAnswerVisibility(withSettings({ cardVisibility: "private" }), inChannel(OTHER_CHANNEL))).toBe("private");
    const both = withSettings({ cardVisibility: "private", publicChannelIds: [PUBLIC_CHANNEL] });
    expect(cardAnswerVisibility(both, inChannel(PUBLIC_CHANNEL))).toBe("private");
  });

  it("is public only in the listed channels, and in their threads, when the server listed some", () => {
    const listed = withSettings({ publicChannelIds: [PUBLIC_CHANNEL] });
    expect(cardAnswerVisibility(listed, inChannel(PUBLIC_CHANNEL))).toBe("public");
    expect(cardAnswerVisibility(listed, inChannel("333333333333333333", PUBLIC_CHANNEL))).toBe("public");
    expect(cardAnswerVisibility(listed, inChannel(OTHER_CHANNEL))).toBe("private");
    expect(cardAnswerVisibility(listed, inChannel("333333333333333333", OTHER_CHANNEL))).toBe("private");
    expect(cardAnswerVisibility(listed, { channelId: null, parentChannelId: null })).toBe("private");
  });
});
