/**
 * pino, JSON lines by default and pretty when a person watches (stdout is a terminal).
 *
 * Secrets are kept out twice: `redact` blanks the fields where a token could be put on purpose, and every written
 * line is scrubbed of the literal bot token and of interaction/webhook tokens in URLs (discord.js errors carry the
 * request URL, `/webhooks/<app>/<interaction token>/…`), whatever field they hide in.
 */
import { pino, type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";
import type { LogLevel } from "../config/config.js";

export type { Logger } from "pino";

export const REDACTED = "[redacted]";

/** Fields that hold a secret when someone logs an object that has one (config, headers, a REST request). */
export const REDACT_PATHS = [
  "token",
  "*.token",
  "discordToken",
  "*.discordToken",
  "DISCORD_TOKEN",
  "*.DISCORD_TOKEN",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "*.*.headers.authorization",
];

/** Interaction and webhook tokens in REST paths: a member's reply could be edited with one for 15 minutes. */
const URL_TOKEN = /(\/(?:webhooks|interactions)\/\d+\/)[\w.-]{16,}/g;

export interface LoggerOptions {
  level: LogLevel;
  /** Human-readable output; default: when stdout is a terminal. */
  pretty?: boolean;
  /** Where lines go; default stdout. Tests pass a stream to read them. */
  destination?: DestinationStream;
  /** Values that must never be written, such as the bot token. */
  secrets?: readonly string[];
}

export function createLogger(options: LoggerOptions): Logger {
  const secrets = options.secrets?.filter((secret) => secret.length >= 8) ?? [];
  const usePretty = options.pretty ?? process.stdout.isTTY === true;
  const destination =
    options.destination ??
    (usePretty ? pretty({ colorize: true, translateTime: "SYS:HH:MM:ss.l" }) : pino.destination(1));
  return pino(
    {
      name: "film-bot",
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      hooks: { streamWrite: (line) => scrubSecrets(line, secrets) },
    },
    destination,
  );
}

/** `line` without any of `secrets` and without tokens in Discord REST URLs. */
export function scrubSecrets(line: string, secrets: readonly string[]): string {
  let scrubbed = line.replace(URL_TOKEN, `$1${REDACTED}`);
  for (const secret of secrets) scrubbed = scrubbed.replaceAll(secret, REDACTED);
  return scrubbed;
}

/**
 * Every write to stdout and stderr scrubbed of `secrets` and of interaction tokens in URLs, whoever writes it: the
 * bot's own one-line errors, a library's warning, an unexpected stack trace. The logger scrubs its own lines too.
 */
export function scrubProcessOutput(secrets: readonly string[]): void {
  const kept = secrets.filter((secret) => secret.length >= 8);
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]): boolean => {
      if (typeof chunk === "string") return write(scrubSecrets(chunk, kept), ...rest);
      if (chunk instanceof Uint8Array)
        return write(Buffer.from(scrubSecrets(Buffer.from(chunk).toString("utf8"), kept)), ...rest);
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
}
