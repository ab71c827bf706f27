/**
 * The HTTP interactions endpoint as Discord uses it, against the real bot in "http" mode: requests signed with the
 * application's key pair (the fake Discord's), the first response as the HTTP body, later edits over REST to the fake.
 * Every malformed, unsigned or oversized request gets a 4xx and runs nothing.
 */
import { InteractionResponseType } from "discord-api-types/v10";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { encodeCardButtonId } from "../../src/cards/film-card.js";
import { MAX_INTERACTION_BYTES } from "../../src/http/server.js";
import { removeTempDirs } from "../commands/fixtures.js";
import { expectCleanTraffic, type Harness, interactionsUrl, SEED_ID, startHarness } from "../e2e/harness.js";

let harness: Harness;
let url: string;
let base: string;

beforeAll(async () => {
  harness = await startHarness({ transport: "http" });
  url = interactionsUrl(harness.bot);
  base = url.replace(/\/interactions$/, "");
});
afterAll(async () => {
  await harness?.close();
  await removeTempDirs();
});
afterEach(() => expectCleanTraffic(harness.fake));

/** POSTs `body` to the endpoint with the given headers (signed by the fake's key unless `headers` says otherwise). */
async function post(
  body: string,
  headers: Record<string, string> = harness.fake.signatureHeaders(body),
  contentType = "application/json",
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": contentType, ...headers }, body });
  const text = await response.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: kept as text.
  }
  return { status: response.status, json };
}

function commandBody(title: string): string {
  return JSON.stringify(harness.fake.buildCommandInteraction({ name: "movie", options: { title } }));
}

/** The logged lines about handled interactions: none may come from a refused request. */
function handledInteractions(): number {
  return harness.logs.entries().filter((entry) => entry["msg"] === "answered with a user-facing error").length;
}

describe("POST /interactions", () => {
  it("answers Discord's PING with a PONG", async () => {
    const ping = JSON.stringify({
      id: "1234567890123456789",
      application_id: harness.fake.applicationId,
      type: 1,
      token: "ping-token",
      version: 1,
    });
    expect(await post(ping)).toEqual({ status: 200, json: { type: 1 } });
  });

  it("refuses a missing, malformed or wrong signature, or a body altered after signing, with 401", async () => {
    const body = commandBody("no such film qqq");
    const signed = harness.fake.signatureHeaders(body);
    const before = handledInteractions();
    const cases: Record<string, string>[] = [
      {},
      { "x-signature-timestamp": signed["x-signature-timestamp"]! },
      { ...signed, "x-signature-ed25519": "zz" },
      { ...signed, "x-signature-ed25519": "0".repeat(128) },
      { ...signed, "x-signature-timestamp": String(Number(signed["x-signature-timestamp"]) + 1) },
    ];
    for (const headers of cases) expect((await post(body, headers)).status).toBe(401);
    expect((await post(body.replace("qqq", "qqx"), signed)).status).toBe(401);
    // Signed by another key pair (another application).
    const other = (await import("../fake-discord/signing.js")).generateSigningKeys();
    const { signatureHeaders } = await import("../fake-discord/signing.js");
    expect((await post(body, signatureHeaders(other.privateKey, body))).status).toBe(401);
    expect(handledInteractions()).toBe(before);
  });

  it("refuses other content types (415), bodies over the limit (413), bad JSON and unknown types (400)", async () => {
    const body = commandBody("solaris");
    expect((await post(body, harness.fake.signatureHeaders(body), "text/plain")).status).toBe(415);
    const huge = `{"pad":"${"x".repeat(MAX_INTERACTION_BYTES)}"}`;
    expect((await post(huge)).status).toBe(413);
    expect((await post("{not json")).status).toBe(400);
    expect((await post("[1,2,3]")).status).toBe(400);
    expect((await post(JSON.stringify({ type: 99, id: "1", token: "t", application_id: "2" }))).status).toBe(400);
    expect((await post(JSON.stringify({ type: 2 }))).status).toBe(400);
  });

  it("answers a command with its card as the HTTP response", async () => {
    const handle = harness.fake.sendCommand({ name: "movie", options: { title: SEED_ID } });
    const callback = await handle.response();
    expect(callback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect((await handle.waitForReply()).embeds[0]?.title).toBe("Miss You Already (2015)");
  });

  it("answers autocomplete with choices", async () => {
    const handle = harness.fake.sendAutocomplete({ name: "movie", focused: "title", options: { title: "solaris" } });
    const callback = await handle.response();
    expect(callback.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    const choices = (callback.data as { choices: { name: string }[] }).choices;
    expect(choices.map((choice) => choice.name)).toContain("Solaris (1972)");
  });

  it("redraws a card when a button is pressed", async () => {
    const handle = harness.fake.sendComponent({
      customId: encodeCardButtonId({ filmId: SEED_ID, view: "cast", page: 0 }),
    });
    expect((await handle.response()).type).toBe(InteractionResponseType.UpdateMessage);
    expect((await handle.waitForReply()).embeds[0]?.title).toBe("Miss You Already (2015) — Cast");
  });

  it("defers slow work in the HTTP response and finishes it with an edit over REST", async () => {
    const handle = harness.fake.sendCommand({ name: "reload" });
    const callback = await handle.response();
    expect(callback.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const reply = await handle.waitForFinalReply();
    expect(reply.content).toBe("Only members with the Manage Server permission can reload the catalog.");
    const edit = harness.fake.requests.find(
      (request) => request.method === "PATCH" && request.path.includes(handle.token),
    );
    expect(edit?.status).toBe(200);
  });
});

describe("health, readiness and metrics", () => {
  it("serves /healthz, /readyz and /metrics", async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, detail: "ready" });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^film_bot_interactions_total\{command="movie",kind="command",outcome="answered"\} \d+$/m);
    expect(metrics).toMatch(/^film_bot_interaction_response_seconds_bucket\{.*command="movie".*\} \d+$/m);
    expect(metrics).toMatch(/^film_bot_catalog_films \d+$/m);
    expect(metrics).toMatch(/^process_cpu_seconds_total /m);
  });

  it("answers 404 and 405 for what it does not serve", async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/interactions`)).status).toBe(405);
    expect((await fetch(`${base}/healthz`, { method: "POST" })).status).toBe(405);
  });
});
