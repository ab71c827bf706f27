import {
  ApplicationCommandOptionType,
  type CommandInteractionOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  InvalidOptionError,
  readAutocomplete,
  readOptions,
  readSubcommand,
  STRING_OPTION_LIMIT,
} from "../../src/interactions/options.js";

const flat = {
  name: "movie",
  description: "d",
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: "title",
      description: "d",
      required: true,
      autocomplete: true,
      max_length: 20,
    },
    { type: ApplicationCommandOptionType.Integer, name: "year", description: "d", min_value: 1870, max_value: 2100 },
    { type: ApplicationCommandOptionType.Number, name: "min_rating", description: "d", min_value: 0, max_value: 10 },
    { type: ApplicationCommandOptionType.Boolean, name: "force", description: "d" },
    {
      type: ApplicationCommandOptionType.String,
      name: "view",
      description: "d",
      choices: [
        { name: "Cast", value: "cast" },
        { name: "Trivia", value: "trivia" },
      ],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const nested = {
  name: "watchlist",
  description: "d",
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "add",
      description: "d",
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: "title",
          description: "d",
          required: true,
          autocomplete: true,
        },
        { type: ApplicationCommandOptionType.Integer, name: "year", description: "d" },
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: "list", description: "d" },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const S = ApplicationCommandOptionType.String;
const I = ApplicationCommandOptionType.Integer;

describe("readOptions", () => {
  it("types each declared option from the definition", () => {
    const values = readOptions(flat, [{ name: "title", type: S, value: "Alien" }]);
    expectTypeOf(values.title).toEqualTypeOf<string>();
    expectTypeOf(values.year).toEqualTypeOf<number | null>();
    expectTypeOf(values.min_rating).toEqualTypeOf<number | null>();
    expectTypeOf(values.force).toEqualTypeOf<boolean | null>();
    // @ts-expect-error: the definition declares no "titel" option
    void values.titel;
    expect(values).toEqual({ title: "Alien", year: null, min_rating: null, force: null, view: null });
  });

  it("reads every kind of value", () => {
    const data: CommandInteractionOption[] = [
      { name: "title", type: S, value: "Alien" },
      { name: "year", type: I, value: 1979 },
      { name: "min_rating", type: ApplicationCommandOptionType.Number, value: 7.5 },
      { name: "force", type: ApplicationCommandOptionType.Boolean, value: true },
      { name: "view", type: S, value: "cast" },
      { name: "undeclared", type: S, value: "ignored" },
    ];
    expect(readOptions(flat, data)).toEqual({ title: "Alien", year: 1979, min_rating: 7.5, force: true, view: "cast" });
  });

  it.each<[string, CommandInteractionOption[], string]>([
    ["a missing required option", [], "The option `title` is required."],
    ["a value of the wrong type", [{ name: "title", type: I, value: 5 }], "The option `title` has the wrong type"],
    [
      "a string typed as a string but holding a number",
      [{ name: "title", type: S, value: 5 }],
      "The option `title` must be text.",
    ],
    [
      "a string over max_length",
      [{ name: "title", type: S, value: "x".repeat(21) }],
      "The option `title` is too long (at most 20 characters).",
    ],
    [
      "an integer below min_value",
      [
        { name: "title", type: S, value: "a" },
        { name: "year", type: I, value: 1200 },
      ],
      "The option `year` must be at least 1870.",
    ],
    [
      "an integer above max_value",
      [
        { name: "title", type: S, value: "a" },
        { name: "year", type: I, value: 99999 },
      ],
      "The option `year` must be at most 2100.",
    ],
    [
      "a fraction for an integer",
      [
        { name: "title", type: S, value: "a" },
        { name: "year", type: I, value: 1999.5 },
      ],
      "The option `year` must be a whole number.",
    ],
    [
      "not a finite number",
      [
        { name: "title", type: S, value: "a" },
        { name: "min_rating", type: ApplicationCommandOptionType.Number, value: Number.NaN },
      ],
      "must be a number",
    ],
    [
      "a value outside the choices",
      [
        { name: "title", type: S, value: "a" },
        { name: "view", type: S, value: "review" },
      ],
      "must be one of the listed choices",
    ],
    [
      "a boolean that is not one",
      [
        { name: "title", type: S, value: "a" },
        { name: "force", type: ApplicationCommandOptionType.Boolean, value: "yes" },
      ],
      "must be true or false",
    ],
  ])("rejects %s", (_case, data, message) => {
    expect(() => readOptions(flat, data)).toThrow(InvalidOptionError);
    expect(() => readOptions(flat, data)).toThrow(message);
  });

  it("applies Discord's own string ceiling when the definition sets none", () => {
    const open = { name: "x", description: "d", options: [{ type: S, name: "text", description: "d" }] } as const;
    expect(readOptions(open, [{ name: "text", type: S, value: "y".repeat(STRING_OPTION_LIMIT) }]).text).toHaveLength(
      STRING_OPTION_LIMIT,
    );
    expect(() => readOptions(open, [{ name: "text", type: S, value: "y".repeat(STRING_OPTION_LIMIT + 1) }])).toThrow(
      "too long",
    );
  });
});

describe("readSubcommand", () => {
  it("narrows on the subcommand used", () => {
    const input = readSubcommand(nested, [
      {
        name: "add",
        type: ApplicationCommandOptionType.Subcommand,
        options: [{ name: "title", type: S, value: "Alien" }],
      },
    ]);
    expect(input).toEqual({ subcommand: "add", options: { title: "Alien", year: null } });
    if (input.subcommand === "add") {
      expectTypeOf(input.options.title).toEqualTypeOf<string>();
      expectTypeOf(input.options.year).toEqualTypeOf<number | null>();
    } else {
      expectTypeOf(input.subcommand).toEqualTypeOf<"list">();
      // @ts-expect-error: "list" has no options
      void input.options.title;
    }
    expect(
      readSubcommand(nested, [{ name: "list", type: ApplicationCommandOptionType.Subcommand, options: [] }]),
    ).toEqual({ subcommand: "list", options: {} });
  });

  it("rejects a subcommand the definition does not have", () => {
    expect(() => readSubcommand(nested, [{ name: "export", type: ApplicationCommandOptionType.Subcommand }])).toThrow(
      InvalidOptionError,
    );
    expect(() => readSubcommand(nested, [])).toThrow(InvalidOptionError);
  });

  it("checks the subcommand's values", () => {
    expect(() =>
      readSubcommand(nested, [{ name: "add", type: ApplicationCommandOptionType.Subcommand, options: [] }]),
    ).toThrow("The option `title` is required.");
  });
});

describe("readAutocomplete", () => {
  it("gives the focused text and the other values leniently", () => {
    const input = readAutocomplete(flat, [
      { name: "title", type: S, value: "ali", focused: true },
      { name: "year", type: I, value: "1979" as unknown as number },
      { name: "min_rating", type: ApplicationCommandOptionType.Number, value: 42 },
    ]);
    expect(input).toEqual({
      subcommand: null,
      focused: { name: "title", value: "ali" },
      values: { year: 1979, min_rating: null, force: null, view: null },
    });
    expectTypeOf(input!.focused.name).toEqualTypeOf<"title">();
    expectTypeOf(input!.values.year).toEqualTypeOf<number | null | undefined>();
  });

  it("finds the focused option under a subcommand", () => {
    const input = readAutocomplete(nested, [
      {
        name: "add",
        type: ApplicationCommandOptionType.Subcommand,
        options: [{ name: "title", type: S, value: "sol", focused: true }],
      },
    ]);
    expect(input).toEqual({ subcommand: "add", focused: { name: "title", value: "sol" }, values: { year: null } });
  });

  it("cuts what was typed to the option's max_length", () => {
    expect(
      readAutocomplete(flat, [{ name: "title", type: S, value: "z".repeat(10_000), focused: true }])?.focused.value,
    ).toHaveLength(20);
  });

  it("is null for a focus the definition does not allow, never an exception", () => {
    expect(readAutocomplete(flat, [{ name: "year", type: I, value: "19", focused: true }])).toBeNull();
    expect(readAutocomplete(flat, [{ name: "nope", type: S, value: "x", focused: true }])).toBeNull();
    expect(readAutocomplete(flat, [])).toBeNull();
    expect(
      readAutocomplete(nested, [{ name: "gone", type: ApplicationCommandOptionType.Subcommand, options: [] }]),
    ).toBeNull();
  });
});
