/**
 * /reload through the real bot: who may, where, the report, the refusal to lose more than half the films, force,
 * a failed reload keeping the catalog, SIGHUP, and an audit entry for every attempt.
 */
import { rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { MessageFlags, PermissionFlagsBits, type APIMessage, type APIUser } from "discord.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RELOAD_REFUSALS } from "../../commands/reload.js";
import { removeTempDirs, writeFilmsJsonl } from "../commands/fixtures.js";
import { permissionString } from "../fake-discord/index.js";
import { dataFilms, expectCleanTraffic, type Harness, SEED_ID, startHarness } from "./harness.js";

let harness: Harness;
let otherGuildId: string;
beforeAll(async () => {
  harness = await startHarness({
    fake: { guilds: [{ name: "Film Club" }, { name: "Other Club" }] },
    // Only the first guild is an admin guild.
    env: (fake) => ({ ADMIN_GUILD_IDS: fake.guilds[0]!.id }),
  });
  otherGuildId = harness.fake.guilds[1]!.id;
});
afterAll(async () => {
  await harness?.close();
  await removeTempDirs();
});
afterEach(() => expectCleanTraffic(harness.fake));

const MANAGE_SERVER = permissionString(
  PermissionFlagsBits.ManageGuild,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.UseApplicationCommands,
);

/** Each call a new moderator, so the per-member cooldown does not get in the way. */
function moderator(): APIUser {
  return harness.fake.makeUser({ username: "moderator" });
}

async function reload(
  options: { user?: APIUser; permissions?: string; force?: boolean; guildId?: string } = {},
): Promise<APIMessage> {
  const handle = harness.fake.sendCommand({
    name: "reload",
    options: options.force === undefined ? {} : { force: options.force },
    user: options.user ?? moderator(),
    ...(options.permissions === undefined ? {} : { memberPermissions: options.permissions }),
    ...(options.guildId === undefined ? {} : { guildId: options.guildId }),
  });
  const callback = await handle.response();
  // Loading can take seconds: always deferred, privately.
  expect(callback.type).toBe(5);
  expect(callback.data).toMatchObject({ flags: MessageFlags.Ephemeral });
  return handle.waitForFinalReply();
}

const latestAudit = async () => (await harness.bot.context.store.reloadAudit.recent(1))[0];
const latestRefusal = async () => (await harness.bot.context.store.reloadAudit.recentRefusals(1))[0];
const films = () => harness.bot.context.catalog.current.size;

describe("/reload", () => {
  it("is refused, and audited, for a member without Manage Server", async () => {
    const member = harness.fake.makeUser({ username: "member" });
    const message = await reload({ user: member });
    expect(message.content).toBe(RELOAD_REFUSALS.noPermission);
    expect(await latestRefusal()).toMatchObject({
      by: `user:${member.id} (member)`,
      guildId: harness.fake.guild.id,
      message: RELOAD_REFUSALS.noPermission,
      count: 1,
    });
  });

  it("is refused, and audited, outside ADMIN_GUILD_IDS even for a moderator", async () => {
    const message = await reload({ permissions: MANAGE_SERVER, guildId: otherGuildId });
    expect(message.content).toBe(RELOAD_REFUSALS.notAdminGuild);
    expect(await latestRefusal()).toMatchObject({ guildId: otherGuildId, message: RELOAD_REFUSALS.notAdminGuild });
  });

  it("reloads for a moderator and reports films, skipped files, merges and time", async () => {
    const before = films();
    await writeFilmsJsonl(harness.dataDir, "new.jsonl", [
      { ...dataFilms()[0]!, id: "brand-new-film-2024", title: "Brand New Film", year: 2024 },
    ]);
    await writeFile(join(harness.dataDir, "broken.json"), "{ this is not json");
    const message = await reload({ permissions: MANAGE_SERVER });
    const embed = message.embeds[0];
    expect(embed?.title).toBe("Catalog reloaded");
    expect(embed?.fields?.find((field) => field.name === "Films")?.value).toBe(`${before + 1} (was ${before})`);
    expect(embed?.fields?.find((field) => field.name === "Skipped")?.value).toBe("1 problem in 1 file");
    expect(embed?.fields?.find((field) => field.name === "Skipped files and lines")?.value).toMatch(
      /^• broken\.json: /,
    );
    expect(embed?.fields?.map((field) => field.name)).toEqual([
      "Films",
      "Files read",
      "Skipped",
      "Merged records",
      "Time",
      "Skipped files and lines",
    ]);
    expect(await latestAudit()).toMatchObject({
      outcome: "reloaded",
      films: before + 1,
      previousFilms: before,
      skippedFiles: 1,
    });
    const found = await harness.fake
      .sendCommand({ name: "movie", options: { title: "brand new film" } })
      .waitForReply();
    expect(found.embeds[0]?.title).toBe("Brand New Film (2024)");
  });

  it("refuses to lose more than half the films unless forced", async () => {
    const before = films();
    await writeFilmsJsonl(harness.dataDir, "films.jsonl", dataFilms().slice(0, 10));
    const refused = await reload({ permissions: MANAGE_SERVER });
    expect(refused.embeds[0]?.title).toBe("Reload refused: the current catalog is kept");
    expect(refused.embeds[0]?.description).toContain("more than half lost");
    expect(films()).toBe(before);
    expect(await latestAudit()).toMatchObject({ outcome: "refused", previousFilms: before });

    const forced = await reload({ permissions: MANAGE_SERVER, force: true });
    expect(forced.embeds[0]?.title).toBe("Catalog reloaded");
    expect(films()).toBeLessThan(before / 2);
    expect(await latestAudit()).toMatchObject({
      outcome: "reloaded",
      message: expect.stringContaining("forced") as unknown as string,
    });
    await writeFilmsJsonl(harness.dataDir, "films.jsonl", dataFilms());
  });

  it("keeps the catalog when the reload fails", async () => {
    const before = films();
    await rename(harness.dataDir, `${harness.dataDir}-moved`);
    const message = await reload({ permissions: MANAGE_SERVER, force: true });
    await rename(`${harness.dataDir}-moved`, harness.dataDir);
    expect(message.embeds[0]?.title).toBe("Reload failed: the current catalog is kept");
    expect(message.embeds[0]?.description).toMatch(/^data folder not found: /);
    expect(films()).toBe(before);
    expect(await latestAudit()).toMatchObject({ outcome: "failed" });
  });

  it("reloads on SIGHUP (the function main.ts calls), audited as signal:SIGHUP", async () => {
    const outcome = await harness.bot.reloadFromSignal("SIGHUP");
    expect(outcome.status).toBe("reloaded");
    expect(await latestAudit()).toMatchObject({ by: "signal:SIGHUP", guildId: null, outcome: "reloaded" });
    expect(harness.bot.context.catalog.current.get(SEED_ID)).toBeDefined();
  });

  it("audited every attempt, newest first, with refusals before reading anything kept apart", async () => {
    const outcomes = (await harness.bot.context.store.reloadAudit.recent(20)).map((entry) => entry.outcome);
    expect(outcomes).toEqual(["reloaded", "failed", "reloaded", "refused", "reloaded"]);
    expect(await harness.bot.context.store.reloadAudit.recentRefusals(20)).toHaveLength(2);
  });
});
