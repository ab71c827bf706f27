import {
  ApplicationCommandOptionType,
  PermissionFlagsBits,
  type APIEmbed,
  type APIEmbedField,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import { escapeWithin } from "../src/cards/escape.js";
import { packLines } from "../src/cards/film-text.js";
import { EMBED_DESCRIPTION_LIMIT, EMBED_FIELD_VALUE_LIMIT, fitMessage } from "../src/cards/limits.js";
import { type LoadError, tallyProblems } from "../src/catalog/load.js";
import { formatCount, formatDuration } from "../src/format.js";
import { defineCommand, type Invoker, type MessageReply, type PermissionSet } from "../src/interactions/command.js";
import type { ReloadOutcome } from "../src/reload/holder.js";
import type { ReloadRequest } from "../src/reload/reloader.js";
import { GUILD_INSTALL, GUILD_ONLY } from "./shared.js";

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
    {
      type: ApplicationCommandOptionType.Boolean,
      name: "confirm_empty",
      description: "With force: accept a data folder with no film at all (the catalog becomes empty)",
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
  permissions: Pick<PermissionSet, "has"> | null;
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
export function reloadReport(outcome: ReloadOutcome): MessageReply {
  const embed: APIEmbed = { title: TITLES[outcome.status], color: COLOURS[outcome.status] };
  const fields: APIEmbedField[] = [];
  if (outcome.status !== "reloaded") embed.description = escapeWithin(outcome.reason, EMBED_DESCRIPTION_LIMIT);
  if (outcome.status === "failed") {
    fields.push({ name: "Films", value: `${formatCount(outcome.previousFilms)} (unchanged)`, inline: true });
  } else {
    const { load } = outcome;
    const filmsValue =
      outcome.status === "reloaded"
        ? outcome.unchanged === true
          ? `${formatCount(outcome.films)} (none changed)`
          : `${formatCount(outcome.films)} (was ${formatCount(outcome.previousFilms)})`
        : `${formatCount(outcome.films)} found, ${formatCount(outcome.previousFilms)} kept`;
    fields.push(
      { name: "Films", value: filmsValue, inline: true },
      { name: "Files read", value: formatCount(load.filesRead), inline: true },
      { name: "Skipped", value: tallyProblems(load.errors, "problem"), inline: true },
      { name: "Merged records", value: formatCount(load.merges.length), inline: true },
    );
  }
  fields.push({ name: "Time", value: formatDuration(outcome.durationMs, 2), inline: true });
  if (outcome.status !== "failed" && outcome.load.errors.length > 0) {
    const lines = outcome.load.errors.map((error) => problemLine(error));
    fields.push({
      name: "Skipped files and lines",
      value: packLines(lines, EMBED_FIELD_VALUE_LIMIT, (hidden) => `…and ${hidden} more (see the bot's log)`),
    });
  }
  if (outcome.status !== "failed" && outcome.load.warnings.length > 0) {
    fields.push({
      name: "Warnings (films kept)",
      value: packLines(
        outcome.load.warnings.map((warning) => problemLine(warning)),
        EMBED_FIELD_VALUE_LIMIT,
        (hidden) => `…and ${hidden} more (see catalog check)`,
      ),
    });
  }
  embed.fields = fields;
  return { embeds: fitMessage([embed]) };
}

/** "• file: message", each part escaped and cut. */
function problemLine(problem: LoadError): string {
  const file = escapeWithin(problem.file, PROBLEM_LINE_LIMIT / 2, { singleLine: true });
  return `• ${file}: ${escapeWithin(problem.message, PROBLEM_LINE_LIMIT, { singleLine: true })}`;
}

/** Who asked, as the audit log names them. */
function requestBy(invoker: Invoker, force: boolean, confirmEmpty = false): ReloadRequest {
  return { by: `user:${invoker.userId} (${invoker.username})`, guildId: invoker.guildId, force, confirmEmpty };
}

export const reload = defineCommand({
  definition: reloadDefinition,
  visibility: "private",
  // Reading the whole data folder takes seconds: acknowledged at once, the report edited in.
  cost: "slow",
  // A reload reads the whole data folder; one every few seconds per moderator is plenty.
  cooldownSeconds: 5,
  async access(invoker, context) {
    const refusal = reloadRefusal(invoker, context.config.adminGuildIds);
    if (refusal !== null) await context.reloader.recordRefusal(requestBy(invoker, false), refusal);
    return refusal;
  },
  async reply({ force, confirm_empty: confirmEmpty }, context, invoker) {
    return reloadReport(await context.reloader.reload(requestBy(invoker, force ?? false, confirmEmpty ?? false)));
  },
});
