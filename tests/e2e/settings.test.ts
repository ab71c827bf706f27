/**
 * /settings end to end, over the gateway and over HTTP: a moderator makes card answers private, or lists the public
 * channels, and /movie follows at once in that server only; members without Manage Server, and DMs, are refused.
 */
import { ChannelType, PermissionFlagsBits, type APIChatInputApplicationCommandInteraction } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { SETTINGS_MESSAGES } from "../../commands/settings.js";
import { ROUTER_MESSAGES } from "../../src/interactions/router.js";
import { permissionString } from "../fake-discord/index.js";
import { isEphemeral, TRANSPORTS, useHarness } from "./harness.js";

const MODERATOR = permissionString(PermissionFlagsBits.ManageGuild, PermissionFlagsBits.UseApplicationCommands);
const ELSEWHERE = "345678901234567890";
const THREAD = "456789012345678901";

describe.each(TRANSPORTS)("server settings over the %s", (transport) => {
  const harness = useHarness({ transport, fake: { guilds: [{ name: "Film Club" }, { name: "Other Club" }] } });

  const fake = () => harness().fake;
  const [firstGuild, secondGuild] = [() => fake().guilds[0]!, () => fake().guilds[1]!];

  /** `/settings set <subcommand>` by a moderator of the first server: the private answer's text. */
  async function set(subcommand: string, options: Record<string, string | boolean> = {}): Promise<string> {
    const answer = await fake()
      .sendCommand({ name: "settings", subcommandGroup: "set", subcommand, options, memberPermissions: MODERATOR })
      .waitForReply();
    expect(isEphemeral(answer)).toBe(true);
    return answer.content;
  }

  /** Whether /movie answered privately, asked where `where` says. */
  async function movieIsPrivate(where: { guildId?: string; channelId?: string } = {}): Promise<boolean> {
    const card = await fake()
      .sendCommand({ name: "movie", options: { title: "solaris" }, ...where })
      .waitForReply();
    expect(card.embeds[0]?.title).toBe("Solaris (1972)");
    return isEphemeral(card);
  }

  afterEach(async () => {
    // Every test starts from the defaults.
    const { settings } = harness().bot.context;
    const by = "user:0 (test)";
    for (const guild of fake().guilds) {
      await settings.change(guild.id, "cardVisibility", null, by);
      await settings.change(guild.id, "publicChannelIds", null, by);
    }
  });

  it("makes /movie answer privately in a server that made card answers private, and only there", async () => {
    expect(await movieIsPrivate()).toBe(false);
    expect(await set("cards", { visibility: "private" })).toBe(
      "**Card answers** changed: public: everyone in the channel sees them (the default) → private: only the member who asked.",
    );
    expect(await movieIsPrivate()).toBe(true);
    expect(await movieIsPrivate({ guildId: secondGuild().id })).toBe(false);
    await set("cards", { visibility: "public" });
    expect(await movieIsPrivate()).toBe(false);
  });

  it("answers publicly only in the listed channels and their threads", async () => {
    const listed = firstGuild().textChannelId;
    expect(await set("public-channels", { channel: listed })).toBe(
      `**Public channels** changed: every channel (the default) → <#${listed}>.`,
    );
    expect(await movieIsPrivate({ channelId: listed })).toBe(false);
    expect(await movieIsPrivate({ channelId: ELSEWHERE })).toBe(true);
    expect(await movieIsPrivate({ guildId: secondGuild().id, channelId: ELSEWHERE })).toBe(false);

    const inThread = fake().buildCommandInteraction({ name: "movie", options: { title: "solaris" } });
    const thread = {
      ...inThread,
      channel_id: THREAD,
      channel: { ...inThread.channel, id: THREAD, type: ChannelType.PublicThread, parent_id: listed },
    } as unknown as APIChatInputApplicationCommandInteraction;
    expect(isEphemeral(await fake().sendInteraction(thread).waitForReply())).toBe(false);

    expect(await set("public-channels")).toBe(
      `**Public channels** changed: <#${listed}> → every channel (the default).`,
    );
    expect(await movieIsPrivate({ channelId: ELSEWHERE })).toBe(false);
  });

  it("shows the settings and their latest changes, privately", async () => {
    await set("region", { country: "fr" });
    await set("adult-films", { allowed: true });
    const view = await fake()
      .sendCommand({ name: "settings", subcommand: "view", memberPermissions: MODERATOR })
      .waitForReply();
    expect(isEphemeral(view)).toBe(true);
    const fields = view.embeds[0]?.fields ?? [];
    expect(fields.slice(0, 4).map((field) => [field.name, field.value])).toEqual([
      ["Region", "France (FR)"],
      ["Card answers", "public: everyone in the channel sees them (the default)"],
      ["Public channels", "every channel (the default)"],
      ["Adult films in /random and /top", "included"],
    ]);
    expect(fields[4]?.value.split("\n")[0]).toMatch(
      /^<t:\d+:R> by <@\d+>: Adult films in \/random and \/top: left out/,
    );
    await set("region", { country: "default" });
    await set("adult-films", { allowed: false });
  });

  it("suggests regions as the moderator types", async () => {
    const callback = await fake()
      .sendAutocomplete({
        name: "settings",
        subcommandGroup: "set",
        subcommand: "region",
        options: { country: "fra" },
        focused: "country",
        memberPermissions: MODERATOR,
      })
      .response();
    expect(callback.data).toEqual({ choices: [{ name: "France (FR)", value: "FR" }] });
  });

  it("refuses members without Manage Server, privately, and changes nothing", async () => {
    for (const invocation of [
      { name: "settings", subcommand: "view" },
      { name: "settings", subcommandGroup: "set", subcommand: "cards", options: { visibility: "private" } },
    ]) {
      const answer = await fake().sendCommand(invocation).waitForReply();
      expect(isEphemeral(answer)).toBe(true);
      expect(answer.content).toBe(SETTINGS_MESSAGES.noPermission);
    }
    expect(await movieIsPrivate()).toBe(false);
  });

  it("refuses DMs", async () => {
    const answer = await fake().sendCommand({ name: "settings", subcommand: "view", where: "dm" }).waitForReply();
    expect(isEphemeral(answer)).toBe(true);
    expect(answer.content).toBe(ROUTER_MESSAGES.guildOnly);
  });
});
