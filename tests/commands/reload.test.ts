import { PermissionFlagsBits, PermissionsBitField } from "discord.js";
import { describe, expect, it } from "vitest";
import { RELOAD_REFUSALS, reload, reloadDefinition, reloadRefusal, reloadReport } from "../../commands/reload.js";
import type { ReloadOutcome } from "../../src/reload/holder.js";
import type { LoadResult } from "../../src/catalog/load.js";
import { messageLimitProblems } from "./fixtures.js";

const GUILD = "223456789012345678";
const moderator = new PermissionsBitField([PermissionFlagsBits.ManageGuild, PermissionFlagsBits.SendMessages]);
const admin = new PermissionsBitField([PermissionFlagsBits.Administrator]);
const member = new PermissionsBitField([PermissionFlagsBits.SendMessages]);

function load(overrides: Partial<LoadResult> = {}): LoadResult {
  return { films: [], errors: [], warnings: [], merges: [], filesRead: 12, durationMs: 840, ...overrides };
}

describe("/reload definition", () => {
  it("is guild-only, hidden from members without Manage Server, with a cooldown", () => {
    expect(reloadDefinition.contexts).toEqual([0]);
    expect(reloadDefinition.default_member_permissions).toBe("32");
    expect(reload.cooldownSeconds).toBeGreaterThan(0);
  });
});

describe("reloadRefusal", () => {
  it("lets members with Manage Server (or Administrator) reload", () => {
    expect(reloadRefusal({ guildId: GUILD, permissions: moderator }, [])).toBeNull();
    expect(reloadRefusal({ guildId: GUILD, permissions: admin }, [])).toBeNull();
  });

  it("refuses everyone else, and anywhere outside a server", () => {
    expect(reloadRefusal({ guildId: GUILD, permissions: member }, [])).toBe(RELOAD_REFUSALS.noPermission);
    expect(reloadRefusal({ guildId: GUILD, permissions: null }, [])).toBe(RELOAD_REFUSALS.noPermission);
    expect(reloadRefusal({ guildId: null, permissions: moderator }, [])).toBe(RELOAD_REFUSALS.notInGuild);
  });

  it("limits reloads to ADMIN_GUILD_IDS when set", () => {
    expect(reloadRefusal({ guildId: GUILD, permissions: moderator }, [GUILD])).toBeNull();
    expect(reloadRefusal({ guildId: GUILD, permissions: moderator }, ["323456789012345678"])).toBe(
      RELOAD_REFUSALS.notAdminGuild,
    );
  });
});

describe("reloadReport", () => {
  it("reports films, files, skips, merges and time, privately", () => {
    const outcome: ReloadOutcome = {
      status: "reloaded",
      films: 3201,
      previousFilms: 3150,
      durationMs: 1234,
      load: load({
        errors: [{ file: "bad_file.json", message: "Unexpected token } in JSON" }],
        merges: [{ id: "alien-1979", title: "Alien", year: 1979, files: ["a.txt", "b.jsonl"] }],
      }),
    };
    const reply = reloadReport(outcome);
    expect(reload.visibility).toBe("private");
    const embed = reply.embeds?.[0];
    expect(embed?.title).toBe("Catalog reloaded");
    expect(embed?.fields).toEqual([
      { name: "Films", value: "3,201 (was 3,150)", inline: true },
      { name: "Files read", value: "12", inline: true },
      { name: "Skipped", value: "1 problem in 1 file", inline: true },
      { name: "Merged records", value: "1", inline: true },
      { name: "Time", value: "1.23 s", inline: true },
      { name: "Skipped files and lines", value: "• bad\\_file.json: Unexpected token } in JSON" },
    ]);
  });

  it("says when no film changed (the catalog in service was kept)", () => {
    const reply = reloadReport({
      status: "reloaded",
      films: 3201,
      previousFilms: 3201,
      durationMs: 900,
      load: load(),
      unchanged: true,
    });
    expect(reply.embeds?.[0]?.title).toBe("Catalog reloaded");
    expect(reply.embeds?.[0]?.fields?.[0]).toEqual({ name: "Films", value: "3,201 (none changed)", inline: true });
  });

  it("trims a long list of skipped files within Discord's limits", () => {
    const errors = Array.from({ length: 2000 }, (_, index) => ({
      file: `pages/${index}.txt`,
      message: `line ${index}: ${"no title ".repeat(40)}`,
    }));
    const reply = reloadReport({
      status: "reloaded",
      films: 10,
      previousFilms: 10,
      durationMs: 5,
      load: load({ errors }),
    });
    expect(messageLimitProblems(reply)).toEqual([]);
    expect(reply.embeds?.[0]?.fields?.at(-1)?.value).toMatch(/…and \d+ more \(see the bot's log\)$/);
  });

  it("explains a refusal and a failure, saying the catalog is kept", () => {
    const refused = reloadReport({
      status: "refused",
      reason: "the new catalog would have 40 films instead of 100",
      films: 40,
      previousFilms: 100,
      durationMs: 10,
      load: load(),
    });
    expect(refused.embeds?.[0]).toMatchObject({
      title: "Reload refused: the current catalog is kept",
      description: "the new catalog would have 40 films instead of 100",
    });
    expect(refused.embeds?.[0]?.fields?.[0]).toEqual({ name: "Films", value: "40 found, 100 kept", inline: true });
    const failed = reloadReport({
      status: "failed",
      reason: "data folder not found: /srv/data_dir",
      previousFilms: 100,
      durationMs: 3,
    });
    expect(failed.embeds?.[0]).toMatchObject({
      title: "Reload failed: the current catalog is kept",
      description: "data folder not found: /srv/data\\_dir",
    });
    expect(failed.embeds?.[0]?.fields).toEqual([
      { name: "Films", value: "100 (unchanged)", inline: true },
      { name: "Time", value: "0.00 s", inline: true },
    ]);
  });
});
