import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { createLogger, REDACTED, scrubSecrets } from "../../src/logging/logger.js";
import { TEST_TOKEN } from "../commands/fixtures.js";

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe("createLogger", () => {
  it("writes JSON lines", () => {
    const { lines, stream } = capture();
    createLogger({ level: "info", destination: stream }).info({ films: 3 }, "catalog loaded");
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, name: "film-bot", films: 3, msg: "catalog loaded" });
  });

  it("never writes the token, wherever it is put", () => {
    const { lines, stream } = capture();
    const logger = createLogger({ level: "trace", destination: stream, secrets: [TEST_TOKEN] });
    const config = loadConfig({ DISCORD_TOKEN: TEST_TOKEN });
    logger.info({ config }, "the whole config, by mistake");
    logger.info({ token: TEST_TOKEN, nested: { token: TEST_TOKEN, discordToken: TEST_TOKEN } }, "token fields");
    logger.info({ request: { headers: { authorization: `Bot ${TEST_TOKEN}` } } }, "a request");
    logger.warn(`a message that quotes it: ${TEST_TOKEN}`);
    logger.error({ err: new Error(`login failed for ${TEST_TOKEN}`) }, "an error");
    logger.child({ DISCORD_TOKEN: TEST_TOKEN }).debug("a child with it bound");
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).not.toContain(TEST_TOKEN);
    expect(lines.join("\n")).toContain(REDACTED);
    // The token's parts are not left either (no partial redaction).
    for (const part of TEST_TOKEN.split(".")) expect(lines.join("\n")).not.toContain(part);
  });

  it("scrubs interaction tokens from REST URLs in errors", () => {
    const { lines, stream } = capture();
    const interactionToken = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OnNlY3JldA";
    const error = Object.assign(new Error("Unknown interaction"), {
      url: `https://discord.com/api/v10/webhooks/123456789012345678/${interactionToken}/messages/@original`,
    });
    createLogger({ level: "info", destination: stream }).error({ err: error }, "edit failed");
    expect(lines[0]).not.toContain(interactionToken);
    expect(lines[0]).toContain(`/webhooks/123456789012345678/${REDACTED}/messages`);
  });

  it("respects the level", () => {
    const { lines, stream } = capture();
    const logger = createLogger({ level: "warn", destination: stream });
    logger.info("hidden");
    logger.warn("shown");
    expect(lines).toHaveLength(1);
  });
});

describe("scrubSecrets", () => {
  it("replaces every occurrence of a secret and interaction tokens in callback paths", () => {
    expect(scrubSecrets("k=SECRET-123456 and SECRET-123456", ["SECRET-123456"])).toBe(`k=${REDACTED} and ${REDACTED}`);
    expect(scrubSecrets(`/interactions/1/${"x".repeat(40)}/callback`, [])).toBe(`/interactions/1/${REDACTED}/callback`);
  });

  it("ignores configured secrets too short to be real (they would blank ordinary words)", () => {
    const { lines, stream } = capture();
    createLogger({ level: "info", destination: stream, secrets: ["film"] }).info("a film");
    expect(JSON.parse(lines[0]!).msg).toBe("a film");
  });
});
