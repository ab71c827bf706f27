import { arrayOrEmpty, isRecord, numberOrUndefined, recordOrEmpty, textLength, type JsonRecord } from "./json.js";

/**
 * Discord's documented limits that its OpenAPI schema does not (fully) encode, checked on every
 * message body the client sends. Values from Discord's docs (Message, Embed, Component,
 * Interaction Response pages).
 */
export const DISCORD_LIMITS = {
  contentLength: 2000,
  embedsPerMessage: 10,
  embedTitleLength: 256,
  embedDescriptionLength: 4096,
  embedFieldsPerEmbed: 25,
  embedFieldNameLength: 256,
  embedFieldValueLength: 1024,
  embedFooterTextLength: 2048,
  embedAuthorNameLength: 256,
  /** Sum of every title, description, field name/value, footer text and author name of a message. */
  embedTotalCharacters: 6000,
  actionRowsPerMessage: 5,
  buttonsPerActionRow: 5,
  customIdLength: 100,
  buttonLabelLength: 80,
  autocompleteChoices: 25,
  autocompleteChoiceNameMinLength: 1,
  autocompleteChoiceNameMaxLength: 100,
  autocompleteChoiceStringValueLength: 100,
  modalTitleLength: 45,
} as const;

const ACTION_ROW = 1;
const BUTTON = 2;
/** Message flag IS_COMPONENTS_V2: top-level components are then layouts, not only action rows. */
const IS_COMPONENTS_V2 = 1 << 15;

/** One broken limit: where in the body, and what. */
export interface LimitProblem {
  /** JSON pointer into the checked body, e.g. `/data/embeds/0/title`. */
  path: string;
  message: string;
}

function tooLong(path: string, what: string, length: number, max: number): LimitProblem {
  return { path, message: `${what} is ${length} characters; Discord allows at most ${max}` };
}

function tooMany(path: string, what: string, count: number, max: number): LimitProblem {
  return { path, message: `${count} ${what}; Discord allows at most ${max}` };
}

function checkLength(problems: LimitProblem[], path: string, what: string, value: unknown, max: number): number {
  const length = textLength(value);
  if (length > max) problems.push(tooLong(path, what, length, max));
  return length;
}

/** Checks one embed and returns the characters it contributes to the message-wide 6000 total. */
function checkEmbed(problems: LimitProblem[], embed: JsonRecord, path: string): number {
  const L = DISCORD_LIMITS;
  let total = 0;
  total += checkLength(problems, `${path}/title`, "embed title", embed["title"], L.embedTitleLength);
  total += checkLength(
    problems,
    `${path}/description`,
    "embed description",
    embed["description"],
    L.embedDescriptionLength,
  );
  const fields = arrayOrEmpty(embed["fields"]);
  if (fields.length > L.embedFieldsPerEmbed) {
    problems.push(tooMany(`${path}/fields`, "embed fields", fields.length, L.embedFieldsPerEmbed));
  }
  fields.forEach((field, index) => {
    const fieldPath = `${path}/fields/${index}`;
    const { name, value } = recordOrEmpty(field);
    total += checkLength(problems, `${fieldPath}/name`, "embed field name", name, L.embedFieldNameLength);
    total += checkLength(problems, `${fieldPath}/value`, "embed field value", value, L.embedFieldValueLength);
  });
  const footerText = recordOrEmpty(embed["footer"])["text"];
  total += checkLength(problems, `${path}/footer/text`, "embed footer text", footerText, L.embedFooterTextLength);
  const authorName = recordOrEmpty(embed["author"])["name"];
  total += checkLength(problems, `${path}/author/name`, "embed author name", authorName, L.embedAuthorNameLength);
  return total;
}

function checkEmbeds(problems: LimitProblem[], message: JsonRecord, basePath: string): void {
  const L = DISCORD_LIMITS;
  const embeds = arrayOrEmpty(message["embeds"]);
  if (embeds.length > L.embedsPerMessage) {
    problems.push(tooMany(`${basePath}/embeds`, "embeds", embeds.length, L.embedsPerMessage));
  }
  let total = 0;
  embeds.forEach((embed, index) => {
    if (isRecord(embed)) total += checkEmbed(problems, embed, `${basePath}/embeds/${index}`);
  });
  if (total > L.embedTotalCharacters) {
    problems.push({
      path: `${basePath}/embeds`,
      message: `embeds hold ${total} characters in total (titles, descriptions, fields, footers, authors); Discord allows at most ${L.embedTotalCharacters}`,
    });
  }
}

/** Children of a component wherever the component kinds put them (rows, containers, sections). */
function childComponents(component: JsonRecord): { child: unknown; key: string }[] {
  const children = arrayOrEmpty(component["components"]).map((child, index) => ({ child, key: `components/${index}` }));
  if (isRecord(component["accessory"])) children.push({ child: component["accessory"], key: "accessory" });
  return children;
}

function checkComponent(problems: LimitProblem[], component: JsonRecord, path: string): void {
  const L = DISCORD_LIMITS;
  checkLength(problems, `${path}/custom_id`, "custom_id", component["custom_id"], L.customIdLength);
  if (component["type"] === BUTTON) {
    checkLength(problems, `${path}/label`, "button label", component["label"], L.buttonLabelLength);
  }
  if (component["type"] === ACTION_ROW) {
    const buttons = arrayOrEmpty(component["components"]).filter((child) => recordOrEmpty(child)["type"] === BUTTON);
    if (buttons.length > L.buttonsPerActionRow) {
      problems.push(tooMany(`${path}/components`, "buttons in one action row", buttons.length, L.buttonsPerActionRow));
    }
  }
  for (const { child, key } of childComponents(component)) {
    if (isRecord(child)) checkComponent(problems, child, `${path}/${key}`);
  }
}

function checkComponents(problems: LimitProblem[], message: JsonRecord, basePath: string): void {
  const components = arrayOrEmpty(message["components"]);
  const flags = numberOrUndefined(message["flags"]) ?? 0;
  const usesComponentsV2 = (flags & IS_COMPONENTS_V2) !== 0;
  const actionRows = components.filter((component) => recordOrEmpty(component)["type"] === ACTION_ROW);
  if (!usesComponentsV2 && actionRows.length > DISCORD_LIMITS.actionRowsPerMessage) {
    problems.push(
      tooMany(`${basePath}/components`, "action rows", actionRows.length, DISCORD_LIMITS.actionRowsPerMessage),
    );
  }
  components.forEach((component, index) => {
    if (isRecord(component)) checkComponent(problems, component, `${basePath}/components/${index}`);
  });
}

/**
 * Problems with a message body (interaction reply data, webhook send/edit body): content, embeds
 * and components limits. `basePath` prefixes the reported pointers (e.g. `/data`).
 */
export function messageLimitProblems(message: unknown, basePath = ""): LimitProblem[] {
  if (!isRecord(message)) return [];
  const problems: LimitProblem[] = [];
  checkLength(problems, `${basePath}/content`, "content", message["content"], DISCORD_LIMITS.contentLength);
  checkEmbeds(problems, message, basePath);
  checkComponents(problems, message, basePath);
  return problems;
}

/** Problems with an autocomplete result (`data` of a type-8 callback). */
export function autocompleteLimitProblems(data: unknown, basePath = ""): LimitProblem[] {
  const L = DISCORD_LIMITS;
  const choices = arrayOrEmpty(recordOrEmpty(data)["choices"]);
  const problems: LimitProblem[] = [];
  if (choices.length > L.autocompleteChoices) {
    problems.push(tooMany(`${basePath}/choices`, "autocomplete choices", choices.length, L.autocompleteChoices));
  }
  choices.forEach((choice, index) => {
    const path = `${basePath}/choices/${index}`;
    const { name, value } = recordOrEmpty(choice);
    const nameLength = textLength(name);
    if (nameLength < L.autocompleteChoiceNameMinLength || nameLength > L.autocompleteChoiceNameMaxLength) {
      problems.push({
        path: `${path}/name`,
        message: `choice name is ${nameLength} characters; Discord requires 1-100`,
      });
    }
    if (typeof value === "string") {
      checkLength(problems, `${path}/value`, "choice value", value, L.autocompleteChoiceStringValueLength);
    }
  });
  return problems;
}

/** Problems with a modal (`data` of a type-9 callback). */
export function modalLimitProblems(data: unknown, basePath = ""): LimitProblem[] {
  if (!isRecord(data)) return [];
  const problems: LimitProblem[] = [];
  checkLength(problems, `${basePath}/title`, "modal title", data["title"], DISCORD_LIMITS.modalTitleLength);
  checkLength(problems, `${basePath}/custom_id`, "custom_id", data["custom_id"], DISCORD_LIMITS.customIdLength);
  arrayOrEmpty(data["components"]).forEach((component, index) => {
    if (isRecord(component)) checkComponent(problems, component, `${basePath}/components/${index}`);
  });
  return problems;
}

/**
 * The bot's own rule, stricter than Discord: every message body must carry
 * `allowed_mentions: { parse: [] }` (and no explicit users/roles/replied_user), so text that comes
 * from film data can never ping anyone.
 */
export function silentMentionProblems(message: unknown, basePath = ""): LimitProblem[] {
  if (!isRecord(message)) return [];
  const path = `${basePath}/allowed_mentions`;
  const allowed = message["allowed_mentions"];
  if (!isRecord(allowed)) {
    return [{ path, message: "allowed_mentions is missing; every message must send allowed_mentions: { parse: [] }" }];
  }
  const problems: LimitProblem[] = [];
  const parse = allowed["parse"];
  if (!Array.isArray(parse) || parse.length > 0) {
    problems.push({
      path: `${path}/parse`,
      message: `allowed_mentions.parse must be [] but is ${JSON.stringify(parse)}`,
    });
  }
  for (const key of ["users", "roles"] as const) {
    if (arrayOrEmpty(allowed[key]).length > 0) {
      problems.push({ path: `${path}/${key}`, message: `allowed_mentions.${key} must be empty` });
    }
  }
  if (allowed["replied_user"] === true) {
    problems.push({ path: `${path}/replied_user`, message: "allowed_mentions.replied_user must not be true" });
  }
  return problems;
}
