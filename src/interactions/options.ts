/**
 * Typed option values read from the command definition itself, so a handler cannot ask for an option the definition
 * does not declare, and gets `string` / `number` / `boolean` (or `null` when optional and absent) as declared.
 *
 * ```ts
 * const { title, year } = readOptions(definition, data.options); // title: string, year: number | null
 * ```
 *
 * Values are untrusted input: each is checked against its declaration (type, length, range, choices) at run time,
 * and a bad one is an `InvalidOptionError` the member sees. Discord validates too, but a stale command registration
 * or a forged request should not reach a handler.
 */
import { ApplicationCommandOptionType } from "discord-api-types/v10";
import { UserFacingError } from "../errors.js";

/** An option as an interaction carries it (the raw API shape, checked at the edge by incoming.ts). */
export interface OptionData {
  readonly name: string;
  readonly type: number;
  readonly value?: string | number | boolean;
  readonly options?: readonly OptionData[];
  readonly focused?: boolean;
}

/** Discord's own ceiling for a string option. */
export const STRING_OPTION_LIMIT = 6000;

/** The parts of an option declaration that reading values needs (what `as const` definitions provide). */
export interface DeclaredOption {
  readonly name: string;
  readonly type: ApplicationCommandOptionType;
  readonly required?: boolean;
  readonly autocomplete?: boolean;
  readonly min_length?: number;
  readonly max_length?: number;
  readonly min_value?: number;
  readonly max_value?: number;
  readonly choices?: readonly { readonly value: string | number }[];
  readonly options?: readonly DeclaredOption[];
}

export interface DeclaredCommand {
  readonly name: string;
  readonly options?: readonly DeclaredOption[];
}

// ─── Types derived from a definition ───────────────────────────────────────────────────────────────────────────

type ValueOfType<Type> = Type extends ApplicationCommandOptionType.String
  ? string
  : Type extends ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Number
    ? number
    : Type extends ApplicationCommandOptionType.Boolean
      ? boolean
      : Type extends ApplicationCommandOptionType.Channel
        ? string
        : never;

type OptionsOf<Shape> = Shape extends { readonly options: infer Options extends readonly unknown[] }
  ? Options[number]
  : never;

type NameOf<Option> = Option extends { readonly name: infer Name extends string } ? Name : never;

type SubcommandsOf<Definition> = Extract<
  OptionsOf<Definition>,
  { readonly type: ApplicationCommandOptionType.Subcommand }
>;

type GroupsOf<Definition> = Extract<
  OptionsOf<Definition>,
  { readonly type: ApplicationCommandOptionType.SubcommandGroup }
>;

/** Every subcommand, at the top level or in a group. */
type AllSubcommandsOf<Definition> = SubcommandsOf<Definition> | SubcommandsOf<GroupsOf<Definition>>;

/** Option name → value for a list of leaf option declarations. */
export type OptionValues<Options> = {
  readonly [Option in Options as NameOf<Option>]: Option extends { readonly type: infer Type }
    ? Option extends { readonly required: true }
      ? ValueOfType<Type>
      : ValueOfType<Type> | null
    : never;
};

/** The values of a command without subcommands. */
export type CommandOptions<Definition> = OptionValues<OptionsOf<Definition>>;

/** What a command's handler receives: its values, or the subcommand used with its values. */
export type CommandInput<Definition> = [AllSubcommandsOf<Definition>] extends [never]
  ? CommandOptions<Definition>
  : SubcommandInput<Definition>;

/**
 * Which subcommand was used, with its values; narrow on `subcommand`. A subcommand inside a group (`/settings set
 * region`) also names its `group`.
 */
export type SubcommandInput<Definition> = UngroupedInput<Definition> | GroupedInput<Definition>;

type UngroupedInput<Definition> =
  SubcommandsOf<Definition> extends infer Subcommand
    ? Subcommand extends { readonly name: infer Name extends string }
      ? { readonly subcommand: Name; readonly options: OptionValues<OptionsOf<Subcommand>> }
      : never
    : never;

type GroupedInput<Definition> =
  GroupsOf<Definition> extends infer Group
    ? Group extends { readonly name: infer GroupName extends string }
      ? SubcommandsOf<Group> extends infer Subcommand
        ? Subcommand extends { readonly name: infer Name extends string }
          ? {
              readonly group: GroupName;
              readonly subcommand: Name;
              readonly options: OptionValues<OptionsOf<Subcommand>>;
            }
          : never
        : never
      : never
    : never;

/** Every leaf option of a command, whether or not under a subcommand (or a group's). */
type LeafOptionsOf<Definition> =
  | Exclude<
      OptionsOf<Definition>,
      { readonly type: ApplicationCommandOptionType.Subcommand | ApplicationCommandOptionType.SubcommandGroup }
    >
  | OptionsOf<AllSubcommandsOf<Definition>>;

/** Names of the options that have autocomplete. */
export type AutocompleteName<Definition> = NameOf<Extract<LeafOptionsOf<Definition>, { readonly autocomplete: true }>>;

/** What a member is typing: the option, its text so far, the subcommand, and the other values as far as known. */
export interface AutocompleteInput<Definition> {
  readonly subcommand: NameOf<AllSubcommandsOf<Definition>> | null;
  readonly focused: { readonly name: AutocompleteName<Definition>; readonly value: string };
  /** The other options, each null when absent or not (yet) a valid value; never throws. */
  readonly values: {
    readonly [Option in LeafOptionsOf<Definition> as NameOf<Option>]?: ValueOfType<
      Option extends { readonly type: infer Type } ? Type : never
    > | null;
  };
}

// ─── Reading ───────────────────────────────────────────────────────────────────────────────────────────────────

/** An option value that does not match its declaration; shown to the member as is. */
export class InvalidOptionError extends UserFacingError {}

type OptionValue = string | number | boolean;

/** The values of a command without subcommands, checked against `definition`. */
export function readOptions<const Definition extends DeclaredCommand>(
  definition: Definition,
  data: readonly OptionData[],
): CommandOptions<Definition> {
  return readLeafOptions(definition.options ?? [], data) as CommandOptions<Definition>;
}

/** The input of a command, with or without subcommands, checked against `definition`. */
export function readInput<const Definition extends DeclaredCommand>(
  definition: Definition,
  data: readonly OptionData[],
): CommandInput<Definition> {
  const hasSubcommands = (definition.options ?? []).some(isSubcommandOrGroup);
  return (
    hasSubcommands ? readSubcommand(definition, data) : readOptions(definition, data)
  ) as CommandInput<Definition>;
}

/** The subcommand used and its values, checked against `definition`. */
export function readSubcommand<const Definition extends DeclaredCommand>(
  definition: Definition,
  data: readonly OptionData[],
): SubcommandInput<Definition> {
  const { declaration, given, group } = findSubcommand(definition, data);
  if (declaration === undefined || given === undefined)
    throw new InvalidOptionError("That subcommand does not exist (any more). Pick one from the list.");
  const options = readLeafOptions(declaration.options ?? [], given.options ?? []);
  const input =
    group === null ? { subcommand: declaration.name, options } : { group, subcommand: declaration.name, options };
  return input as unknown as SubcommandInput<Definition>;
}

/**
 * The focused option of an autocomplete request and the other values, leniently: autocomplete must always answer,
 * so nothing here throws; an undeclared or non-autocomplete focused option yields null.
 */
export function readAutocomplete<const Definition extends DeclaredCommand>(
  definition: Definition,
  data: readonly OptionData[],
): AutocompleteInput<Definition> | null {
  const hasSubcommands = (definition.options ?? []).some(isSubcommandOrGroup);
  let declarations: readonly DeclaredOption[] = definition.options ?? [];
  let given = data;
  let subcommand: string | null = null;
  if (hasSubcommands) {
    const found = findSubcommand(definition, data);
    if (found.declaration === undefined || found.given === undefined) return null;
    declarations = found.declaration.options ?? [];
    given = found.given.options ?? [];
    subcommand = found.declaration.name;
  }
  const focusedData = given.find((option) => option.focused === true);
  const focusedDeclaration = declarations.find((option) => option.name === focusedData?.name);
  if (focusedData === undefined || focusedDeclaration?.autocomplete !== true) return null;
  const typed =
    typeof focusedData.value === "string" || typeof focusedData.value === "number" ? String(focusedData.value) : "";
  const values: Record<string, OptionValue | null> = {};
  for (const declaration of declarations) {
    if (declaration.name === focusedDeclaration.name) continue;
    values[declaration.name] = lenientValue(
      declaration,
      given.find((option) => option.name === declaration.name)?.value,
    );
  }
  const focused = {
    name: focusedDeclaration.name,
    value: typed.slice(0, focusedDeclaration.max_length ?? STRING_OPTION_LIMIT),
  };
  return { subcommand, focused, values } as unknown as AutocompleteInput<Definition>;
}

function isSubcommand(option: DeclaredOption): boolean {
  return option.type === ApplicationCommandOptionType.Subcommand;
}

function isSubcommandOrGroup(option: DeclaredOption): boolean {
  return isSubcommand(option) || option.type === ApplicationCommandOptionType.SubcommandGroup;
}

/** The subcommand used (inside its group, when it has one) and what the interaction gave for it. */
function findSubcommand(
  definition: DeclaredCommand,
  data: readonly OptionData[],
): { declaration: DeclaredOption | undefined; given: OptionData | undefined; group: string | null } {
  const givenGroup = data.find((option) => option.type === ApplicationCommandOptionType.SubcommandGroup);
  let declarations = definition.options ?? [];
  let options = data;
  let group: string | null = null;
  if (givenGroup !== undefined) {
    const declaredGroup = declarations.find(
      (option) => option.type === ApplicationCommandOptionType.SubcommandGroup && option.name === givenGroup.name,
    );
    declarations = declaredGroup?.options ?? [];
    options = givenGroup.options ?? [];
    group = declaredGroup?.name ?? null;
  }
  const given = options.find((option) => option.type === ApplicationCommandOptionType.Subcommand);
  const declaration = declarations.find((option) => isSubcommand(option) && option.name === given?.name);
  return { declaration, given, group };
}

function readLeafOptions(
  declarations: readonly DeclaredOption[],
  data: readonly OptionData[],
): Record<string, OptionValue | null> {
  const values: Record<string, OptionValue | null> = {};
  for (const declaration of declarations) {
    const given = data.find((option) => option.name === declaration.name);
    values[declaration.name] = checkedValue(declaration, given);
  }
  return values;
}

function checkedValue(declaration: DeclaredOption, given: OptionData | undefined): OptionValue | null {
  const label = `\`${declaration.name}\``;
  if (given === undefined || given.value === undefined || given.value === null) {
    if (declaration.required === true) throw new InvalidOptionError(`The option ${label} is required.`);
    return null;
  }
  if (given.type !== declaration.type)
    throw new InvalidOptionError(`The option ${label} has the wrong type. Try the command again.`);
  const problem = valueProblem(declaration, given.value);
  if (problem !== null) throw new InvalidOptionError(`The option ${label} ${problem}.`);
  return given.value;
}

/** Why `value` does not fit `declaration`, or null when it does. */
function valueProblem(declaration: DeclaredOption, value: OptionValue): string | null {
  switch (declaration.type) {
    case ApplicationCommandOptionType.String: {
      if (typeof value !== "string") return "must be text";
      const max = declaration.max_length ?? STRING_OPTION_LIMIT;
      if (value.length > max) return `is too long (at most ${max} characters)`;
      if (value.length < (declaration.min_length ?? 0))
        return `is too short (at least ${declaration.min_length} characters)`;
      break;
    }
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number: {
      const integer = declaration.type === ApplicationCommandOptionType.Integer;
      if (typeof value !== "number" || !Number.isFinite(value) || (integer && !Number.isSafeInteger(value))) {
        return integer ? "must be a whole number" : "must be a number";
      }
      if (declaration.min_value !== undefined && value < declaration.min_value)
        return `must be at least ${declaration.min_value}`;
      if (declaration.max_value !== undefined && value > declaration.max_value)
        return `must be at most ${declaration.max_value}`;
      break;
    }
    case ApplicationCommandOptionType.Boolean:
      if (typeof value !== "boolean") return "must be true or false";
      break;
    case ApplicationCommandOptionType.Channel:
      // Discord sends the channel's id; which kinds of channel fit (`channel_types`) Discord's picker enforces.
      if (typeof value !== "string" || !/^\d{1,20}$/.test(value)) return "must be a channel";
      break;
    default:
      return "is of a kind this bot does not read";
  }
  if (declaration.choices !== undefined && !declaration.choices.some((choice) => choice.value === value))
    return "must be one of the listed choices";
  return null;
}

/** The value if it fits its declaration (numbers typed as text are read as numbers), else null. */
function lenientValue(declaration: DeclaredOption, value: OptionValue | undefined): OptionValue | null {
  if (value === undefined) return null;
  let candidate: OptionValue = value;
  const numeric =
    declaration.type === ApplicationCommandOptionType.Integer ||
    declaration.type === ApplicationCommandOptionType.Number;
  if (numeric && typeof value === "string") {
    if (!/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return null;
    candidate = Number(value);
  }
  return valueProblem(declaration, candidate) === null ? candidate : null;
}
