import { describe, expect, it } from "vitest";
import { Cooldowns, relativeTimestamp } from "../../src/interactions/cooldowns.js";

function clockAt(start: string) {
  let now = new Date(start).getTime();
  return { clock: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe("Cooldowns", () => {
  it("lets a member use a command once per cooldown, and says until when", () => {
    const { clock, advance } = clockAt("2025-01-01T00:00:00Z");
    const cooldowns = new Cooldowns(clock);
    expect(cooldowns.take("top", "u1", 5)).toEqual({ allowed: true });
    advance(4_999);
    expect(cooldowns.take("top", "u1", 5)).toEqual({ allowed: false, retryAt: new Date("2025-01-01T00:00:05Z") });
    advance(1);
    expect(cooldowns.take("top", "u1", 5)).toEqual({ allowed: true });
  });

  it("keeps members and commands apart", () => {
    const cooldowns = new Cooldowns(() => new Date(0));
    expect(cooldowns.take("top", "u1", 5).allowed).toBe(true);
    expect(cooldowns.take("top", "u2", 5).allowed).toBe(true);
    expect(cooldowns.take("random", "u1", 5).allowed).toBe(true);
    expect(cooldowns.take("top", "u1", 5).allowed).toBe(false);
  });

  it("does not count a refused use as a new start", () => {
    const { clock, advance } = clockAt("2025-01-01T00:00:00Z");
    const cooldowns = new Cooldowns(clock);
    cooldowns.take("top", "u1", 10);
    advance(9_000);
    cooldowns.take("top", "u1", 10);
    advance(1_000);
    expect(cooldowns.take("top", "u1", 10).allowed).toBe(true);
  });

  it("forgets expired entries when many pile up", () => {
    const { clock, advance } = clockAt("2025-01-01T00:00:00Z");
    const cooldowns = new Cooldowns(clock);
    for (let index = 0; index < 10_000; index++) cooldowns.take("top", `u${index}`, 1);
    advance(2_000);
    cooldowns.take("top", "late", 1);
    expect(cooldowns.size).toBe(1);
  });

  it("has no cooldown for zero seconds", () => {
    const cooldowns = new Cooldowns(() => new Date(0));
    expect(cooldowns.take("top", "u1", 0).allowed).toBe(true);
    expect(cooldowns.take("top", "u1", 0).allowed).toBe(true);
  });
});

describe("relativeTimestamp", () => {
  it("is Discord's relative timestamp, rounded up to the second", () => {
    expect(relativeTimestamp(new Date("2025-01-01T00:00:05.200Z"))).toBe("<t:1735689606:R>");
  });
});
