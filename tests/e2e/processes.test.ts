/**
 * `npm start` and `npm run deploy` as real processes (node + tsx, as the scripts run them), against the fake Discord:
 * one-line failures, `.env` reading, SIGHUP reload, SIGTERM shutdown with exit code 0, and no token in the output.
 */
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import { deployCommands } from "../../src/discord/register-commands.js";
import { openStore } from "../../src/store/open-store.js";
import { removeTempDirs, silentLogger, tempDir } from "../commands/fixtures.js";
import { FakeDiscord } from "../fake-discord/index.js";
import { DEPLOY, MAIN, run, until } from "../support/bot-process.js";
import { makeDataDir, SEED_ID } from "./harness.js";

afterAll(removeTempDirs);

const REPO = fileURLToPath(new URL("../..", import.meta.url));

describe("npm start (src/main.ts)", () => {
  // Spawning costs a second or two each: the quick failures run side by side.
  it.concurrent("exits 1 with one line naming the variable when the token is missing", async () => {
    const bot = run(MAIN, await tempDir("film-cwd-"), {});
    expect(await bot.exited).toBe(1);
    expect(bot.stderr).toEqual([
      expect.stringMatching(/^Invalid configuration: DISCORD_TOKEN is missing: /) as unknown as string,
    ]);
    expect(bot.stdout).toEqual([]);
  });

  it.concurrent("exits 1 with one line when the data folder is missing", async () => {
    const cwd = await tempDir("film-cwd-");
    const bot = run(MAIN, cwd, { DISCORD_TOKEN: "MTIz.abc.def", DATA_DIR: join(cwd, "nowhere") });
    expect(await bot.exited).toBe(1);
    expect(bot.stderr).toEqual([`cannot load the catalog: data folder not found: ${join(cwd, "nowhere")}`]);
  });

  it("runs against Discord, reloads on SIGHUP, and exits 0 on SIGTERM, never printing the token", async () => {
    const fake = await FakeDiscord.start({ heartbeatIntervalMs: 250 });
    const cwd = await tempDir("film-cwd-");
    const dataDir = await makeDataDir();
    try {
      await deployCommands({ token: fake.token, apiUrl: fake.restUrl, guildId: undefined, commands });
      // STORE_URL left at its default: sqlite://state/bot.sqlite, relative to the working directory.
      const bot = run(MAIN, cwd, { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.restUrl, DATA_DIR: dataDir });
      await until(() => bot.stdout.some((line) => line.includes('"msg":"ready"')), 20_000, "the bot to be ready");
      const reply = await fake.sendCommand({ name: "movie", options: { title: SEED_ID } }).waitForReply();
      expect(reply.embeds[0]?.title).toBe("Miss You Already (2015)");

      bot.signal("SIGHUP");
      await until(
        () => bot.stdout.some((line) => line.includes('"msg":"catalog reloaded"')),
        10_000,
        "the SIGHUP reload",
      );
      bot.signal("SIGTERM");
      expect(await bot.exited).toBe(0);

      const logged = bot.stdout.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(logged.map((entry) => entry["msg"])).toEqual(
        expect.arrayContaining([
          "starting",
          "catalog loaded",
          "ready",
          "shutting down",
          "stopping: no new interactions",
          "stopped",
        ]),
      );
      expect(bot.stderr).toEqual([]);
      expect(bot.stdout.join("\n")).not.toContain(fake.token);
      expect(fake.violations).toEqual([]);
      expect(fake.unknownRoutes).toEqual([]);

      const store = await openStore(`sqlite://${join(cwd, "state", "bot.sqlite")}`, { logger: silentLogger() });
      expect((await store.reloadAudit.recent(1))[0]).toMatchObject({ by: "signal:SIGHUP", outcome: "reloaded" });
      await store.close();
    } finally {
      await fake.close();
    }
  });
});

describe("npm start as a supervisor runs it", () => {
  it("logs the pid signals go to, writes PID_FILE, reloads on SIGHUP to it, and exits 0 on SIGTERM to npm", async () => {
    const fake = await FakeDiscord.start({ heartbeatIntervalMs: 250 });
    const state = await tempDir("film-state-");
    const pidFile = join(state, "bot.pid");
    const dataDir = await makeDataDir();
    try {
      await deployCommands({ token: fake.token, apiUrl: fake.restUrl, guildId: undefined, commands });
      const npm = spawn("npm", ["start", "--silent"], {
        cwd: REPO,
        env: {
          PATH: process.env["PATH"] ?? "",
          DISCORD_TOKEN: fake.token,
          DISCORD_API_URL: fake.restUrl,
          DATA_DIR: dataDir,
          STORE_URL: `sqlite://${join(state, "bot.sqlite")}`,
          PID_FILE: pidFile,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const stdout: string[] = [];
      npm.stdout.on("data", (chunk: Buffer) => stdout.push(...String(chunk).split("\n").filter(Boolean)));
      const exited = new Promise<number | null>((resolve) => npm.once("exit", (code) => resolve(code)));
      const logged = (): Record<string, unknown>[] =>
        stdout.flatMap((line) => (line.startsWith("{") ? [JSON.parse(line)] : []));
      await until(() => logged().some((line) => line["msg"] === "ready"), 30_000, "the bot to be ready");
      const started = logged().find((line) => line["msg"] === "process started: signals go to this pid");
      const pid = Number(started?.["pid"]);
      expect(Number((await readFile(pidFile, "utf8")).trim())).toBe(pid);
      // npm's only child is the bot itself (no shell or tsx process in between to swallow a signal).
      expect((await readFile(`/proc/${pid}/stat`, "utf8")).split(" ")[3]).toBe(String(npm.pid));

      process.kill(pid, "SIGHUP");
      await until(() => logged().some((line) => line["msg"] === "catalog reloaded"), 10_000, "the SIGHUP reload");
      npm.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(logged().map((line) => line["msg"])).toContain("stopped");
      await expect(readFile(pidFile, "utf8")).rejects.toThrow("ENOENT");
    } finally {
      await fake.close();
    }
  });

  it.concurrent("never prints the token, even pasted into another variable", async () => {
    const token = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDe.abcdefghijklmnopqrstuvwxyz0123456789AB";
    const bot = run(MAIN, await tempDir("film-cwd-"), { DISCORD_TOKEN: token, STORE_URL: token });
    expect(await bot.exited).toBe(1);
    expect(bot.stderr).toEqual([
      "Invalid configuration: STORE_URL must be sqlite://<path> or redis://<host>:<port>, got a value that looks like a secret (not shown)",
    ]);
    expect([...bot.stdout, ...bot.stderr].join("\n")).not.toContain(token.split(".")[2]);
  });
});

describe("npm run deploy (src/deploy.ts)", () => {
  it("reads .env and registers the commands to DISCORD_GUILD_ID", async () => {
    const fake = await FakeDiscord.start();
    const cwd = await tempDir("film-cwd-");
    await writeFile(
      join(cwd, ".env"),
      `DISCORD_TOKEN=${fake.token}\nDISCORD_API_URL=${fake.restUrl}\nDISCORD_GUILD_ID=${fake.guild.id}\n`,
    );
    try {
      const deploy = run(DEPLOY, cwd, {});
      expect(await deploy.exited).toBe(0);
      const names = commands.map((command) => `/${command.definition.name}`).join(", ");
      expect(deploy.stdout).toEqual([
        `Registered ${commands.length} commands to guild ${fake.guild.id} for application ${fake.applicationId}: ${names}`,
      ]);
      expect(fake.commands(fake.guild.id)).toHaveLength(commands.length);
      expect(fake.violations).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it.concurrent("exits 1 with one line on a bad value", async () => {
    const deploy = run(DEPLOY, await tempDir("film-cwd-"), {
      DISCORD_TOKEN: "MTIz.abc.def",
      DISCORD_GUILD_ID: "my-server",
    });
    expect(await deploy.exited).toBe(1);
    expect(deploy.stderr).toEqual([
      'Invalid configuration: DISCORD_GUILD_ID must be a guild id (17-20 digits), got "my-server"',
    ]);
  });
});
