/**
 * The bot as one function, so that `main.ts` is a thin shell and tests run the real thing in-process against the
 * fake Discord: config → logger → store and catalog → router → gateway login, each failure a `StartupError` with one
 * line for a person. The command list comes from the caller (the composition root), so nothing here knows a
 * command. A catalog that takes long to load finishes with the bot already online, holding what members send
 * rather than leaving them with "The application did not respond".
 */
import type { Client, ClientOptions } from "discord.js";
import { Catalog } from "./catalog/catalog.js";
import type { LoadResult } from "./catalog/load.js";
import { describeConfig, type Config } from "./config/config.js";
import { connectRouter, createClient, logIn } from "./discord/gateway.js";
import { firstLine } from "./errors.js";
import type { ButtonHandler, Command } from "./interactions/command.js";
import { createBotContext, type BotContext } from "./interactions/context.js";
import { withDeadline } from "./interactions/deadline.js";
import { InteractionRouter } from "./interactions/router.js";
import { createLogger, type Logger } from "./logging/logger.js";
import { createCatalogHolder, type ReloadOutcome } from "./reload/holder.js";
import { openStore } from "./store/keyv-store.js";
import type { BotStore } from "./store/store.js";

/** A start-up failure, as one line: "cannot load the catalog: data folder not found: data". */
export class StartupError extends Error {
  override readonly name = "StartupError";
}

export interface StartBotOptions {
  config: Config;
  /** What the bot answers: every command and button handler (commands/index.ts). */
  commands: readonly Command[];
  buttons: readonly ButtonHandler[];
  /** Default: a logger at the configured level that scrubs the token. */
  logger?: Logger;
  clock?: () => Date;
  random?: () => number;
  /** Extra discord.js options (tests: an identify throttler that does not wait). */
  clientOptions?: Partial<ClientOptions>;
  /** Store key prefix, so tests (or bots) can share one Redis. */
  storeNamespace?: string;
  /** How long start waits for the gateway's READY. */
  readyTimeoutMs?: number;
  /** How the data folder is read; loadDataDir unless a test holds it back. */
  loadData?: (dataDir: string) => Promise<LoadResult>;
  /** How long after an interaction was created a reply that is not ready is deferred (the router's default). */
  deferAfterMs?: number;
  /** How long a catalog load may keep the bot offline before it goes online anyway (see LOAD_BEFORE_ONLINE_MS). */
  loadBeforeOnlineMs?: number;
}

export interface RunningBot {
  readonly client: Client;
  readonly context: BotContext;
  readonly router: InteractionRouter;
  /** What SIGHUP does: reload the catalog, audited as `signal:<name>`. */
  reloadFromSignal(signal: string): Promise<ReloadOutcome>;
  /** What the periodic check does: follow a reload another process made. Tests call it instead of waiting. */
  followOtherProcesses(): Promise<ReloadOutcome | null>;
  /** Stops taking interactions, lets those under way finish, then destroys the client and closes the store. */
  stop(): Promise<void>;
}

/** Interactions under way get this long to finish when the bot stops. */
const DRAIN_MS = 5000;
const DEFAULT_READY_TIMEOUT_MS = 30_000;
/**
 * A catalog that loads within this long is in place before the bot connects, so that being online means serving.
 * A longer load goes on with the bot online, holding what members send until the catalog is in.
 */
const LOAD_BEFORE_ONLINE_MS = 5000;

export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.logLevel, secrets: [config.discordToken] });
  logger.info({ config: describeConfig(config) }, "starting");

  const store = await openStore(config.storeUrl, {
    logger,
    ...(options.storeNamespace === undefined ? {} : { namespace: options.storeNamespace }),
  }).catch((error: unknown) => {
    throw new StartupError(firstLine(error), { cause: error });
  });
  const holder = createCatalogHolder({
    dataDir: config.dataDir,
    initial: Catalog.build([]),
    logger,
    ...(options.loadData === undefined ? {} : { load: options.loadData }),
  });
  const context = createBotContext({
    catalog: holder,
    store,
    logger,
    config,
    clock: options.clock ?? (() => new Date()),
    random: options.random ?? Math.random,
  });
  const router = new InteractionRouter({
    commands: options.commands,
    buttons: options.buttons,
    context,
    starting: true,
    ...(options.deferAfterMs === undefined ? {} : { deferAfterMs: options.deferAfterMs }),
  });
  const client = createClient(config, options.clientOptions);
  // Interactions are served from the moment the catalog is in, whether or not the login has finished.
  const serving = (async () => {
    try {
      await context.reloader.loadFirst();
    } catch (error) {
      throw new StartupError(`cannot load the catalog: ${firstLine(error)}`, { cause: error });
    }
    await context.reloader.adoptCurrentGeneration();
    router.open();
  })();
  serving.catch(() => undefined);
  try {
    connectRouter(client, router, logger);
    await withDeadline(serving, options.loadBeforeOnlineMs ?? LOAD_BEFORE_ONLINE_MS, undefined);
    // Whichever fails first ends the start (a missing data folder does not wait for Discord).
    await Promise.all([
      serving,
      logIn(client, config.discordToken, options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS).catch((error: unknown) => {
        throw new StartupError(`cannot connect to Discord: ${firstLine(error)}`, { cause: error });
      }),
    ]);
  } catch (error) {
    await client.destroy().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw error instanceof StartupError ? error : new StartupError(firstLine(error), { cause: error });
  }
  logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, "ready");
  return runningBot(client, context, router, store);
}

function runningBot(client: Client, context: BotContext, router: InteractionRouter, store: BotStore): RunningBot {
  const { logger, config } = context;
  let following: Promise<ReloadOutcome | null> | undefined;
  const followOtherProcesses = (): Promise<ReloadOutcome | null> => {
    // One check at a time: a slow reload must not pile up checks behind it.
    following ??= context.reloader.followGeneration().finally(() => {
      following = undefined;
    });
    return following;
  };
  const timer =
    config.catalogSyncSeconds > 0
      ? setInterval(() => {
          followOtherProcesses().catch((error: unknown) =>
            logger.warn({ err: error }, "could not check the catalog generation"),
          );
        }, config.catalogSyncSeconds * 1000)
      : undefined;
  timer?.unref();

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      logger.info("stopping: no new interactions");
      router.stopAccepting();
      clearInterval(timer);
      await router.drain(DRAIN_MS);
      await client.destroy();
      // "Restarting" answers sent while draining may still be on their way.
      await router.drain(DRAIN_MS);
      await following?.catch(() => undefined);
      await store.close();
      logger.info("stopped");
    })();
    return stopping;
  };

  return {
    client,
    context,
    router,
    reloadFromSignal: (signal) => context.reloader.reload({ by: `signal:${signal}`, guildId: null, force: false }),
    followOtherProcesses,
    stop,
  };
}
