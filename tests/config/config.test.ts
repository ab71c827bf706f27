import { describe, expect, it } from "vitest";
import {
  ConfigError,
  DEFAULT_CATALOG_SYNC_SECONDS,
  DEFAULT_STORE_URL,
  describeConfig,
  loadConfig,
} from "../../src/config/config.js";
import { TEST_TOKEN } from "../commands/fixtures.js";

/** The ConfigError message for `env`, failing the test if it loads. */
function problem(env: Record<string, string | undefined>): string {
  let thrown: unknown;
  try {
    loadConfig(env);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ConfigError);
  return (thrown as ConfigError).message;
}

describe("loadConfig", () => {
  it("needs only the token; everything else has a default", () => {
    expect(loadConfig({ DISCORD_TOKEN: TEST_TOKEN })).toEqual({
      discordToken: TEST_TOKEN,
      discordApiUrl: undefined,
      dataDir: "data",
      storeUrl: DEFAULT_STORE_URL,
      adminGuildIds: [],
      deployGuildId: undefined,
      logLevel: "info",
      catalogSyncSeconds: DEFAULT_CATALOG_SYNC_SECONDS,
      shards: undefined,
      interactions: "gateway",
      discordPublicKey: undefined,
      http: undefined,
      watchRegion: "US",
    });
    expect(DEFAULT_STORE_URL).toBe("sqlite://state/bot.sqlite");
  });

  it("reads every variable", () => {
    const config = loadConfig({
      DISCORD_TOKEN: ` ${TEST_TOKEN} `,
      DISCORD_API_URL: "http://127.0.0.1:8080/api/",
      DATA_DIR: "/srv/films",
      STORE_URL: "redis://cache.internal:6379/2",
      ADMIN_GUILD_IDS: " 123456789012345678 , 223456789012345678,",
      DISCORD_GUILD_ID: "323456789012345678",
      LOG_LEVEL: "debug",
      CATALOG_SYNC_SECONDS: "5",
      SHARDS: "1,3",
      SHARD_COUNT: "4",
      WATCH_REGION: " gb ",
      UNRELATED: "ignored",
    });
    expect(config).toEqual({
      discordToken: TEST_TOKEN,
      discordApiUrl: "http://127.0.0.1:8080/api",
      dataDir: "/srv/films",
      storeUrl: "redis://cache.internal:6379/2",
      adminGuildIds: ["123456789012345678", "223456789012345678"],
      deployGuildId: "323456789012345678",
      logLevel: "debug",
      catalogSyncSeconds: 5,
      shards: { ids: [1, 3], count: 4 },
      interactions: "gateway",
      discordPublicKey: undefined,
      http: undefined,
      watchRegion: "GB",
    });
  });

  it("reads the HTTP interactions settings, and needs the public key for them", () => {
    const key = "a".repeat(64);
    const config = loadConfig({
      DISCORD_TOKEN: TEST_TOKEN,
      INTERACTIONS: "http",
      DISCORD_PUBLIC_KEY: key,
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: "9090",
    });
    expect(config.interactions).toBe("http");
    expect(config.discordPublicKey).toEqual(Buffer.from(key, "hex"));
    expect(config.http).toEqual({ host: "127.0.0.1", port: 9090 });
    expect(loadConfig({ DISCORD_TOKEN: TEST_TOKEN, INTERACTIONS: "http", DISCORD_PUBLIC_KEY: key }).http).toEqual({
      host: "0.0.0.0",
      port: 8080,
    });
    expect(loadConfig({ DISCORD_TOKEN: TEST_TOKEN, HTTP_PORT: "9100" }).http).toEqual({ host: "0.0.0.0", port: 9100 });
    expect(problem({ DISCORD_TOKEN: TEST_TOKEN, INTERACTIONS: "http" })).toMatch(
      /^Invalid configuration: DISCORD_PUBLIC_KEY is missing: INTERACTIONS=http needs the application's public key/,
    );
    expect(problem({ DISCORD_TOKEN: TEST_TOKEN, INTERACTIONS: "http", DISCORD_PUBLIC_KEY: "abc" })).toMatch(
      /DISCORD_PUBLIC_KEY must be the application's public key: 64 hexadecimal characters/,
    );
    expect(problem({ DISCORD_TOKEN: TEST_TOKEN, INTERACTIONS: "webhook" })).toContain(
      'INTERACTIONS must be gateway or http, got "webhook"',
    );
    expect(problem({ DISCORD_TOKEN: TEST_TOKEN, HTTP_PORT: "99999" })).toContain("HTTP_PORT must be a TCP port");
  });

  it("never repeats a value that looks like a secret in an error", () => {
    for (const variable of ["STORE_URL", "DISCORD_API_URL", "LOG_LEVEL", "HTTP_PORT", "SHARDS"]) {
      const message = problem({ DISCORD_TOKEN: TEST_TOKEN, [variable]: TEST_TOKEN });
      expect(message).not.toContain(TEST_TOKEN);
      expect(message).not.toContain(TEST_TOKEN.split(".")[2]);
      expect(message).toContain("looks like a secret");
    }
    expect(problem({ DISCORD_TOKEN: TEST_TOKEN, STORE_URL: "postgres://me:hunter2@db/x" })).not.toContain("hunter2");
  });

  it("reads SHARDS in discord.js's JSON form too", () => {
    expect(loadConfig({ DISCORD_TOKEN: TEST_TOKEN, SHARDS: "[0]", SHARD_COUNT: "2" }).shards).toEqual({
      ids: [0],
      count: 2,
    });
  });

  it("treats blank values as unset (NAME= in .env)", () => {
    const config = loadConfig({
      DISCORD_TOKEN: TEST_TOKEN,
      DISCORD_API_URL: "",
      DATA_DIR: "  ",
      ADMIN_GUILD_IDS: "",
      DISCORD_GUILD_ID: "",
      LOG_LEVEL: "",
      WATCH_REGION: "",
    });
    expect(config.watchRegion).toBe("US");
    expect(config.discordApiUrl).toBeUndefined();
    expect(config.dataDir).toBe("data");
    expect(config.adminGuildIds).toEqual([]);
    expect(config.deployGuildId).toBeUndefined();
    expect(config.logLevel).toBe("info");
  });

  it.each([
    [{}, "DISCORD_TOKEN is missing"],
    [{ DISCORD_TOKEN: "" }, "DISCORD_TOKEN is missing"],
    [{ DISCORD_TOKEN: `Bot ${TEST_TOKEN}` }, 'DISCORD_TOKEN must be the token alone, without the "Bot " prefix'],
    [{ DISCORD_TOKEN: "not-a-token" }, "DISCORD_TOKEN does not look like a bot token"],
    [
      { DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_URL: "127.0.0.1:8080" },
      'DISCORD_API_URL must be an http(s) URL, got "127.0.0.1:8080"',
    ],
    [{ DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_URL: "ftp://example.com" }, "DISCORD_API_URL must be an http(s) URL"],
    [
      { DISCORD_TOKEN: TEST_TOKEN, STORE_URL: "postgres://db/bot" },
      'STORE_URL must be sqlite://<path> or redis://<host>:<port>, got "postgres://db/bot"',
    ],
    [{ DISCORD_TOKEN: TEST_TOKEN, STORE_URL: "sqlite://" }, "STORE_URL must be sqlite://<path>"],
    [
      { DISCORD_TOKEN: TEST_TOKEN, ADMIN_GUILD_IDS: "123456789012345678,my-guild" },
      'ADMIN_GUILD_IDS must be a comma-separated list of guild ids; "my-guild" is not one',
    ],
    [
      { DISCORD_TOKEN: TEST_TOKEN, DISCORD_GUILD_ID: "42" },
      'DISCORD_GUILD_ID must be a guild id (17-20 digits), got "42"',
    ],
    [
      { DISCORD_TOKEN: TEST_TOKEN, LOG_LEVEL: "verbose" },
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
    ],
    [
      { DISCORD_TOKEN: TEST_TOKEN, CATALOG_SYNC_SECONDS: "soon" },
      'CATALOG_SYNC_SECONDS must be a whole number of seconds from 0 to 86400, got "soon"',
    ],
    [{ DISCORD_TOKEN: TEST_TOKEN, CATALOG_SYNC_SECONDS: "-1" }, "CATALOG_SYNC_SECONDS must be a whole number"],
    [{ DISCORD_TOKEN: TEST_TOKEN, CATALOG_SYNC_SECONDS: "100000" }, "CATALOG_SYNC_SECONDS must be a whole number"],
    [
      { DISCORD_TOKEN: TEST_TOKEN, SHARDS: "first", SHARD_COUNT: "2" },
      'SHARDS must be shard ids separated by commas, like 0 or 0,1; got "first"',
    ],
    [
      { DISCORD_TOKEN: TEST_TOKEN, SHARDS: "0", SHARD_COUNT: "0" },
      'SHARD_COUNT must be a whole number of shards, at least 1, got "0"',
    ],
    [{ DISCORD_TOKEN: TEST_TOKEN, SHARDS: "0" }, "SHARDS and SHARD_COUNT must be set together (or neither)"],
    [
      { DISCORD_TOKEN: TEST_TOKEN, SHARDS: "2", SHARD_COUNT: "2" },
      "SHARDS has shard 2, but SHARD_COUNT is 2 (ids go from 0 to 1)",
    ],
    [
      { DISCORD_TOKEN: TEST_TOKEN, WATCH_REGION: "USA" },
      'WATCH_REGION must be a two-letter country code like US or GB, got "USA"',
    ],
  ])("%j fails with one line naming the variable", (env, expected) => {
    const message = problem(env);
    expect(message).toContain(expected);
    expect(message).toMatch(/^Invalid configuration: /);
    expect(message).not.toContain("\n");
  });

  it("names every bad variable on the same line", () => {
    const message = problem({ LOG_LEVEL: "loud", DISCORD_GUILD_ID: "x" });
    expect(message.split("\n")).toHaveLength(1);
    expect(message).toContain("DISCORD_TOKEN");
    expect(message).toContain("LOG_LEVEL");
    expect(message).toContain("DISCORD_GUILD_ID");
  });

  it("never quotes the token, even when it is malformed", () => {
    const secretish = "abc.def.ghi jkl";
    expect(problem({ DISCORD_TOKEN: secretish })).not.toContain("ghi");
    expect(problem({ DISCORD_TOKEN: `Bot ${TEST_TOKEN}` })).not.toContain(TEST_TOKEN);
  });

  it("describes itself without the token or a store password", () => {
    const config = loadConfig({ DISCORD_TOKEN: TEST_TOKEN, STORE_URL: "redis://user:hunter2@cache:6379" });
    const described = JSON.stringify(describeConfig(config));
    expect(described).not.toContain(TEST_TOKEN);
    expect(described).not.toContain("hunter2");
    expect(described).toContain("cache:6379");
  });
});
