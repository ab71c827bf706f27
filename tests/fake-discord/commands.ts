import { ApplicationCommandType, type APIApplicationCommand } from "discord.js";
import { isRecord, numberOrUndefined, stringOrUndefined, type JsonRecord } from "./json.js";
import { nextSnowflake } from "./snowflake.js";

/** Registered application commands: global ones and per-guild ones, as Discord stores them. */
export class CommandStore {
  private global: APIApplicationCommand[] = [];
  private readonly byGuild = new Map<string, APIApplicationCommand[]>();

  constructor(private readonly applicationId: string) {}

  /** Commands of a scope: global when `guildId` is undefined. */
  list(guildId?: string): APIApplicationCommand[] {
    return guildId === undefined ? this.global : (this.byGuild.get(guildId) ?? []);
  }

  /**
   * Bulk overwrite (`PUT .../commands`): the scope's commands become `bodies`. Like Discord, a
   * command keeps its id when a command of the same name and type already existed.
   */
  overwrite(bodies: unknown[], guildId?: string): APIApplicationCommand[] {
    const previous = this.list(guildId);
    const next = bodies.filter(isRecord).map((body) => this.toCommand(body, guildId, previous));
    this.setList(next, guildId);
    return next;
  }

  /** Create-or-replace one command (`POST .../commands`); `created` is false when it replaced one. */
  upsert(body: JsonRecord, guildId?: string): { command: APIApplicationCommand; created: boolean } {
    const previous = this.list(guildId);
    const command = this.toCommand(body, guildId, previous);
    const created = !previous.some((existing) => existing.id === command.id);
    this.setList([...previous.filter((existing) => existing.id !== command.id), command], guildId);
    return { command, created };
  }

  /** The command a user would invoke by `name` in `guildId`: guild commands shadow global ones. */
  find(name: string, guildId?: string): APIApplicationCommand | undefined {
    const inGuild = guildId === undefined ? undefined : this.list(guildId).find((command) => command.name === name);
    return inGuild ?? this.global.find((command) => command.name === name);
  }

  private setList(commands: APIApplicationCommand[], guildId?: string): void {
    if (guildId === undefined) this.global = commands;
    else this.byGuild.set(guildId, commands);
  }

  private toCommand(
    body: JsonRecord,
    guildId: string | undefined,
    previous: APIApplicationCommand[],
  ): APIApplicationCommand {
    const type = numberOrUndefined(body["type"]) ?? ApplicationCommandType.ChatInput;
    const name = stringOrUndefined(body["name"]) ?? "";
    const existing = previous.find((command) => command.name === name && command.type === type);
    // The stored command echoes what the client sent (already schema-checked), plus the fields
    // Discord adds; the cast only asserts that echo.
    return {
      ...(body as Partial<APIApplicationCommand>),
      id: existing?.id ?? nextSnowflake(),
      application_id: this.applicationId,
      version: nextSnowflake(),
      type,
      name,
      description: stringOrUndefined(body["description"]) ?? "",
      default_member_permissions: stringOrUndefined(body["default_member_permissions"]) ?? null,
      nsfw: body["nsfw"] === true,
      ...(guildId === undefined ? {} : { guild_id: guildId }),
    } as APIApplicationCommand;
  }
}
