import { randomBytes } from "node:crypto";

/** Discord's epoch (2015-01-01T00:00:00Z); snowflakes count milliseconds from here. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

let increment = 0n;

/**
 * A new, unique, well-formed Discord snowflake whose timestamp is "now", so discord.js's
 * `createdTimestamp` getters return sensible values.
 */
export function nextSnowflake(now: number = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  const timestamp = BigInt(now) - DISCORD_EPOCH_MS;
  const workerId = 1n;
  const processId = 0n;
  return ((timestamp << 22n) | (workerId << 17n) | (processId << 12n) | increment).toString();
}

/** A random token in the shape Discord uses for interaction tokens (long, URL-safe). */
export function randomInteractionToken(): string {
  return `aW50ZXJhY3Rpb246${randomBytes(48).toString("base64url")}`;
}

/** A random bot token in Discord's three-part format; only the fake checks it. */
export function randomBotToken(userId: string): string {
  const encodedId = Buffer.from(userId).toString("base64url");
  return `${encodedId}.${randomBytes(4).toString("base64url")}.${randomBytes(27).toString("base64url")}`;
}

/** A random 32-hex-digit id, the shape of gateway session ids. */
export function randomSessionId(): string {
  return randomBytes(16).toString("hex");
}
