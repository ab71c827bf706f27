/**
 * The bot as one function, so `main.ts` is a thin shell and tests run the real thing in-process against the fake
 * Discord: config → logger → store and catalog → client login, each failure a `StartupError` with one line for a
 * person. A catalog that takes long to load (100,000 pages: seconds) finishes with the bot already online, answering
 * "starting up" privately rather than leaving members with "The application did not respond". This is the composition root: the only module of src/ (with deploy-cli) that imports the command
 * list.
 */
import { Events, type Client, type ClientOptions } from "discord.js";
import { buttons as defaultButtons, commands as defaultCommands } from "../../commands/index.js";
import { Catalog } from "../catalog/catalog.js";
import { createCatalogHolder, type ReloadOutcome } from "../catalog/holder.js";
import { loadDataDir, type LoadResult } from "../catalog/load.js";
import { describeConfig, type Config } from "../config/config.js";
import { firstLine } from "../errors.js";
import { createLogger, type Logger } from "../logging/logger.js";
import { openStore } from "../store/keyv-store.js";
import type { BotStore } from "../store/store.js";
import { createClient } from "./client.js";
import type { ButtonHandler, Command } from "./command.js";
import { createBotContext, type BotContext } from "./context.js";
import { withDeadline } from "./reply.js";
import { InteractionRouter } from "./router.js";

/** A start-up failure, as one line: "cannot load the catalog: data folder not found: data". */
export class StartupError extends Error {
  override readonly name = "StartupError";
}

export interface StartBotOptions {
  config: Config;
  /** Default: a logger at the configured level that scrubs the token. */
  logger?: Logger;
  clock?: () => Date;
  random?: () => number;
  /** Extra discord.js options (tests: an identify throttler that does not wait). */
  clientOptions?: Partial<ClientOptions>;
  commands?: readonly Command[];
  buttons?: readonly ButtonHandler[];
  /** Store key prefix, so tests (or bots) can share one Redis. */
  storeNamespace?: string;
  /** How long start waits for the gateway's READY. */
  readyTimeoutMs?: number;
  /** How the data folder is read at start; loadDataDir unless a test holds it back. */
  loadData?: (dataDir: string) => Promise<LoadResult>;
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
 * A catalog that loads within this long is in place before the bot connects, so that being online means serving
 * (the shipped catalog takes ~0.4 s). A longer load (100,000 pages: ~12 s) goes on with the bot online, answering
 * "starting up" privately rather than leaving members with "The application did not respond".
 */
const LOAD_BEFORE_ONLINE_MS = 5000;
/** File problems logged one by one at start; the rest are counted. */
const LOGGED_LOAD_ERRORS = 20;

export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.logLevel, secrets: [config.discordToken] });
  logger.info({ config: describeConfig(config) }, "starting");

  const loading = loadCatalog(config.dataDir, logger, options.loadData ?? ((dir) => loadDataDir(dir)));
  // Awaited below, after the store and with the login; until then a failure must not count as unhandled.
  loading.catch(() => undefined);
  const store = await openStore(config.storeUrl, {
    logger,
    ...(options.storeNamespace === undefined ? {} : { namespace: options.storeNamespace }),
  }).catch((error: unknown) => {
    throw new StartupError(firstLine(error), { cause: error });
  });
  const holder = createCatalogHolder({ dataDir: config.dataDir, initial: Catalog.build([]), logger });
  const context = createBotContext({
    catalog: holder,
    store,
    logger,
    config,
    clock: options.clock ?? (() => new Date()),
    random: options.random ?? Math.random,
  });
  const router = new InteractionRouter({
    commands: options.commands ?? defaultCommands,
    buttons: options.buttons ?? defaultButtons,
    context,
    starting: true,
  });
  const client = createClient(config, options.clientOptions);
  // Interactions are served from the moment the catalog is in, whether or not the login has finished.
  const serving = loading.then(async (catalog) => {
    holder.replace(catalog);
    await context.reloader.adoptCurrentGeneration();
    router.open();
  });
  serving.catch(() => undefined);
  try {
    watchClient(client, router, logger);
    await withDeadline(serving, options.loadBeforeOnlineMs ?? LOAD_BEFORE_ONLINE_MS, undefined);
    // Whichever fails first ends the start (a missing data folder does not wait for Discord).
    await Promise.all([
      serving,
      logIn(client, config.discordToken, options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS),
    ]);
  } catch (error) {
    await client.destroy().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw error instanceof StartupError
      ? error
      : new StartupError(`cannot connect to Discord: ${firstLine(error)}`, { cause: error });
  }
  logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, "ready");
  return runningBot(client, context, router, store);
}

async function loadCatalog(
  dataDir: string,
  logger: Logger,
  loadData: (dataDir: string) => Promise<LoadResult>,
): Promise<Catalog> {
  let load: LoadResult;
  try {
    load = await loadData(dataDir);
  } catch (error) {
    throw new StartupError(`cannot load the catalog: ${firstLine(error)}`, { cause: error });
  }
  logger.info(
    {
      films: load.films.length,
      filesRead: load.filesRead,
      skipped: load.errors.length,
      merges: load.merges.length,
      ms: Math.round(load.durationMs),
    },
    "catalog loaded",
  );
  for (const error of load.errors.slice(0, LOGGED_LOAD_ERRORS))
    logger.warn({ file: error.file, problem: error.message }, "data file skipped");
  if (load.errors.length > LOGGED_LOAD_ERRORS)
    logger.warn({ more: load.errors.length - LOGGED_LOAD_ERRORS }, "more data files skipped");
  // In slices: the gateway's heartbeats and the "starting up" answers go on while a big catalog is indexed.
  return Catalog.buildWithPauses(load.films);
}

function watchClient(client: Client, router: InteractionRouter, logger: Logger): void {
  client.on(Events.InteractionCreate, (interaction) => void router.handle(interaction));
  client.on(Events.Error, (error) => logger.error({ err: error }, "discord client error"));
  client.on(Events.Warn, (message) => logger.warn({ message }, "discord client warning"));
  client.on(Events.ShardDisconnect, (event, shardId) =>
    logger.warn({ shardId, code: event.code }, "gateway disconnected"),
  );
  client.on(Events.ShardReconnecting, (shardId) => logger.info({ shardId }, "gateway reconnecting"));
  client.on(Events.ShardResume, (shardId, replayed) => logger.info({ shardId, replayed }, "gateway resumed"));
  client.on(Events.ShardError, (error, shardId) => logger.error({ err: error, shardId }, "gateway error"));
}

/** Logs in and waits for READY (login alone resolves before the client can answer anything). */
async function logIn(client: Client, token: string, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    client.once(Events.ClientReady, () => resolve());
    timer = setTimeout(
      () => reject(new StartupError(`Discord did not send READY within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
  });
  ready.catch(() => undefined);
  try {
    await client.login(token);
    await ready;
  } finally {
    clearTimeout(timer);
  }
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
