import { PermissionFlagsBits } from "discord-api-types/v10";
import { describe, expect, it } from "vitest";
import {
  regionSuggestions,
  SETTINGS_MESSAGES,
  settingsDefinition,
  settingsRefusal,
  settingsReply,
} from "../../commands/settings.js";
import { Catalog } from "../../src/catalog/catalog.js";
import { UserFacingError } from "../../src/errors.js";
import { permissionSet, type Invoker } from "../../src/interactions/command.js";
import type { SubcommandInput } from "../../src/interactions/options.js";
import { createTestContext, FIXED_NOW, messageLimitProblems, useTestContext } from "./fixtures.js";

const test = useTestContext({ catalog: Catalog.build([]), config: { WATCH_REGION: "GB" } });

const GUILD = "200000000000000001";
const CHANNEL = "300000000000000001";
const OTHER_CHANNEL = "300000000000000002";

const moderator: Invoker = {
  userId: "123456789012345678",
  username: "mod",
  guildId: GUILD,
  channelId: CHANNEL,
  parentChannelId: null,
  permissions: permissionSet(PermissionFlagsBits.ManageGuild),
};

type Input = SubcommandInput<typeof settingsDefinition>;
const VIEW: Input = { subcommand: "view", options: {} };
const region = (country: string): Input => ({ group: "set", subcommand: "region", options: { country } });
const cards = (visibility: string): Input => ({ group: "set", subcommand: "cards", options: { visibility } });
const channels = (...ids: string[]): Input => ({
  group: "set",
  subcommand: "public-channels",
  options: {
    channel: ids[0] ?? null,
    channel_2: ids[1] ?? null,
    channel_3: ids[2] ?? null,
    channel_4: ids[3] ?? null,
    channel_5: ids[4] ?? null,
  },
});
const adult = (allowed: boolean): Input => ({ group: "set", subcommand: "adult-films", options: { allowed } });

async function reply(input: Input, invoker = moderator) {
  return settingsReply(input, invoker, test().context);
}

async function content(input: Input): Promise<string | undefined> {
  return (await reply(input)).content;
}

describe("who may use /settings", () => {
  it("only members with Manage Server (or Administrator), only in a server", () => {
    expect(settingsRefusal(moderator)).toBeNull();
    expect(settingsRefusal({ ...moderator, permissions: permissionSet(PermissionFlagsBits.Administrator) })).toBeNull();
    expect(settingsRefusal({ ...moderator, permissions: permissionSet(PermissionFlagsBits.SendMessages) })).toBe(
      SETTINGS_MESSAGES.noPermission,
    );
    expect(settingsRefusal({ ...moderator, guildId: null, permissions: null })).toBe(SETTINGS_MESSAGES.notInGuild);
    expect(settingsDefinition.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
  });
});

describe("/settings view", () => {
  it("shows every setting at its default, the region from WATCH_REGION", async () => {
    const shown = await reply(VIEW, { ...moderator, guildId: "200000000000000099" });
    const embed = shown.embeds?.[0];
    expect(embed?.title).toBe("Settings for this server");
    expect(embed?.fields).toEqual([
      { name: "Region", value: "United Kingdom (GB) (the default)" },
      { name: "Card answers", value: "public: everyone in the channel sees them (the default)" },
      { name: "Public channels", value: "every channel (the default)" },
      { name: "Adult films in /random and /top", value: "left out (the default)" },
      { name: "Latest changes", value: "None yet: every setting is as the bot started." },
    ]);
    expect(messageLimitProblems(shown)).toEqual([]);
  });
});

describe("/settings set", () => {
  it("changes the region, by code or name, and back to the bot's default; refuses what is not a region", async () => {
    expect(await content(region("fr"))).toBe("**Region** changed: United Kingdom (GB) (the default) → France (FR).");
    expect(await content(region("France"))).toBe("**Region** is already France (FR): nothing changed.");
    expect(test().context.settings.of(GUILD).region).toBe("FR");
    expect(await content(region("default"))).toBe(
      "**Region** changed: France (FR) → United Kingdom (GB) (the default).",
    );
    const refusal = await reply(region("Atlantis")).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(UserFacingError);
    expect((refusal as Error).message).toBe(SETTINGS_MESSAGES.unknownRegion("Atlantis"));
    await expect(reply(region("EU"))).rejects.toThrow(UserFacingError);
  });

  it("makes card answers private or public", async () => {
    expect(await content(cards("private"))).toBe(
      "**Card answers** changed: public: everyone in the channel sees them (the default) → private: only the member who asked.",
    );
    expect(test().context.settings.cardVisibility(GUILD, { channelId: CHANNEL, parentChannelId: null })).toBe(
      "private",
    );
    expect(await content(cards("public"))).toMatch(/^\*\*Card answers\*\* changed: private: .* → public: .*default/);
  });

  it("lists public channels (each once), and no channel means every channel", async () => {
    expect(await content(channels(CHANNEL, OTHER_CHANNEL, CHANNEL))).toBe(
      `**Public channels** changed: every channel (the default) → <#${CHANNEL}>, <#${OTHER_CHANNEL}>.`,
    );
    expect(test().context.settings.of(GUILD).publicChannelIds).toEqual([CHANNEL, OTHER_CHANNEL]);
    expect(await content(channels())).toBe(
      `**Public channels** changed: <#${CHANNEL}>, <#${OTHER_CHANNEL}> → every channel (the default).`,
    );
  });

  it("lets /random and /top include adult films, or not", async () => {
    expect(await content(adult(true))).toBe(
      "**Adult films in /random and /top** changed: left out (the default) → included.",
    );
    expect(test().context.settings.of(GUILD).adultFilms).toBe(true);
    expect(await content(adult(false))).toBe(
      "**Adult films in /random and /top** changed: included → left out (the default).",
    );
  });

  it("shows the latest changes in view: when, who, what from and to", async () => {
    await reply(cards("private"));
    const fields = (await reply(VIEW)).embeds?.[0]?.fields ?? [];
    expect(fields[1]).toEqual({ name: "Card answers", value: "private: only the member who asked" });
    const latest = fields.find((field) => field.name === "Latest changes")?.value ?? "";
    const when = `<t:${Math.floor(FIXED_NOW.getTime() / 1000)}:R>`;
    expect(latest.split("\n")[0]).toBe(
      `${when} by <@${moderator.userId}>: Card answers: public: everyone in the channel sees them (the default) → private: only the member who asked`,
    );
    expect(latest.split("\n")).toHaveLength(5);
  });

  it("notes that public channels count only while cards are public", async () => {
    await reply(channels(CHANNEL));
    expect((await reply(VIEW)).embeds?.[0]?.description).toContain(
      "the public channels count only once cards are public",
    );
  });
});

describe("with the store down", () => {
  it("refuses a change with a clear private message, and view still shows the settings in force", async () => {
    const down = await createTestContext({ catalog: Catalog.build([]) });
    await down.context.settings.load();
    await down.close();
    const refusal = await settingsReply(cards("private"), moderator, down.context).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(UserFacingError);
    expect((refusal as Error).message).toBe(SETTINGS_MESSAGES.unavailable);
    expect(down.context.settings.of(GUILD).cardVisibility).toBe("public");
    const fields = (await settingsReply(VIEW, moderator, down.context)).embeds?.[0]?.fields ?? [];
    expect(fields.at(-1)).toEqual({ name: "Latest changes", value: SETTINGS_MESSAGES.historyUnavailable });
  });
});

describe("region suggestions", () => {
  it("offers the bot's default first, then the regions that fit what is typed", () => {
    const context = test().context;
    expect(regionSuggestions("", context)[0]).toEqual({
      name: "Default: United Kingdom (GB), from the bot's configuration",
      value: "default",
    });
    expect(regionSuggestions("", context)).toHaveLength(25);
    expect(regionSuggestions("fra", context).map((choice) => choice.value)).toEqual(["FR"]);
    expect(regionSuggestions("de", context).map((choice) => choice.value)).toEqual(["default", "DE", "DK"]);
  });
});
