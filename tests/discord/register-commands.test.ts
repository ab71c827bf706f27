import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import { commandBodies, deployCommands, userIdOfToken } from "../../src/discord/register-commands.js";
import { FakeDiscord } from "../fake-discord/index.js";

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await FakeDiscord.start();
});
afterAll(async () => {
  await fake?.close();
});

/** The registered command as comparable to a definition (Discord adds ids, versions and defaults). */
function registeredShape(name: string, guildId?: string) {
  const command = fake.commands(guildId).find((candidate) => candidate.name === name);
  return { name: command?.name, description: command?.description, options: command?.options ?? [] };
}

describe("deployCommands", () => {
  it("registers exactly the command definitions globally, with the application id from the token", async () => {
    const result = await deployCommands({ token: fake.token, apiUrl: fake.restUrl, guildId: undefined, commands });
    expect(result).toEqual({
      applicationId: fake.applicationId,
      scope: "global",
      registered: commands.map((command) => command.definition.name),
    });
    const put = fake.requests.find((request) => request.method === "PUT");
    expect(put?.path).toBe(`/applications/${fake.applicationId}/commands`);
    expect(put?.body).toEqual(JSON.parse(JSON.stringify(commandBodies(commands, "global"))));
    for (const { definition } of commands) {
      expect(registeredShape(definition.name)).toEqual({
        name: definition.name,
        description: definition.description,
        options: definition.options ?? [],
      });
    }
    expect(fake.violations).toEqual([]);
    expect(fake.unknownRoutes).toEqual([]);
  });

  it("registers to one guild when asked, without the global-only fields", async () => {
    fake.clearRecords();
    const result = await deployCommands({ token: fake.token, apiUrl: fake.restUrl, guildId: fake.guild.id, commands });
    expect(result.scope).toEqual({ guildId: fake.guild.id });
    expect(fake.commands(fake.guild.id).map((command) => command.name)).toEqual(
      commands.map((command) => command.definition.name),
    );
    const put = fake.requests.find((request) => request.method === "PUT");
    expect(put?.path).toBe(`/applications/${fake.applicationId}/guilds/${fake.guild.id}/commands`);
    const bodies = (put?.body ?? []) as Record<string, unknown>[];
    expect(bodies).toHaveLength(commands.length);
    expect(bodies.filter((body) => "contexts" in body || "integration_types" in body)).toEqual([]);
    expect(fake.violations).toEqual([]);
  });

  it("takes the application id from the token when the server has no /applications/@me", async () => {
    const token = `${Buffer.from("123456789012345678").toString("base64")}.AAAAAA.secret`;
    const seen: string[] = [];
    const server = createServer((request: IncomingMessage, response) => {
      seen.push(`${request.method} ${request.url}`);
      request.resume();
      request.on("end", () => {
        const isPut = request.method === "PUT";
        response.writeHead(isPut ? 200 : 404, { "content-type": "application/json" });
        response.end(
          isPut ? JSON.stringify([{ name: "movie" }]) : JSON.stringify({ message: "404: Not Found", code: 0 }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const result = await deployCommands({ token, apiUrl, guildId: undefined, commands });
      expect(result.applicationId).toBe("123456789012345678");
      expect(seen).toEqual(["GET /v10/applications/@me", "PUT /v10/applications/123456789012345678/commands"]);
    } finally {
      server.close();
    }
  });

  it("fails clearly with a bad token", async () => {
    await expect(
      deployCommands({ token: "bad.token.value", apiUrl: fake.restUrl, guildId: undefined, commands }),
    ).rejects.toThrow(/401|Unauthorized/i);
  });
});

describe("userIdOfToken", () => {
  it("reads the user id a bot token starts with, and nothing from other strings", () => {
    expect(userIdOfToken(`${Buffer.from("80351110224678912").toString("base64")}.GhJkLm.abc`)).toBe(
      "80351110224678912",
    );
    expect(userIdOfToken("bad.token.value")).toBeUndefined();
    expect(userIdOfToken("")).toBeUndefined();
  });
});

describe("commandBodies", () => {
  it("sends default_member_permissions as the integer Discord's spec declares", () => {
    const reload = commandBodies(commands, "global").find((body) => body.name === "reload");
    expect(reload?.default_member_permissions).toBe(32);
    expect(commandBodies(commands, "global").find((body) => body.name === "movie")).not.toHaveProperty(
      "default_member_permissions",
    );
  });
});
