import { ApplicationCommandOptionType, type APIApplicationCommandOption } from "discord.js";
import { describe, expect, it } from "vitest";
import { commands, components } from "../../commands/index.js";

/** Discord's rules for command and option names and descriptions. */
const NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;

function allOptions(options: readonly APIApplicationCommandOption[] = []): APIApplicationCommandOption[] {
  return options.flatMap((option) => [
    option,
    ...("options" in option && option.options ? allOptions(option.options) : []),
  ]);
}

/** The handler the router picks for a component id: the first whose prefix fits. */
const handlerOf = (customId: string) => components.find((component) => customId.startsWith(component.prefix));

describe("the command list", () => {
  it("has unique, valid names and descriptions", () => {
    const names = commands.map((command) => command.definition.name);
    expect(new Set(names).size).toBe(names.length);
    for (const { definition } of commands) {
      expect(definition.name).toMatch(NAME);
      expect(definition.description.length).toBeGreaterThan(0);
      expect(definition.description.length).toBeLessThanOrEqual(100);
      expect(definition.options?.length ?? 0).toBeLessThanOrEqual(25);
      for (const option of allOptions(definition.options)) {
        expect(option.name).toMatch(NAME);
        expect(option.description.length).toBeLessThanOrEqual(100);
      }
    }
  });

  it("bounds every free-text option", () => {
    const strings = commands
      .flatMap((command) => allOptions(command.definition.options))
      .filter((option) => option.type === ApplicationCommandOptionType.String);
    expect(strings.length).toBeGreaterThan(0);
    for (const option of strings)
      expect("max_length" in option ? option.max_length : undefined).toBeLessThanOrEqual(200);
  });

  it("says where each command works: everything in DMs but /reload and /settings", () => {
    const guildOnly = commands
      .filter((command) => !command.definition.contexts?.includes(1))
      .map((command) => command.definition.name);
    expect(guildOnly).toEqual(["reload", "settings"]);
  });

  it("puts cooldowns on the heavy commands", () => {
    expect(
      commands
        .filter((command) => command.cooldownSeconds !== undefined)
        .map((command) => command.definition.name)
        .sort(),
    ).toEqual(["random", "reload", "top"]);
  });

  it("routes every film card button and pick menu", () => {
    expect(components.map((component) => component.prefix)).toEqual([
      "film:v1:similar:",
      "film:",
      "pick:v1:card:",
      "pick:v1:watchlist",
    ]);
  });

  it("gives each component id to the handler that reads it: the first whose prefix fits, as the router picks", () => {
    const similar = "film:v1:similar:0:miss-you-already-2015";
    expect(handlerOf(similar)?.parse(similar)).toEqual({ filmId: "miss-you-already-2015" });
    const cast = "film:v1:cast:0:miss-you-already-2015";
    expect(handlerOf(cast)?.parse(cast)).toEqual({ filmId: "miss-you-already-2015", view: "cast", page: 0 });
  });
});
