import { arrayOrEmpty, isRecord } from "./json.js";
import { errors, type RouteContext, type RouteDefinition, type RouteResult } from "./routes.js";

/** Discord's default for a bot: 1000 identifies per 24 h, one at a time. */
const SESSION_START_LIMIT = { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 };

function gatewayBot(context: RouteContext): RouteResult {
  return { status: 200, body: { url: context.gatewayUrl, shards: 1, session_start_limit: SESSION_START_LIMIT } };
}

function currentUser(context: RouteContext): RouteResult {
  const { botUser } = context.state.world;
  return { status: 200, body: { ...botUser, mfa_enabled: true, locale: "en-US", verified: true, email: null } };
}

function currentApplication(context: RouteContext): RouteResult {
  return { status: 200, body: context.state.world.application };
}

/** Checks the `application_id` (and `guild_id`) path parameters; undefined when fine. */
function scopeError(context: RouteContext): RouteResult | undefined {
  const { applicationId, guilds } = context.state.world;
  if (context.params["application_id"] !== applicationId) return errors.missingAccess();
  const guildId = context.params["guild_id"];
  if (guildId !== undefined && !guilds.some((guild) => guild.id === guildId)) return errors.unknownGuild();
  return undefined;
}

function listCommands(context: RouteContext): RouteResult {
  return scopeError(context) ?? { status: 200, body: context.state.commands.list(context.params["guild_id"]) };
}

function overwriteCommands(context: RouteContext): RouteResult {
  const failure = scopeError(context);
  if (failure) return failure;
  const bodies = arrayOrEmpty(context.body.json);
  const commands = context.state.commands.overwrite(bodies, context.params["guild_id"]);
  context.state.changed();
  return { status: 200, body: commands };
}

function createCommand(context: RouteContext): RouteResult {
  const failure = scopeError(context);
  if (failure) return failure;
  const body = isRecord(context.body.json) ? context.body.json : {};
  const { command, created } = context.state.commands.upsert(body, context.params["guild_id"]);
  context.state.changed();
  return { status: created ? 201 : 200, body: command };
}

/** Routes that need the bot token: gateway discovery, identity, command registration. */
export function botRoutes(): RouteDefinition[] {
  const globalCommands = "/applications/{application_id}/commands";
  const guildCommands = "/applications/{application_id}/guilds/{guild_id}/commands";
  return [
    { method: "GET", template: "/gateway/bot", auth: "bot", handle: gatewayBot },
    { method: "GET", template: "/users/@me", auth: "bot", handle: currentUser },
    { method: "GET", template: "/applications/@me", auth: "bot", handle: currentApplication },
    { method: "GET", template: "/oauth2/applications/@me", auth: "bot", handle: currentApplication },
    { method: "GET", template: globalCommands, auth: "bot", handle: listCommands },
    { method: "PUT", template: globalCommands, auth: "bot", bodyKind: "commands", handle: overwriteCommands },
    { method: "POST", template: globalCommands, auth: "bot", bodyKind: "commands", handle: createCommand },
    { method: "GET", template: guildCommands, auth: "bot", handle: listCommands },
    { method: "PUT", template: guildCommands, auth: "bot", bodyKind: "commands", handle: overwriteCommands },
    { method: "POST", template: guildCommands, auth: "bot", bodyKind: "commands", handle: createCommand },
  ];
}
