import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";

/**
 * Validation of bodies against Discord's published OpenAPI description, vendored in
 * `./discord-api-spec/` (see the README there for its source and licence). Read relative to this
 * file so it works wherever the repository is cloned.
 */
const SPEC_FILE = new URL("./discord-api-spec/openapi.json", import.meta.url);

/** Name under which the whole spec is registered with Ajv, so `$ref`s can point into it. */
const SPEC_ID = "discord";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

/** One schema failure, trimmed from Ajv's error object to what a test failure message needs. */
export interface SchemaError {
  /** JSON pointer into the validated body, e.g. `/data/embeds/0/title`. */
  path: string;
  /** Ajv's message, e.g. `must NOT have more than 256 characters`. */
  message: string;
  /** The JSON Schema keyword that failed (`maxLength`, `required`, `enum`, ...). */
  keyword: string;
}

/** JSON-pointer escaping of one reference token (RFC 6901): `~` first, then `/`. */
function escapePointerToken(token: string): string {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}

function toSchemaErrors(errors: readonly ErrorObject[] | null | undefined): SchemaError[] {
  return (errors ?? []).map((error) => ({
    path: error.instancePath,
    message: error.message ?? error.keyword,
    keyword: error.keyword,
  }));
}

function readSpec(): unknown {
  return JSON.parse(readFileSync(SPEC_FILE, "utf8"));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Walks plain object keys (no `$ref` resolution) to tell whether a pointer exists in the spec. */
function hasPointer(root: unknown, tokens: readonly string[]): boolean {
  let node: unknown = root;
  for (const token of tokens) {
    if (!isRecord(node) || !(token in node)) return false;
    node = node[token];
  }
  return true;
}

/**
 * Compiled validators for Discord's spec. Compiling the 1.2 MB spec costs a few hundred
 * milliseconds, so one instance is shared by every fake in the process ({@link DiscordSpec.shared})
 * and each validator is compiled once, on first use.
 */
export class DiscordSpec {
  private static instance: DiscordSpec | undefined;

  private readonly ajv: Ajv2020;
  private readonly spec: unknown;
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor() {
    this.spec = readSpec();
    // strict: false because the spec uses vendor keywords (x-discord-union); formats off because
    // it uses custom ones (snowflake, int32) that Ajv does not know.
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    this.ajv.addSchema(this.spec as object, SPEC_ID);
  }

  static shared(): DiscordSpec {
    DiscordSpec.instance ??= new DiscordSpec();
    return DiscordSpec.instance;
  }

  /** Whether the spec documents a JSON request body for `method` on `pathTemplate`. */
  hasRequestBodySchema(pathTemplate: string, method: HttpMethod): boolean {
    return hasPointer(this.spec, [
      "paths",
      pathTemplate,
      method,
      "requestBody",
      "content",
      "application/json",
      "schema",
    ]);
  }

  /**
   * Errors of `body` against the JSON request body schema of `method pathTemplate`
   * (`pathTemplate` as written in the spec, e.g. `/webhooks/{webhook_id}/{webhook_token}`).
   * Empty when the body is valid.
   */
  requestBodyErrors(pathTemplate: string, method: HttpMethod, body: unknown): SchemaError[] {
    const pointer = ["paths", pathTemplate, method, "requestBody", "content", "application/json", "schema"];
    return this.errorsAt(pointer, body);
  }

  /** Errors of `body` against the JSON response schema for `status` of `method pathTemplate`. */
  responseBodyErrors(pathTemplate: string, method: HttpMethod, status: number, body: unknown): SchemaError[] {
    const pointer = [
      "paths",
      pathTemplate,
      method,
      "responses",
      String(status),
      "content",
      "application/json",
      "schema",
    ];
    return this.errorsAt(pointer, body);
  }

  /** Errors of `value` against `components/schemas/<name>` (e.g. `MessageResponse`). */
  componentErrors(name: string, value: unknown): SchemaError[] {
    return this.errorsAt(["components", "schemas", name], value);
  }

  private errorsAt(pointerTokens: readonly string[], value: unknown): SchemaError[] {
    const validate = this.validatorAt(pointerTokens);
    return validate(value) ? [] : toSchemaErrors(validate.errors);
  }

  private validatorAt(pointerTokens: readonly string[]): ValidateFunction {
    if (!hasPointer(this.spec, pointerTokens)) {
      throw new Error(`Discord's OpenAPI spec has no schema at ${pointerTokens.join(" > ")}`);
    }
    const ref = `${SPEC_ID}#/${pointerTokens.map(escapePointerToken).join("/")}`;
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    return validate;
  }
}
