/**
 * A dropped gateway connection: the bot comes back (RESUME, or a fresh IDENTIFY when the session is gone) and keeps
 * answering, including an interaction sent while it was away.
 */
import { Events } from "discord.js";
import { describe, expect, it } from "vitest";
import { SEED_ID, useHarness } from "./harness.js";

const harness = useHarness();

function nextClientEvent(event: Events.ShardResume | Events.ShardReady): Promise<void> {
  return new Promise((resolve) => harness().bot.client!.once(event, () => resolve()));
}

async function movieTitle(): Promise<string | undefined> {
  return (
    await harness()
      .fake.sendCommand({ name: "movie", options: { title: SEED_ID } })
      .waitForReply()
  ).embeds[0]?.title;
}

describe("after a dropped connection", () => {
  it("resumes and answers, even an interaction sent while it was away", async () => {
    const resumed = nextClientEvent(Events.ShardResume);
    expect(harness().fake.dropConnections()).toBe(1);
    // Dispatched while the socket is down: the fake replays it on RESUME, within the 3 s window.
    const during = harness().fake.sendCommand({ name: "movie", options: { title: SEED_ID } });
    expect(await harness().fake.waitForReconnect()).toBe("resumed");
    await resumed;
    expect((await during.waitForReply()).embeds[0]?.title).toBe("Miss You Already (2015)");
    expect(await movieTitle()).toBe("Miss You Already (2015)");
  });

  it("identifies again when the session cannot be resumed, and answers", async () => {
    const ready = nextClientEvent(Events.ShardReady);
    harness().fake.invalidateSession(false);
    expect(await harness().fake.waitForReconnect()).toBe("identified");
    await ready;
    expect(await movieTitle()).toBe("Miss You Already (2015)");
  });

  it("logged the disconnection", () => {
    expect(
      harness()
        .logs.entries()
        .some((entry) => entry["msg"] === "gateway resumed"),
    ).toBe(true);
  });
});
