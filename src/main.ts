/**
 * `npm start`: the bot as a process, and the composition root: the one module (with deploy.ts) that puts the command
 * list together with the rest. Everything else is in startBot; this file reads `.env`, keeps secrets out of every
 * line the process writes, turns start-up failures into one line and a non-zero exit, and maps signals:
 * - SIGTERM / SIGINT: stop taking interactions, let those under way finish, disconnect (or close the HTTP server),
 *   close the store, exit 0. A second signal exits at once.
 * - SIGHUP: reload the catalog from DATA_DIR (audited as signal:SIGHUP).
 *
 * `npm start` runs this file with `exec node`, so npm's only child is the bot itself; npm passes SIGTERM and SIGINT
 * on but not SIGHUP, so a supervisor sends signals to the bot's pid, which the first log line gives (and PID_FILE
 * holds, when set).
 */
import { writeFileSync, rmSync } from "node:fs";
import { config as loadDotenv } from "dotenv";
import { commands, components } from "../commands/index.js";
import { startBot, StartupError, type RunningBot } from "./bot.js";
import { ConfigError, loadConfig } from "./config/config.js";
import { firstLine } from "./errors.js";
import { createLogger, scrubProcessOutput, type Logger } from "./logging/logger.js";
import { configureCollector } from "./reload/collector.js";

/** If stopping hangs (a stuck connection), exit anyway. */
const STOP_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  // Before anything can print: the token, even in the wrong variable or in a library's message, never reaches a
  // terminal or a log file.
  const token = process.env["DISCORD_TOKEN"]?.trim();
  scrubProcessOutput(token === undefined ? [] : [token]);
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.logLevel, secrets: [config.discordToken] });
  guardProcess(logger);
  const missing = configureCollector();
  if (missing.length > 0)
    logger.warn(
      { missing },
      "started without the settings npm start gives: reloads will take more memory and pause longer",
    );
  logger.info({ pid: process.pid, pidFile: config.pidFile ?? null }, "process started: signals go to this pid");
  if (config.pidFile !== undefined) writePidFile(config.pidFile, logger);
  const bot = await startBot({
    config,
    logger,
    commands,
    components,
    onFatal: (message) => {
      logger.fatal({ problem: message }, "cannot go on");
      console.error(message);
      process.exit(1);
    },
  });
  handleSignals(bot, logger);
}

/**
 * Nothing a payload, a library or a dependency does may end the process: what escapes every other boundary is
 * logged, and the bot carries on answering.
 */
function guardProcess(logger: Logger): void {
  process.on("unhandledRejection", (reason: unknown) => {
    logger.error({ err: reason }, "unhandled promise rejection; carrying on");
  });
  process.on("uncaughtException", (error: Error) => {
    logger.error({ err: error }, "uncaught exception; carrying on");
  });
}

function writePidFile(path: string, logger: Logger): void {
  try {
    writeFileSync(path, `${process.pid}\n`);
    process.once("exit", () => rmSync(path, { force: true }));
  } catch (error) {
    logger.warn({ pidFile: path, problem: firstLine(error) }, "could not write the PID file");
  }
}

function handleSignals(bot: RunningBot, logger: Logger): void {
  let stopping = false;
  const shutDown = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "shutting down");
    setTimeout(() => {
      logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", shutDown);
  process.on("SIGINT", shutDown);
  process.on("SIGHUP", () => {
    logger.info("SIGHUP: reloading the catalog");
    bot.reloadFromSignal("SIGHUP").catch((error: unknown) => logger.error({ err: error }, "SIGHUP reload failed"));
  });
}

main().catch((error: unknown) => {
  // Expected failures are one line for a person; anything else keeps its stack for a developer.
  if (error instanceof ConfigError || error instanceof StartupError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
