/**
 * Registers the commands with Discord from the definitions the router uses (the list the composition root passes in),
 * globally or to one guild. The application id comes from `GET /applications/@me` with the bot token, so nothing else
 * needs configuring (and a token of another application cannot silently register elsewhere). A Discord-compatible
 * server without that route (a proxy, a test double) answers 404; the id is then the bot's user id the token starts
 * with, which is the application id of every bot application.
 */
import {
  DiscordAPIError,
  REST,
  Routes,
  type RESTGetAPIApplicationCommandsResult,
  type RESTGetCurrentApplicationResult,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { Command } from "../interactions/command.js";

export interface DeployOptions {
  token: string;
  /** REST base URL (without `/v10`); Discord's when undefined. */
  apiUrl: string | undefined;
  /** Register to this guild only (instant, for testing); globally when undefined. */
  guildId: string | undefined;
  commands: readonly Command[];
}

export interface DeployResult {
  applicationId: string;
  scope: "global" | { guildId: string };
  registered: string[];
}

/** A command body as sent: `default_member_permissions` may be a number (see `commandBodies`). */
export type DeployedCommandBody = Omit<
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  "default_member_permissions"
> & {
  default_member_permissions?: string | number | null;
};

/**
 * The JSON bodies to register. Guild commands exist only in their guild, so Discord ignores where-they-work fields
 * (`contexts`, `integration_types`) for them; they are left out there. `default_member_permissions` goes out as an
 * integer: Discord's OpenAPI spec declares the request field `integer | null` (the prose docs say string, and
 * Discord accepts both), so the number is the form both agree on.
 */
export function commandBodies(commands: readonly Command[], scope: "global" | "guild"): DeployedCommandBody[] {
  return commands.map((command) => {
    const body: DeployedCommandBody = { ...command.definition };
    if (scope === "guild") {
      delete body.contexts;
      delete body.integration_types;
    }
    const permissions = body.default_member_permissions;
    if (typeof permissions === "string" && /^\d+$/.test(permissions) && Number.isSafeInteger(Number(permissions))) {
      body.default_member_permissions = Number(permissions);
    }
    return body;
  });
}

export async function deployCommands(options: DeployOptions): Promise<DeployResult> {
  // No sweepers: this REST client lives for two requests.
  const rest = new REST({
    ...(options.apiUrl === undefined ? {} : { api: options.apiUrl }),
    hashSweepInterval: 0,
    handlerSweepInterval: 0,
  }).setToken(options.token);
  const applicationId = await currentApplicationId(rest, options.token);
  const guildId = options.guildId;
  const route =
    guildId === undefined
      ? Routes.applicationCommands(applicationId)
      : Routes.applicationGuildCommands(applicationId, guildId);
  const body = commandBodies(options.commands, guildId === undefined ? "global" : "guild");
  const registered = (await rest.put(route, { body })) as RESTGetAPIApplicationCommandsResult;
  return {
    applicationId,
    scope: guildId === undefined ? "global" : { guildId },
    registered: registered.map((command) => command.name),
  };
}

async function currentApplicationId(rest: REST, token: string): Promise<string> {
  try {
    return ((await rest.get(Routes.currentApplication())) as RESTGetCurrentApplicationResult).id;
  } catch (error) {
    const fromToken = error instanceof DiscordAPIError && error.status === 404 ? userIdOfToken(token) : undefined;
    if (fromToken === undefined) throw error;
    return fromToken;
  }
}

/** A bot token's first part is its user id in base64; undefined when the token is not shaped like that. */
export function userIdOfToken(token: string): string | undefined {
  const first = token.split(".", 1)[0] ?? "";
  const decoded = Buffer.from(first, "base64").toString("utf8");
  return /^\d{15,21}$/.test(decoded) ? decoded : undefined;
}
