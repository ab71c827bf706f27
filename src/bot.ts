/**
 * The bot as one function, so that `main.ts` is a thin shell and tests run the real thing in-process against the
 * fake Discord: config → logger → store and catalog → router → the transport (the gateway login, or the HTTP
 * endpoint Discord POSTs interactions to), each failure a `StartupError` with one line for a person. The command list
 * comes from the caller (the composition root), so nothing here knows a command. A catalog that takes long to load
 * finishes with the bot already online, holding what members send rather than leaving them with "The application
 * did not respond".
 */
import { REST } from "@discordjs/rest";
import type { Client, ClientOptions } from "discord.js";
import { Catalog } from "./catalog/catalog.js";
import type { LoadResult } from "./catalog/load.js";
import { describeConfig, type Config } from "./config/config.js";
import { connectRouter, createClient, logIn } from "./discord/gateway.js";
import { restResponder } from "./discord/rest-responder.js";
import { firstLine } from "./errors.js";
import { startHttpServer, type Readiness, type RunningHttpServer } from "./http/server.js";
import { discordPublicKey } from "./http/signature.js";
import type { ComponentHandler, Command } from "./interactions/command.js";
import { createBotContext, type BotContext } from "./interactions/context.js";
import { withDeadline } from "./interactions/deadline.js";
import { InteractionRouter, type CooldownStore } from "./interactions/router.js";
import { createLogger, type Logger } from "./logging/logger.js";
import { BotMetrics } from "./metrics.js";
import { createCatalogHolder, type ReloadOutcome } from "./reload/holder.js";
import { openStore } from "./store/open-store.js";
import { StoreUnavailableError, type BotStore } from "./store/store.js";

/** A start-up failure, as one line: "cannot load the catalog: data folder not found: data". */
export class StartupError extends Error {
  override readonly name = "StartupError";
}

export interface StartBotOptions {
  config: Config;
  /** What the bot answers: every command and component handler (commands/index.ts). */
  commands: readonly Command[];
  components: readonly ComponentHandler[];
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
  /**
   * Told when the bot cannot go on after it started (Discord refused the session for good: a revoked token, intents
   * not allowed); main.ts prints the one line and exits non-zero. Default: logged only.
   */
  onFatal?: (message: string) => void;
  /** How long a catalog load may keep the bot offline before it goes online anyway (see LOAD_BEFORE_ONLINE_MS). */
  loadBeforeOnlineMs?: number;
}

export interface RunningBot {
  /** The gateway connection; null in "http" interactions mode, which opens none. */
  readonly client: Client | null;
  /** The HTTP server (interactions in "http" mode; health and metrics); null when none was configured. */
  readonly http: RunningHttpServer | null;
  readonly context: BotContext;
  readonly router: InteractionRouter;
  readonly metrics: BotMetrics;
  /** What GET /readyz answers. */
  readiness(): Promise<Readiness>;
  /** What SIGHUP does: reload the catalog, audited as `signal:<name>`. */
  reloadFromSignal(signal: string): Promise<ReloadOutcome>;
  /** What the periodic check does: follow a reload another process made. Tests call it instead of waiting. */
  followOtherProcesses(): Promise<ReloadOutcome | null>;
  /** Stops taking interactions, lets those under way finish, then destroys the client and closes the store. */
  stop(): Promise<void>;
}

/** Interactions under way get this long to finish when the bot stops. */
const DRAIN_MS = 5000;
/** How long a failed start waits for the gateway client to close. */
const DESTROY_WAIT_MS = 2000;
/** How long /readyz waits for the store to answer before calling it unreachable. */
const STORE_CHECK_MS = 1000;
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

  const clock = options.clock ?? (() => new Date());
  const store = await openStore(config.storeUrl, {
    logger,
    clock,
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
  const metrics = new BotMetrics();
  const context = createBotContext(
    {
      catalog: holder,
      store,
      logger,
      config,
      clock,
      random: options.random ?? Math.random,
    },
    (outcome) => metrics.reload(outcome.status),
  );
  metrics.watchCatalog(() => ({ films: holder.current.size, generation: context.reloader.generation }));
  // Before any interaction is taken, so that the first answers already follow each server's settings. With the store
  // down the defaults apply, and the settings are read once it answers (pub/sub catch-up, or the poll).
  await context.settings.load();
  const router = new InteractionRouter({
    commands: options.commands,
    components: options.components,
    context,
    starting: true,
    observer: (report) => metrics.interaction(report),
    cooldowns: sharedCooldowns(store),
    ...(options.deferAfterMs === undefined ? {} : { deferAfterMs: options.deferAfterMs }),
  });
  const state = { loaded: false, stopping: false };
  const readiness = (): Promise<Readiness> => readinessOf(state, store);
  const client = config.interactions === "gateway" ? createClient(config, options.clientOptions) : null;
  let http: RunningHttpServer | null = null;
  // Interactions are served from the moment the catalog is in, whether or not the transport is up yet.
  const serving = (async () => {
    try {
      await context.reloader.loadFirst();
    } catch (error) {
      throw new StartupError(`cannot load the catalog: ${firstLine(error)}`, { cause: error });
    }
    await context.reloader.adoptCurrentGeneration();
    router.open();
    state.loaded = true;
  })();
  serving.catch(() => undefined);
  try {
    if (config.http !== undefined) {
      const rest = client?.rest ?? new REST(config.discordApiUrl === undefined ? {} : { api: config.discordApiUrl });
      http = await startHttpServer({
        host: config.http.host,
        port: config.http.port,
        logger,
        metrics,
        readiness,
        ...(config.interactions === "http" && config.discordPublicKey !== undefined
          ? {
              interactions: {
                router,
                publicKey: discordPublicKey(config.discordPublicKey),
                later: restResponder(rest),
              },
            }
          : {}),
      }).catch((error: unknown) => {
        throw new StartupError(`cannot listen on ${config.http?.host}:${config.http?.port}: ${firstLine(error)}`, {
          cause: error,
        });
      });
    }
    if (client !== null) {
      connectRouter(client, router, logger, options.onFatal ?? ((message) => logger.fatal(message)));
      await withDeadline(serving, options.loadBeforeOnlineMs ?? LOAD_BEFORE_ONLINE_MS, undefined);
      // Whichever fails first ends the start (a missing data folder does not wait for Discord).
      await Promise.all([
        serving,
        logIn(client, config.discordToken, options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS).catch(
          (error: unknown) => {
            throw new StartupError(`cannot connect to Discord: ${firstLine(error)}`, { cause: error });
          },
        ),
      ]);
    } else {
      await serving;
    }
  } catch (error) {
    // discord.js can hang destroying a client still waiting for READY: the start fails all the same.
    if (client !== null)
      await withDeadline(
        client.destroy().catch(() => undefined),
        DESTROY_WAIT_MS,
        undefined,
      );
    await http?.close(0).catch(() => undefined);
    await store.close().catch(() => undefined);
    throw error instanceof StartupError ? error : new StartupError(firstLine(error), { cause: error });
  }
  if (client !== null) logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, "ready");
  else logger.info({ interactions: "http", ...http?.address }, "ready");
  return runningBot({ client, http, context, router, store, metrics, readiness, state });
}

/** Ready when the catalog is in, the bot is not stopping, and the store answers. */
async function readinessOf(state: { loaded: boolean; stopping: boolean }, store: BotStore): Promise<Readiness> {
  if (state.stopping) return { ready: false, detail: "stopping" };
  if (!state.loaded) return { ready: false, detail: "loading the catalog" };
  const health = await withDeadline(store.health(), STORE_CHECK_MS, {
    ok: false,
    detail: "the store does not answer",
  });
  return health.ok ? { ready: true, detail: "ready" } : { ready: false, detail: health.detail };
}

/**
 * Cooldowns kept in the store, so that they hold across replicas. They are a courtesy: with the store down, the
 * command goes through rather than failing.
 */
function sharedCooldowns(store: BotStore): CooldownStore {
  return {
    take: (command, userId, seconds) =>
      store.cooldowns
        .take(command, userId, seconds)
        .catch((error: unknown) =>
          error instanceof StoreUnavailableError ? { allowed: true } : Promise.reject(error),
        ),
  };
}

interface BotParts {
  client: Client | null;
  http: RunningHttpServer | null;
  context: BotContext;
  router: InteractionRouter;
  store: BotStore;
  metrics: BotMetrics;
  readiness: () => Promise<Readiness>;
  state: { loaded: boolean; stopping: boolean };
}

function runningBot(parts: BotParts): RunningBot {
  const { client, http, context, router, store, metrics, readiness, state } = parts;
  const { logger, config } = context;
  let following: Promise<ReloadOutcome | null> | undefined;
  const followOtherProcesses = (): Promise<ReloadOutcome | null> => {
    // One check at a time: a slow reload must not pile up checks behind it.
    following ??= context.reloader.followGeneration().finally(() => {
      following = undefined;
    });
    return following;
  };
  const follow = (): void => {
    followOtherProcesses().catch((error: unknown) => {
      // The store logs each outage once; a poll meeting it says nothing more.
      if (!(error instanceof StoreUnavailableError))
        logger.warn({ err: error }, "could not check the catalog generation");
    });
  };
  const followSettings = (): void => {
    context.settings.follow().catch((error: unknown) => {
      if (!(error instanceof StoreUnavailableError)) logger.warn({ err: error }, "could not check server settings");
    });
  };
  // Redis tells every replica of a reload, or of a server's new settings, at once; the poll is the safety net for a
  // message lost while disconnected (and, on SQLite, the only way to see another process's changes).
  const subscribed = store.catalogGeneration.subscribe(follow);
  const settingsSubscribed = context.settings.subscribe();
  const timer =
    config.catalogSyncSeconds > 0
      ? setInterval(() => {
          follow();
          followSettings();
        }, config.catalogSyncSeconds * 1000)
      : undefined;
  timer?.unref();

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      state.stopping = true;
      clearInterval(timer);
      if (client === null) {
        // Behind a load balancer: new connections go to other replicas; requests already here are answered.
        logger.info("stopping: no new connections");
        await http?.close(DRAIN_MS);
        await router.drain(DRAIN_MS);
        router.stopAccepting();
      } else {
        logger.info("stopping: no new interactions");
        router.stopAccepting();
        await router.drain(DRAIN_MS);
        await client.destroy();
        // "Restarting" answers sent while draining may still be on their way.
        await router.drain(DRAIN_MS);
        await http?.close(DRAIN_MS);
      }
      const unsubscribe = await subscribed;
      await unsubscribe();
      await (
        await settingsSubscribed
      )();
      await withDeadline(following?.catch(() => null) ?? Promise.resolve(null), DRAIN_MS, null);
      // A reload still running now will not finish before the process exits (a big one takes tens of seconds).
      await context.reloader.interrupt();
      await store.close();
      logger.info("stopped");
    })();
    return stopping;
  };

  return {
    client,
    http,
    context,
    router,
    metrics,
    readiness,
    reloadFromSignal: (signal) => context.reloader.reload({ by: `signal:${signal}`, guildId: null, force: false }),
    followOtherProcesses,
    stop,
  };
}
