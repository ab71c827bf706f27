/**
 * Payloads no real Discord sends, but that a bug, a proxy or an attacker could: each is refused or answered at the
 * edge, none reaches a handler half-read, and the bot goes on answering — over the gateway (where discord.js used to
 * throw on them and end the process) and over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs } from "../commands/fixtures.js";
import { interactionsUrl, SEED_ID, startHarness, TRANSPORTS, type Harness } from "./harness.js";

type Payload = Record<string, unknown> | null;

function without(payload: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...payload };
  delete copy[key];
  return copy;
}

/** Variants of a command and a button payload, each broken in one way. */
function malformed(harness: Harness): [string, Payload][] {
  const command = harness.fake.buildCommandInteraction({
    name: "movie",
    options: { title: SEED_ID },
  }) as unknown as Record<string, unknown>;
  const button = harness.fake.buildComponentInteraction({
    customId: `film:v1:cast:0:${SEED_ID}`,
  }) as unknown as Record<string, unknown>;
  const member = command["member"] as Record<string, unknown>;

  return [
    ["a null payload", null],
    ["member.permissions not a string", { ...command, member: { ...member, permissions: 12 } }],
    ["member.permissions not a number", { ...command, member: { ...member, permissions: "lots" } }],
    ["no member and no user", without(command, "member")],
    ["a member without a user", { ...command, member: { permissions: "0" } }],
    ["no data", without(command, "data")],
    ["data.options not an array", { ...command, data: { ...(command["data"] as object), options: "title" } }],
    ["options nested absurdly", { ...command, data: { ...(command["data"] as object), options: [{ name: 1 }] } }],
    [
      "an option value that is an object",
      { ...command, data: { ...(command["data"] as object), options: [{ name: "title", type: 3, value: { a: 1 } }] } },
    ],
    ["a button without a message", without(button, "message")],
    ["a button without a custom_id", { ...button, data: { component_type: 2 } }],
    ["a button with a numeric custom_id", { ...button, data: { component_type: 2, custom_id: 5 } }],
    ["a string instead of data", { ...command, data: "movie" }],
    ["no token", without(command, "token")],
    ["an id that is not a snowflake", { ...command, id: "../../etc" }],
    ["an unknown interaction type", { ...command, type: 42 }],
    ["a huge command name", { ...command, data: { ...(command["data"] as object), name: "m".repeat(10_000) } }],
  ];
}

/** Resolves once `count()` has not changed for half a second (at most 15 s). */
async function settled(count: () => number): Promise<void> {
  let last = -1;
  for (let waited = 0; waited < 15_000; waited += 500) {
    const now = count();
    if (now === last) return;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe.each(TRANSPORTS)("malformed payloads over the %s", (transport) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ transport });
  });
  afterAll(async () => {
    await harness?.close();
    await removeTempDirs();
  });

  it("are refused or answered at the edge, and the bot goes on answering", async () => {
    const statuses: [string, number][] = [];
    for (const [what, payload] of malformed(harness)) {
      if (transport === "gateway") {
        harness.fake.dispatch("INTERACTION_CREATE", payload);
      } else {
        const body = JSON.stringify(payload);
        const response = await fetch(interactionsUrl(harness.bot), {
          method: "POST",
          headers: { "content-type": "application/json", ...harness.fake.signatureHeaders(body) },
          body,
        });
        statuses.push([what, response.status]);
      }
    }
    for (const [what, status] of statuses) expect([what, [200, 400].includes(status)]).toEqual([what, true]);
    // Answers to interactions the fake never created are refused by it ("unknown interaction"): that is all it saw.
    // They come in over a few hundred milliseconds (more on a busy machine): wait until they stop.
    await settled(() => harness.fake.violations.length);
    for (const violation of harness.fake.violations) {
      expect(violation.message).toMatch(/unknown interaction|unknown webhook|no known interaction token/);
    }
    harness.fake.clearRecords();
    const reply = await harness.fake.sendCommand({ name: "movie", options: { title: SEED_ID } }).waitForReply();
    expect(reply.embeds[0]?.title).toBe("Miss You Already (2015)");
    expect(harness.logs.entries().some((entry) => entry["msg"] === "unreadable interaction")).toBe(true);
    expect(harness.fake.violations).toEqual([]);
  });
});
