import {
  ApplicationCommandOptionType,
  MessageFlags,
  PermissionFlagsBits,
  type APIEmbed,
  type APIEmbedField,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { ReloadOutcome } from "../src/catalog/holder.js";
import type { ReloadRequest } from "../src/discord/catalog-reloader.js";
import { defineCommand } from "../src/discord/command.js";
import { GUILD_INSTALL, GUILD_ONLY } from "../src/discord/definitions.js";
import { packLines } from "../src/embeds/film-text.js";
import { formatCount } from "../src/format.js";
import { readOptions } from "../src/discord/options.js";
import { privateText, sendReply, type ReplyPayload } from "../src/discord/reply.js";
import { escapeWithin } from "../src/embeds/escape.js";
import { EMBED_DESCRIPTION_LIMIT, EMBED_FIELD_VALUE_LIMIT, fitMessage } from "../src/embeds/limits.js";

export const reloadDefinition = {
  name: "reload",
  description: "Moderators: re-read the data folder and switch to the new catalog",
  contexts: GUILD_ONLY,
  integration_types: GUILD_INSTALL,
  // Hidden from members without Manage Server by default; checked again at run time (server settings can change it).
  default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
  options: [
    {
      type: ApplicationCommandOptionType.Boolean,
      name: "force",
      description: "Reload even if more than half of the films would disappear",
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const RELOAD_REFUSALS = {
  notInGuild: "Reloading works only in a server.",
  notAdminGuild: "Reloading the catalog is allowed only in the bot's admin servers.",
  noPermission: "Only members with the Manage Server permission can reload the catalog.",
} as const;

/** Who is asking, where: enough to decide without discord.js. */
export interface ReloadAccess {
  guildId: string | null;
  /** The member's permissions in the channel (Administrator implies all). */
  permissions: { has(permission: bigint): boolean } | null;
}

/** Why this member may not reload here, or null when they may. */
export function reloadRefusal(access: ReloadAccess, adminGuildIds: readonly string[]): string | null {
  if (access.guildId === null) return RELOAD_REFUSALS.notInGuild;
  if (adminGuildIds.length > 0 && !adminGuildIds.includes(access.guildId)) return RELOAD_REFUSALS.notAdminGuild;
  if (access.permissions?.has(PermissionFlagsBits.ManageGuild) !== true) return RELOAD_REFUSALS.noPermission;
  return null;
}

const COLOURS = { reloaded: 0x3ba55c, refused: 0xe8a33d, failed: 0xed4245 } as const;
const TITLES = {
  reloaded: "Catalog reloaded",
  refused: "Reload refused: the current catalog is kept",
  failed: "Reload failed: the current catalog is kept",
} as const;
const PROBLEM_LINE_LIMIT = 200;

/** The moderator's report: films, skipped files with reasons, merges, time. */
export function reloadReport(outcome: ReloadOutcome): ReplyPayload {
  const embed: APIEmbed = { title: TITLES[outcome.status], color: COLOURS[outcome.status] };
  const fields: APIEmbedField[] = [];
  if (outcome.status !== "reloaded") embed.description = escapeWithin(outcome.reason, EMBED_DESCRIPTION_LIMIT);
  if (outcome.status === "failed") {
    fields.push({ name: "Films", value: `${formatCount(outcome.previousFilms)} (unchanged)`, inline: true });
  } else {
    const { load } = outcome;
    const filmsValue =
      outcome.status === "reloaded"
        ? `${formatCount(outcome.films)} (was ${formatCount(outcome.previousFilms)})`
        : `${formatCount(outcome.films)} found, ${formatCount(outcome.previousFilms)} kept`;
    fields.push(
      { name: "Films", value: filmsValue, inline: true },
      { name: "Files read", value: formatCount(load.filesRead), inline: true },
      { name: "Skipped", value: formatCount(load.errors.length), inline: true },
      { name: "Merged records", value: formatCount(load.merges.length), inline: true },
    );
  }
  fields.push({ name: "Time", value: `${(outcome.durationMs / 1000).toFixed(2)} s`, inline: true });
  if (outcome.status !== "failed" && outcome.load.errors.length > 0) {
    const lines = outcome.load.errors.map(
      (error) =>
        `• ${escapeWithin(error.file, PROBLEM_LINE_LIMIT / 2, { singleLine: true })}: ${escapeWithin(error.message, PROBLEM_LINE_LIMIT, { singleLine: true })}`,
    );
    fields.push({
      name: "Skipped files and lines",
      value: packLines(lines, EMBED_FIELD_VALUE_LIMIT, (hidden) => `…and ${hidden} more (see the bot's log)`),
    });
  }
  embed.fields = fields;
  return { embeds: fitMessage([embed]), ephemeral: true };
}

export const reload = defineCommand({
  definition: reloadDefinition,
  answersPrivately: true,
  // A reload reads the whole data folder; one every few seconds per moderator is plenty.
  cooldownSeconds: 5,
  async execute(interaction, context) {
    const { force } = readOptions(reloadDefinition, interaction.options.data);
    // Loading can take seconds: acknowledge first, privately, then report by editing.
    if (!interaction.deferred) await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const request: ReloadRequest = {
      by: `user:${interaction.user.id} (${interaction.user.tag})`,
      guildId: interaction.guildId,
      force: force ?? false,
    };
    const refusal = reloadRefusal(
      { guildId: interaction.guildId, permissions: interaction.memberPermissions },
      context.config.adminGuildIds,
    );
    if (refusal !== null) {
      await context.reloader.recordRefusal(request, refusal);
      await sendReply(interaction, privateText(refusal));
      return;
    }
    await sendReply(interaction, reloadReport(await context.reloader.reload(request)));
  },
});
