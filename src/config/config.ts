/**
 * The bot's configuration, read once at start from the environment (`.env` via dotenv in main.ts) and validated
 * with zod. A bad or missing value is a `ConfigError` whose message is one line naming the variable; the secret
 * itself never appears in it.
 */
import { z } from "zod";
import { DEFAULT_REGION, regionCodeOf } from "../catalog/film.js";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_DATA_DIR = "data";
/** Relative to the working directory; the folder is created at start. Git ignores `*.sqlite`. */
export const DEFAULT_STORE_URL = "sqlite://state/bot.sqlite";
export const DEFAULT_CATALOG_SYNC_SECONDS = 30;
export const DEFAULT_HTTP_HOST = "0.0.0.0";
export const DEFAULT_HTTP_PORT = 8080;

/** How Discord delivers interactions: over the gateway connection, or POSTed to this bot's HTTP endpoint. */
export type InteractionsMode = "gateway" | "http";

export interface Config {
  /** The bot token. Never log it: the logger also scrubs it from every line. */
  readonly discordToken: string;
  /** REST base URL (without `/v10`), e.g. a REST proxy or the tests' fake Discord; undefined for Discord's own. */
  readonly discordApiUrl: string | undefined;
  readonly dataDir: string;
  /** `sqlite://<path>` or `redis://…` / `rediss://…`. */
  readonly storeUrl: string;
  /** Guilds where moderators may reload; empty means any guild. */
  readonly adminGuildIds: readonly string[];
  /** Where `npm run deploy` registers the commands; undefined for global. */
  readonly deployGuildId: string | undefined;
  readonly logLevel: LogLevel;
  /** How often a process checks whether another one reloaded the catalog; 0 turns it off. */
  readonly catalogSyncSeconds: number;
  /**
   * The gateway shards this process runs, for several processes on one bot token (each must run different shards,
   * or every process would receive, and try to answer, the same interactions). Undefined: one process, all shards.
   */
  readonly shards: { readonly ids: readonly number[]; readonly count: number } | undefined;
  /** Where interactions come from; "gateway" (one process, no public URL needed) by default. */
  readonly interactions: InteractionsMode;
  /** The application's Ed25519 public key (32 bytes), which signs every interaction POSTed in "http" mode. */
  readonly discordPublicKey: Buffer | undefined;
  /**
   * The HTTP server: POST /interactions in "http" mode, and /healthz, /readyz and /metrics in both modes. Undefined
   * in gateway mode without HTTP_PORT (no server at all).
   */
  readonly http: { readonly host: string; readonly port: number } | undefined;
  /** Where the process writes its pid at start (removed at exit), for a supervisor that signals it. */
  readonly pidFile: string | undefined;
  /** The country (ISO 3166-1, "US") whose streaming, rental and purchase offers film cards list. */
  readonly watchRegion: string;
}

/** A configuration problem, as one line meant for a person ("DISCORD_TOKEN is missing: …"). */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Every variable the bot reads, with what it means: the source of `.env.example` and the docs. */
export const CONFIG_VARIABLES = [
  "DISCORD_TOKEN",
  "DISCORD_API_URL",
  "DATA_DIR",
  "STORE_URL",
  "ADMIN_GUILD_IDS",
  "DISCORD_GUILD_ID",
  "LOG_LEVEL",
  "CATALOG_SYNC_SECONDS",
  "SHARDS",
  "SHARD_COUNT",
  "INTERACTIONS",
  "DISCORD_PUBLIC_KEY",
  "HTTP_HOST",
  "HTTP_PORT",
  "PID_FILE",
  "WATCH_REGION",
] as const;

const SNOWFLAKE = /^\d{17,20}$/;

/**
 * A bad value as an error message quotes it, so a typo is easy to see — unless it could be a secret pasted into the
 * wrong variable (a bot token, a key, a password): those are never repeated, in a message that may end up in a log.
 */
function quoted(value: unknown): string {
  const text = typeof value === "string" ? value : String(value);
  const secretLike = BOT_TOKEN.test(text) || /[A-Za-z0-9_\-+/=]{24,}/.test(text) || /:\/\/[^/@\s]*:[^@\s]*@/.test(text);
  return secretLike ? "a value that looks like a secret (not shown)" : JSON.stringify(text);
}
/** Three base64url parts separated by dots, as the Developer Portal shows a bot token. */
const BOT_TOKEN = /^[\w-]+\.[\w-]+\.[\w-]+$/;

// Messages never quote the token; other values are quoted so a typo is easy to see.
const tokenSchema = z
  .string({ error: "is missing: set it to the bot token from the Developer Portal (Bot → Reset Token)" })
  .refine((token) => !/^bot\s/i.test(token), { error: 'must be the token alone, without the "Bot " prefix' })
  .refine((token) => BOT_TOKEN.test(token), {
    error: "does not look like a bot token (three parts separated by dots)",
  });

const apiUrlSchema = z
  .string()
  .refine(isHttpUrl, { error: (issue) => `must be an http(s) URL, got ${quoted(issue.input)}` })
  .transform((url) => url.replace(/\/+$/, ""))
  .optional();

const storeUrlSchema = z
  .string()
  .default(DEFAULT_STORE_URL)
  .refine(isStoreUrl, {
    error: (issue) => `must be sqlite://<path> or redis://<host>:<port>, got ${quoted(issue.input)}`,
  });

const snowflakeListSchema = z
  .string()
  .optional()
  .transform((list, context) => {
    const ids = (list ?? "")
      .split(",")
      .map((id) => id.trim())
      .filter((id) => id !== "");
    const bad = ids.find((id) => !SNOWFLAKE.test(id));
    if (bad !== undefined) {
      context.addIssue({
        code: "custom",
        message: `must be a comma-separated list of guild ids; ${quoted(bad)} is not one`,
      });
      return z.NEVER;
    }
    return ids;
  });

const shardIdsSchema = z
  .string()
  .optional()
  .transform((list, context) => {
    if (list === undefined) return undefined;
    const ids = list
      .replace(/^\[|\]$/g, "")
      .split(",")
      .map((id) => id.trim());
    if (ids.length === 0 || ids.some((id) => !/^\d{1,4}$/.test(id))) {
      context.addIssue({
        code: "custom",
        message: `must be shard ids separated by commas, like 0 or 0,1; got ${quoted(list)}`,
      });
      return z.NEVER;
    }
    return [...new Set(ids.map(Number))];
  });

const shardCountSchema = z
  .string()
  .optional()
  .refine((value) => value === undefined || (/^\d{1,4}$/.test(value) && Number(value) >= 1), {
    error: (issue) => `must be a whole number of shards, at least 1, got ${quoted(issue.input)}`,
  })
  .transform((value) => (value === undefined ? undefined : Number(value)));

const publicKeySchema = z
  .string()
  .refine((key) => /^[0-9a-fA-F]{64}$/.test(key), {
    error: "must be the application's public key: 64 hexadecimal characters (Developer Portal → General Information)",
  })
  .transform((key) => Buffer.from(key, "hex"))
  .optional();

const portSchema = z
  .string()
  .refine((value) => /^\d{1,5}$/.test(value) && Number(value) <= 65_535, {
    error: (issue) => `must be a TCP port from 1 to 65535 (0: any free port), got ${quoted(issue.input)}`,
  })
  .transform(Number)
  .optional();

const envSchema = z.object({
  DISCORD_TOKEN: tokenSchema,
  DISCORD_API_URL: apiUrlSchema,
  DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
  STORE_URL: storeUrlSchema,
  ADMIN_GUILD_IDS: snowflakeListSchema,
  DISCORD_GUILD_ID: z
    .string()
    .regex(SNOWFLAKE, { error: (issue) => `must be a guild id (17-20 digits), got ${quoted(issue.input)}` })
    .optional(),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, {
      error: (issue) => `must be one of ${LOG_LEVELS.join(", ")}, got ${quoted(issue.input)}`,
    })
    .default("info"),
  CATALOG_SYNC_SECONDS: z
    .string()
    .default(String(DEFAULT_CATALOG_SYNC_SECONDS))
    .refine((value) => /^\d{1,5}$/.test(value) && Number(value) <= 86_400, {
      error: (issue) => `must be a whole number of seconds from 0 to 86400, got ${quoted(issue.input)}`,
    })
    .transform(Number),
  SHARDS: shardIdsSchema,
  SHARD_COUNT: shardCountSchema,
  INTERACTIONS: z
    .enum(["gateway", "http"], { error: (issue) => `must be gateway or http, got ${quoted(issue.input)}` })
    .default("gateway"),
  DISCORD_PUBLIC_KEY: publicKeySchema,
  HTTP_HOST: z
    .string()
    .refine((host) => /^[\w.:-]{1,253}$/.test(host), { error: "must be a host name or an IP address to listen on" })
    .default(DEFAULT_HTTP_HOST),
  HTTP_PORT: portSchema,
  PID_FILE: z.string().optional(),
  WATCH_REGION: z
    .string()
    .default(DEFAULT_REGION)
    .transform((region, context) => {
      const code = regionCodeOf(region);
      if (code !== null) return code;
      context.addIssue({
        code: "custom",
        message: `must be a two-letter country code like US or GB, got ${quoted(region)}`,
      });
      return z.NEVER;
    }),
});

/**
 * The validated configuration. Blank values count as unset (dotenv gives "" for `NAME=`), and surrounding spaces are
 * ignored. Throws `ConfigError` with one line naming every bad variable.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const result = envSchema.safeParse(presentValues(env));
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${String(issue.path[0] ?? "configuration")} ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join("; ")}`);
  }
  const values = result.data;
  return {
    discordToken: values.DISCORD_TOKEN,
    discordApiUrl: values.DISCORD_API_URL,
    dataDir: values.DATA_DIR,
    storeUrl: values.STORE_URL,
    adminGuildIds: values.ADMIN_GUILD_IDS,
    deployGuildId: values.DISCORD_GUILD_ID,
    logLevel: values.LOG_LEVEL,
    catalogSyncSeconds: values.CATALOG_SYNC_SECONDS,
    shards: shardsOf(values.SHARDS, values.SHARD_COUNT),
    interactions: values.INTERACTIONS,
    discordPublicKey: publicKeyFor(values.INTERACTIONS, values.DISCORD_PUBLIC_KEY),
    http:
      values.INTERACTIONS === "http" || values.HTTP_PORT !== undefined
        ? { host: values.HTTP_HOST, port: values.HTTP_PORT ?? DEFAULT_HTTP_PORT }
        : undefined,
    pidFile: values.PID_FILE,
    watchRegion: values.WATCH_REGION,
  };
}

/** The key is required when Discord POSTs interactions: without it no signature can be checked. */
function publicKeyFor(mode: InteractionsMode, key: Buffer | undefined): Buffer | undefined {
  if (mode === "http" && key === undefined) {
    throw new ConfigError(
      "Invalid configuration: DISCORD_PUBLIC_KEY is missing: INTERACTIONS=http needs the application's public key " +
        "(Developer Portal → General Information)",
    );
  }
  return key;
}

/** Both or neither, each id below the count; a problem is a ConfigError naming the variables. */
function shardsOf(ids: number[] | undefined, count: number | undefined): Config["shards"] {
  if (ids === undefined && count === undefined) return undefined;
  if (ids === undefined || count === undefined)
    throw new ConfigError("Invalid configuration: SHARDS and SHARD_COUNT must be set together (or neither)");
  const outside = ids.find((id) => id >= count);
  if (outside !== undefined)
    throw new ConfigError(
      `Invalid configuration: SHARDS has shard ${outside}, but SHARD_COUNT is ${count} (ids go from 0 to ${count - 1})`,
    );
  return { ids, count };
}

/** The variables the bot reads, trimmed, without the blank ones. */
function presentValues(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of CONFIG_VARIABLES) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== "") values[name] = value;
  }
  return values;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

function isStoreUrl(text: string): boolean {
  if (text.startsWith("sqlite://")) return text.length > "sqlite://".length;
  if (!/^rediss?:\/\//.test(text)) return false;
  try {
    return new URL(text).hostname !== "";
  } catch {
    return false;
  }
}

/** A description safe to log: everything but the token (and any password in the store URL). */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    discordApiUrl: config.discordApiUrl ?? "(Discord)",
    dataDir: config.dataDir,
    storeUrl: describeStoreUrl(config.storeUrl),
    adminGuildIds: config.adminGuildIds,
    deployGuildId: config.deployGuildId ?? null,
    logLevel: config.logLevel,
    catalogSyncSeconds: config.catalogSyncSeconds,
    shards: config.shards ?? "all",
    interactions: config.interactions,
    http: config.http ?? null,
    watchRegion: config.watchRegion,
  };
}

/** A store URL safe to show: any password replaced by "***". */
export function describeStoreUrl(storeUrl: string): string {
  if (storeUrl.startsWith("sqlite://")) return storeUrl;
  try {
    const url = new URL(storeUrl);
    if (url.password !== "") url.password = "***";
    return url.toString();
  } catch {
    return "(unparsable)";
  }
}
