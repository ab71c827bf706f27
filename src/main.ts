/**
 * `npm start`: the bot as a process, and the composition root: the one module (with deploy.ts) that puts the command
 * list together with the rest. Everything else is in startBot; this file reads `.env`, turns start-up failures into
 * one line and a non-zero exit, and maps signals:
 * - SIGTERM / SIGINT: stop taking interactions (ones arriving meanwhile get a private "restarting" answer rather
 *   than Discord's "the application did not respond"), let those under way finish, disconnect, close the store,
 *   exit 0. A second signal exits at once.
 * - SIGHUP: reload the catalog from DATA_DIR (audited as signal:SIGHUP).
 */
import { config as loadDotenv } from "dotenv";
import { buttons, commands } from "../commands/index.js";
import { startBot, StartupError, type RunningBot } from "./bot.js";
import { ConfigError, loadConfig } from "./config/config.js";

/** If stopping hangs (a stuck connection), exit anyway. */
const STOP_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const bot = await startBot({ config: loadConfig(process.env), commands, buttons });
  handleSignals(bot);
}

function handleSignals(bot: RunningBot): void {
  const { logger } = bot.context;
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
