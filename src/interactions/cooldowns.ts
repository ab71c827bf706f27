/**
 * Per-member cooldowns for heavy commands, in memory (per process: a cooldown is a courtesy against bursts, not a
 * security boundary). The clock is injected so tests need not wait.
 */
export type CooldownCheck = { allowed: true } | { allowed: false; retryAt: Date };

/** Past this many entries, expired ones are swept on the next use. */
const SWEEP_THRESHOLD = 10_000;

export class Cooldowns {
  /** key → epoch ms when the member may use the command again. */
  private readonly until = new Map<string, number>();

  constructor(private readonly clock: () => Date) {}

  /** Allows the use and starts the cooldown, or tells when the member may try again. */
  take(commandName: string, userId: string, seconds: number): CooldownCheck {
    if (seconds <= 0) return { allowed: true };
    const now = this.clock().getTime();
    const key = `${commandName}\u0000${userId}`;
    const retryAt = this.until.get(key);
    if (retryAt !== undefined && retryAt > now) return { allowed: false, retryAt: new Date(retryAt) };
    if (this.until.size >= SWEEP_THRESHOLD) this.sweep(now);
    this.until.set(key, now + seconds * 1000);
    return { allowed: true };
  }

  get size(): number {
    return this.until.size;
  }

  private sweep(now: number): void {
    for (const [key, retryAt] of this.until) if (retryAt <= now) this.until.delete(key);
  }
}

/** Discord's relative timestamp markdown: "in 12 seconds", updating live in the client. */
export function relativeTimestamp(at: Date): string {
  return `<t:${Math.ceil(at.getTime() / 1000)}:R>`;
}
