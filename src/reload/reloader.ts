/**
 * Loading and reloading the catalog as the bot does it: the holder swaps the catalog, every attempt someone asked
 * for is audited in the store, and a successful reload publishes a new catalog generation so other processes sharing
 * the store follow (each checks the marker periodically and reloads when it changed). The first load at start, the
 * /reload command and SIGHUP all come through here.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { countProblems, tallyProblems } from "../catalog/load.js";
import type { CatalogHolder, ReloadOutcome } from "./holder.js";
import { StoreUnavailableError, type BotStore, type ReloadAuditEntry } from "../store/store.js";

export interface ReloadRequest {
  /** "user:<id> (<tag>)" or "signal:SIGHUP". */
  by: string;
  guildId: string | null;
  force: boolean;
  /** With force: accept a data folder with no film at all. */
  confirmEmpty?: boolean;
}

export interface CatalogReloaderParts {
  holder: CatalogHolder;
  store: BotStore;
  logger: Logger;
  clock: () => Date;
  /** Told of every load and reload, with the generation then served (metrics). */
  onOutcome?: (outcome: ReloadOutcome, generation: string | null) => void;
}

/** File problems logged one by one; the rest are counted (the moderator's report and `catalog check` list them all). */
const LOGGED_LOAD_ERRORS = 20;

export class CatalogReloader {
  /** The generation this process's catalog reflects; null until one was published. */
  private knownGeneration: string | null = null;
  private readonly holder: CatalogHolder;
  private readonly store: BotStore;
  private readonly logger: Logger;
  private readonly clock: () => Date;
  private readonly onOutcome: ((outcome: ReloadOutcome, generation: string | null) => void) | undefined;
  /** Reloads someone asked for that have not finished, with when they were asked. */
  private readonly running = new Map<symbol, { request: ReloadRequest; at: Date }>();
  private interrupted = false;

  constructor(parts: CatalogReloaderParts) {
    this.holder = parts.holder;
    this.store = parts.store;
    this.logger = parts.logger;
    this.clock = parts.clock;
    this.onOutcome = parts.onOutcome;
  }

  /** The generation this process's catalog reflects (null until one was published). */
  get generation(): string | null {
    return this.knownGeneration;
  }

  /**
   * The catalog at start, read through the same path as every reload (not audited: nobody asked for it). Throws a
   * one-line error when the data folder cannot be read at all.
   */
  async loadFirst(): Promise<ReloadOutcome> {
    const outcome = await this.holder.reload({ force: true });
    if (outcome.status === "failed") throw new Error(outcome.reason);
    if (outcome.status === "reloaded" && outcome.films === 0) {
      throw new Error(
        `no films in the data folder (${outcome.load.filesRead} data files read, ${outcome.load.errors.length} problems)`,
      );
    }
    this.logOutcome({ by: "start", guildId: null, force: true }, outcome, "catalog loaded");
    return outcome;
  }

  /** A reload someone asked for: reloads, audits, and on success tells the other processes. */
  async reload(request: ReloadRequest): Promise<ReloadOutcome> {
    const at = this.clock();
    const key = Symbol("reload");
    this.running.set(key, { request, at });
    let outcome: ReloadOutcome;
    try {
      outcome = await this.holder.reload({ force: request.force, confirmEmpty: request.confirmEmpty === true });
    } finally {
      this.running.delete(key);
    }
    // Stopping: this reload was already audited as interrupted, and the store may be closed.
    if (this.interrupted) return outcome;
    this.logOutcome(request, outcome);
    await this.audit(auditEntry(at, request, outcome));
    if (outcome.status === "reloaded") await this.publishGeneration(at);
    return outcome;
  }

  /**
   * At shutdown, for reloads that will not finish before the process exits: each is audited as interrupted (the
   * catalog was not changed), and nothing more is written for it if it ends while the process stops.
   */
  async interrupt(): Promise<void> {
    this.interrupted = true;
    const now = this.clock();
    const films = this.holder.current.size;
    const running = [...this.running.values()];
    this.running.clear();
    for (const { request } of running)
      this.logger.warn({ by: request.by, guildId: request.guildId }, "catalog reload interrupted by shutdown");
    await Promise.all(
      running.map(({ request, at }) =>
        this.audit({
          at: at.toISOString(),
          by: request.by,
          guildId: request.guildId,
          outcome: "interrupted",
          films,
          previousFilms: films,
          skippedFiles: 0,
          durationMs: Math.max(0, now.getTime() - at.getTime()),
          message: "the bot stopped before the reload finished; the catalog was not changed",
        }),
      ),
    );
  }

  /** An attempt turned down before reading anything (no permission, not an admin guild): audited all the same. */
  async recordRefusal(request: ReloadRequest, reason: string): Promise<void> {
    this.logger.info({ by: request.by, guildId: request.guildId, reason }, "catalog reload refused");
    try {
      await this.store.reloadAudit.recordRefusal({
        at: this.clock().toISOString(),
        by: request.by,
        guildId: request.guildId,
        message: reason,
      });
    } catch (error) {
      this.logger.error({ err: error }, "could not record a refused reload in the audit");
    }
  }

  /**
   * At start: the catalog just loaded is the current generation, so there is nothing to follow yet. With the store
   * down, the generation stays unknown: the first one read later is followed (one reload more, nothing lost).
   */
  async adoptCurrentGeneration(): Promise<void> {
    try {
      this.knownGeneration = await this.store.catalogGeneration.read();
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      this.logger.warn({ reason: error.reason }, "the store is unavailable: the catalog generation will be read later");
    }
  }

  /**
   * Reloads when another process published a new generation since this one last looked. Forced: the moderator who
   * reloaded already accepted the result, and every process reads the same data. Returns null when nothing changed.
   */
  async followGeneration(): Promise<ReloadOutcome | null> {
    const latest = await this.store.catalogGeneration.read();
    if (latest === null || latest === this.knownGeneration) return null;
    // Remembered before reloading: a reload that fails here is logged, not retried every period.
    this.knownGeneration = latest;
    // Whatever the moderator confirmed there (an empty catalog included) holds here too.
    const outcome = await this.holder.reload({ force: true, confirmEmpty: true });
    this.logOutcome({ by: `generation:${latest}`, guildId: null, force: true }, outcome);
    return outcome;
  }

  private async publishGeneration(at: Date): Promise<void> {
    const generation = `${at.toISOString()}/${randomUUID()}`;
    this.knownGeneration = generation;
    try {
      await this.store.catalogGeneration.write(generation);
    } catch (error) {
      this.logger.error(
        { err: error },
        "could not publish the catalog generation; other processes will not follow this reload",
      );
    }
  }

  /** An audit write that fails must not hide the reload's result from the moderator: it is logged instead. */
  private async audit(entry: ReloadAuditEntry): Promise<void> {
    try {
      await this.store.reloadAudit.record(entry);
    } catch (error) {
      this.logger.error({ err: error, entry }, "could not write the reload audit entry");
    }
  }

  private logOutcome(request: ReloadRequest, outcome: ReloadOutcome, reloaded = "catalog reloaded"): void {
    this.onOutcome?.(outcome, this.knownGeneration);
    const fields = { by: request.by, guildId: request.guildId, force: request.force, ...outcomeSummary(outcome) };
    if (outcome.status === "reloaded") this.logger.info(fields, reloaded);
    else this.logger.warn(fields, `catalog reload ${outcome.status}`);
    if (outcome.status === "failed") return;
    const { errors } = outcome.load;
    for (const error of errors.slice(0, LOGGED_LOAD_ERRORS)) {
      this.logger.warn({ file: error.file, problem: error.message }, "data file skipped");
    }
    if (errors.length > LOGGED_LOAD_ERRORS) {
      this.logger.warn({ more: errors.length - LOGGED_LOAD_ERRORS }, "more data files skipped");
    }
    const { warnings } = outcome.load;
    for (const warning of warnings.slice(0, LOGGED_LOAD_ERRORS)) {
      this.logger.info({ file: warning.file, problem: warning.message }, "data file warning (film kept)");
    }
  }
}

function outcomeSummary(outcome: ReloadOutcome): Record<string, unknown> {
  if (outcome.status === "failed")
    return {
      status: outcome.status,
      reason: outcome.reason,
      previousFilms: outcome.previousFilms,
      durationMs: outcome.durationMs,
    };
  return {
    status: outcome.status,
    films: outcome.films,
    previousFilms: outcome.previousFilms,
    skippedFiles: countProblems(outcome.load.errors).files,
    merges: outcome.load.merges.length,
    durationMs: outcome.durationMs,
    ...(outcome.status === "refused" ? { reason: outcome.reason } : {}),
    ...(outcome.status === "reloaded" && outcome.unchanged === true ? { unchanged: true } : {}),
  };
}

function auditEntry(at: Date, request: ReloadRequest, outcome: ReloadOutcome): ReloadAuditEntry {
  const common = {
    at: at.toISOString(),
    by: request.by,
    guildId: request.guildId,
    outcome: outcome.status,
    durationMs: Math.round(outcome.durationMs),
  };
  if (outcome.status === "failed") {
    return {
      ...common,
      films: outcome.previousFilms,
      previousFilms: outcome.previousFilms,
      skippedFiles: 0,
      message: outcome.reason,
    };
  }
  const skippedFiles = countProblems(outcome.load.errors).files;
  const message =
    outcome.status === "refused"
      ? outcome.reason
      : `${outcome.films} films (was ${outcome.previousFilms}), ${tallyProblems(outcome.load.errors, "problem")} skipped, ` +
        `${outcome.load.merges.length} merges${request.force ? ", forced" : ""}`;
  return { ...common, films: outcome.films, previousFilms: outcome.previousFilms, skippedFiles, message };
}
