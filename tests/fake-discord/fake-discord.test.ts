/**
 * Self-test of the fake Discord: a real discord.js Client (no bot code) logs in to it and uses
 * every feature the bot's end-to-end tests rely on.
 */
import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  ComponentType,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits,
  Routes,
  type Interaction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DiscordSpec, FakeDiscord, permissionString } from "./index.js";

const HEARTBEAT_INTERVAL_MS = 100;
const SILENT = { parse: [] };

/** Slash commands as a bot would register them, exercising subcommands, types and autocomplete. */
const FILM_COMMAND: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: "film",
  description: "Film information",
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "info",
      description: "Show a film",
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: "title",
          description: "Film title",
          required: true,
          autocomplete: true,
        },
        { type: ApplicationCommandOptionType.Integer, name: "year", description: "Release year" },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "rate",
      description: "Rate a film",
      options: [{ type: ApplicationCommandOptionType.Number, name: "score", description: "Score", required: true }],
    },
  ],
};

function newClient(fake: FakeDiscord): Client {
  return new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.restUrl }, allowedMentions: SILENT });
}

async function loginAndWaitReady(client: Client, token: string): Promise<number> {
  const started = performance.now();
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(token);
  await ready;
  return performance.now() - started;
}

/** Runs `handler` on the next interaction the client receives; settles with its outcome. */
function handleNext<T>(client: Client, handler: (interaction: Interaction) => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    client.once(Events.InteractionCreate, (interaction) => {
      handler(interaction).then(resolve, reject);
    });
  });
}

function discordErrorCode(error: unknown): number | string | undefined {
  return error instanceof DiscordAPIError ? error.code : undefined;
}

describe("fake Discord with a real discord.js Client", () => {
  let fake: FakeDiscord;
  let client: Client;
  let readyAfterMs: number;

  beforeAll(async () => {
    fake = await FakeDiscord.start({ heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS });
    client = newClient(fake);
    readyAfterMs = await loginAndWaitReady(client, fake.token);
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.close();
  });

  beforeEach(() => {
    fake.settings.requireSilentMentions = true;
    fake.settings.rejectInvalidBodies = false;
    fake.clearRecords();
  });

  it("reaches ClientReady quickly with the guild cached", () => {
    expect(readyAfterMs).toBeLessThan(5000);
    const guild = client.guilds.cache.get(fake.guild.id);
    expect(guild?.name).toBe("Film Club");
    expect(guild?.channels.cache.get(fake.guild.textChannelId)?.isTextBased()).toBe(true);
    expect(guild?.roles.everyone.id).toBe(fake.guild.id);
    expect(guild?.members.me?.id).toBe(fake.botUser.id);
    expect(client.user?.id).toBe(fake.botUser.id);
    expect(client.application?.id).toBe(fake.applicationId);
    expect(fake.gatewayStats.identifies).toBe(1);
  });

  it("answers heartbeats", async () => {
    const before = fake.gatewayStats.heartbeats;
    await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_INTERVAL_MS * 2.5));
    expect(fake.gatewayStats.heartbeats).toBeGreaterThan(before);
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
  });

  it("stores global and guild commands with ids", async () => {
    const global = await client.application!.commands.set([FILM_COMMAND]);
    const inGuild = await client.application!.commands.set([{ name: "ping", description: "Ping" }], fake.guild.id);
    expect(fake.commands().map((command) => command.name)).toEqual(["film"]);
    expect(fake.commands(fake.guild.id).map((command) => command.name)).toEqual(["ping"]);
    expect(global.first()?.id).toBe(fake.commands()[0]?.id);
    expect(inGuild.first()?.guildId).toBe(fake.guild.id);
    const again = await client.application!.commands.set([FILM_COMMAND]);
    expect(again.first()?.id).toBe(global.first()?.id);
    expect((await client.application!.commands.fetch()).size).toBe(1);
    expect(fake.violations).toEqual([]);
    expect(fake.unknownRoutes).toEqual([]);
  });

  it("delivers a slash command with typed options and validates the reply", async () => {
    await client.application!.commands.set([FILM_COMMAND]);
    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error(`unexpected ${interaction.type}`);
      const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId("film:more:alien").setLabel("More").setStyle(ButtonStyle.Primary),
      );
      const embed = new EmbedBuilder().setTitle("Alien (1979)").setDescription("In space no one can hear you scream.");
      await interaction.reply({ content: "Found it", embeds: [embed], components: [row] });
      return {
        subcommand: interaction.options.getSubcommand(),
        title: interaction.options.getString("title"),
        year: interaction.options.getInteger("year"),
        guildId: interaction.guildId,
        channelId: interaction.channelId,
        canManage: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild),
      };
    });
    const handle = fake.sendCommand({ name: "film", subcommand: "info", options: { title: "Alien", year: 1979 } });
    const seen = await handled;
    expect(seen).toEqual({
      subcommand: "info",
      title: "Alien",
      year: 1979,
      guildId: fake.guild.id,
      channelId: fake.guild.textChannelId,
      canManage: false,
    });
    const response = await handle.response();
    expect(response.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(response.elapsedMs).toBeLessThan(3000);
    expect(response.withResponse).toBe(false);
    const reply = await handle.waitForReply();
    expect(reply.content).toBe("Found it");
    expect(reply.embeds[0]?.title).toBe("Alien (1979)");
    expect(reply.interaction_metadata?.id).toBe(handle.id);
    expect(fake.violations).toEqual([]);
  });

  it("types options from the registered command (NUMBER, not inferred INTEGER)", async () => {
    await client.application!.commands.set([FILM_COMMAND]);
    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error("not a command");
      await interaction.reply({ content: "rated" });
      return interaction.options.getNumber("score");
    });
    fake.sendCommand({ name: "film", subcommand: "rate", options: { score: 4 } });
    expect(await handled).toBe(4);
    expect(() => fake.buildCommandInteraction({ name: "film", subcommand: "rate", options: { stars: 4 } })).toThrow(
      /no option "stars"/,
    );
  });

  it("follows deferReply + editReply through the %40original route", async () => {
    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error("not a command");
      await interaction.deferReply();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await interaction.editReply({ content: "Here is your film" });
    });
    const handle = fake.sendCommand({ name: "search", options: { query: "alien" } });
    await handled;
    expect((await handle.response()).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const reply = await handle.waitForFinalReply();
    expect(reply.content).toBe("Here is your film");
    expect((reply.flags ?? 0) & MessageFlags.Loading).toBe(0);
    const edit = fake.requests.find((request) => request.method === "PATCH");
    expect(edit?.url).toContain("/messages/%40original");
    expect(edit?.route).toBe("/webhooks/{webhook_id}/{webhook_token}/messages/@original");
    expect(handle.events.map((event) => event.kind)).toEqual(["callback", "original-edited"]);
    expect(fake.violations).toEqual([]);
  });

  it("returns an InteractionCallbackResponse for withResponse and records follow-ups", async () => {
    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error("not a command");
      const response = await interaction.reply({ content: "first", withResponse: true });
      await interaction.followUp({ content: "second", flags: MessageFlags.Ephemeral });
      return response.resource?.message?.content;
    });
    const handle = fake.sendCommand({ name: "search" });
    expect(await handled).toBe("first");
    expect((await handle.response()).withResponse).toBe(true);
    const [followUp] = await handle.waitForFollowUps(1);
    expect(followUp?.content).toBe("second");
    expect((followUp?.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(fake.violations).toEqual([]);
  });

  it("answers autocomplete with the choices", async () => {
    await client.application!.commands.set([FILM_COMMAND]);
    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error("not autocomplete");
      const focused = interaction.options.getFocused(true);
      await interaction.respond([{ name: `Alien (1979) for "${focused.value}"`, value: "tt0078748" }]);
      return focused.name;
    });
    const handle = fake.sendAutocomplete({
      name: "film",
      subcommand: "info",
      options: { title: "ali" },
      focused: "title",
    });
    expect(await handled).toBe("title");
    const response = await handle.response();
    expect(response.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    expect(response.data).toEqual({ choices: [{ name: 'Alien (1979) for "ali"', value: "tt0078748" }] });
    expect(fake.violations).toEqual([]);
  });

  it("updates the clicked message for a button", async () => {
    const replied = handleNext(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error("not a command");
      const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId("film:page:2").setLabel("Next").setStyle(ButtonStyle.Secondary),
      );
      await interaction.reply({ content: "Page 1", components: [row] });
    });
    const command = fake.sendCommand({ name: "list" });
    await replied;
    const original = await command.waitForReply();

    const clicked = handleNext(client, async (interaction) => {
      if (!interaction.isButton()) throw new Error("not a button");
      await interaction.update({ content: "Page 2", components: [] });
      return interaction.customId;
    });
    const click = fake.sendComponent({ customId: "film:page:2", message: original });
    expect(await clicked).toBe("film:page:2");
    expect((await click.response()).type).toBe(InteractionResponseType.UpdateMessage);
    const updated = await click.waitForReply();
    expect(updated.id).toBe(original.id);
    expect(updated.content).toBe("Page 2");
    expect(command.original?.content).toBe("Page 2");
    expect(fake.violations).toEqual([]);
  });

  it("edits the clicked message after deferUpdate on a string select", async () => {
    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isStringSelectMenu()) throw new Error("not a select");
      await interaction.deferUpdate();
      await interaction.editReply({ content: `Sorted by ${interaction.values.join(", ")}` });
    });
    const handle = fake.sendComponent({
      customId: "film:sort",
      componentType: ComponentType.StringSelect,
      values: ["year"],
    });
    const clickedMessageId = handle.payload.message?.id;
    await handled;
    expect((await fake.waitForResponse(handle.id)).type).toBe(InteractionResponseType.DeferredMessageUpdate);
    const edited = await handle.waitForReply();
    expect(edited.id).toBe(clickedMessageId);
    expect(edited.content).toBe("Sorted by year");
    expect(fake.violations).toEqual([]);
  });

  it("delivers a DM command with `user` instead of `member`", async () => {
    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error("not a command");
      await interaction.reply({ content: "Only you can see this", flags: MessageFlags.Ephemeral });
      return { inGuild: interaction.inGuild(), userId: interaction.user.id, channelId: interaction.channelId };
    });
    const handle = fake.sendCommand({ name: "search", where: "dm" });
    expect(await handled).toEqual({ inGuild: false, userId: fake.user.id, channelId: handle.payload.channel?.id });
    expect(handle.payload.channel?.type).toBe(ChannelType.DM);
    expect("member" in handle.payload).toBe(false);
    const reply = await handle.waitForReply();
    expect((reply.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  });

  it("passes a custom member permission string through", async () => {
    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error("not a command");
      await interaction.reply({ content: "ok" });
      return interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild);
    });
    fake.sendCommand({ name: "admin", memberPermissions: permissionString(PermissionFlagsBits.ManageGuild) });
    expect(await handled).toBe(true);
  });

  it("keeps working after the connection drops (RESUME replays missed events)", async () => {
    const identifiesBefore = fake.gatewayStats.identifies;
    expect(fake.dropConnections()).toBe(1);
    // Sent while the client is disconnected: it must arrive through the RESUME replay.
    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error("not a command");
      await interaction.reply({ content: "still here" });
    });
    const handle = fake.sendCommand({ name: "search" });
    expect(await fake.waitForReconnect()).toBe("resumed");
    await handled;
    expect((await handle.waitForReply()).content).toBe("still here");
    expect(fake.gatewayStats.resumes).toBeGreaterThanOrEqual(1);
    expect(fake.gatewayStats.identifies).toBe(identifiesBefore);

    const afterwards = handleNext(client, async (interaction) => {
      if (interaction.isRepliable()) await interaction.reply({ content: "and again" });
    });
    const next = fake.sendCommand({ name: "search" });
    await afterwards;
    expect((await next.waitForReply()).content).toBe("and again");
  });

  it("rejects a second acknowledgement with 40060", async () => {
    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error("not a command");
      await interaction.reply({ content: "first" });
      // discord.js refuses a second reply itself, so go around it with the raw REST call.
      return client.rest
        .post(Routes.interactionCallback(interaction.id, interaction.token), {
          body: {
            type: InteractionResponseType.ChannelMessageWithSource,
            data: { content: "second", allowed_mentions: SILENT },
          },
          auth: false,
        })
        .then(
          () => "accepted",
          (error: unknown) => discordErrorCode(error),
        );
    });
    const handle = fake.sendCommand({ name: "search" });
    expect(await handled).toBe(40060);
    expect(handle.callbackAttempts.map((attempt) => attempt.status)).toEqual([204, 400]);
    expect(fake.violations).toMatchObject([{ kind: "protocol", interactionId: handle.id }]);
    expect((await handle.waitForReply()).content).toBe("first");
  });

  it("rejects an acknowledgement after the window with 10062", async () => {
    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error("not a command");
      await new Promise((resolve) => setTimeout(resolve, 150));
      return interaction.reply({ content: "too late" }).then(
        () => "accepted",
        (error: unknown) => discordErrorCode(error),
      );
    });
    const handle = fake.sendCommand({ name: "search" }, { ackWindowMs: 50 });
    await expect(handle.response()).rejects.toThrow(/not acknowledged within 50 ms/);
    expect(await handled).toBe(10062);
    expect(handle.callbackAttempts[0]).toMatchObject({ status: 404, errorCode: 10062 });
    expect(fake.violations.map((violation) => violation.kind)).toEqual(["protocol"]);
  });

  it("flags bodies that break the schema, the limits or the mention rule", async () => {
    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error("not a command");
      await client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
        body: {
          type: InteractionResponseType.ChannelMessageWithSource,
          data: { embeds: [{ title: "x".repeat(300) }] },
        },
        auth: false,
      });
    });
    const handle = fake.sendCommand({ name: "search" });
    await handled;
    await handle.response();
    const kinds = fake.violations.map((violation) => `${violation.kind} ${violation.path}`);
    expect(kinds).toContain("schema /data/embeds/0/title");
    expect(kinds).toContain("limit /data/embeds/0/title");
    expect(kinds).toContain("mentions /data/allowed_mentions");
    expect(fake.violations.every((violation) => violation.interactionId === handle.id)).toBe(true);
  });

  it("checks the 6000-character embed total the schema does not cover", async () => {
    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error("not a command");
      const long = "y".repeat(3500);
      await interaction.reply({
        embeds: [new EmbedBuilder().setDescription(long), new EmbedBuilder().setDescription(long)],
      });
    });
    fake.sendCommand({ name: "search" });
    await handled;
    expect(fake.violations).toMatchObject([{ kind: "limit", path: "/data/embeds" }]);
  });

  it("answers 50035 Invalid Form Body when set to reject invalid bodies", async () => {
    fake.settings.rejectInvalidBodies = true;
    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error("not a command");
      return interaction.reply({ content: "z".repeat(2001) }).then(
        () => "accepted",
        (error: unknown) => discordErrorCode(error),
      );
    });
    fake.sendCommand({ name: "search" });
    expect(await handled).toBe(50035);
  });

  it("lets the mention rule be turned off for other clients", async () => {
    fake.settings.requireSilentMentions = false;
    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error("not a command");
      await interaction.reply({ content: "no allowed_mentions here", allowedMentions: undefined });
      await client.rest.post(Routes.webhook(interaction.applicationId, interaction.token), {
        body: { content: "raw follow-up without allowed_mentions" },
        auth: false,
      });
    });
    fake.sendCommand({ name: "search" });
    await handled;
    expect(fake.violations).toEqual([]);
  });

  it("accepts multipart bodies with files", async () => {
    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error("not a command");
      await interaction.reply({
        content: "poster attached",
        files: [{ attachment: Buffer.from("fake png"), name: "poster.png" }],
      });
    });
    const handle = fake.sendCommand({ name: "poster" });
    await handled;
    const callback = await handle.response();
    expect(callback.files.map((file) => file.filename)).toEqual(["poster.png"]);
    expect(fake.requests.find((request) => request.route?.endsWith("/callback"))?.encoding).toBe("multipart");
    expect((await handle.waitForReply()).attachments[0]?.filename).toBe("poster.png");
    expect(fake.violations).toEqual([]);
  });

  it("retries after an injected 429", async () => {
    fake.injectRateLimit({
      route: "POST /interactions/{interaction_id}/{interaction_token}/callback",
      retryAfterSeconds: 0.05,
    });
    const handled = handleNext(client, async (interaction) => {
      if (interaction.isRepliable()) await interaction.reply({ content: "after retry" });
    });
    const handle = fake.sendCommand({ name: "search" });
    await handled;
    expect((await handle.waitForReply()).content).toBe("after retry");
    const statuses = fake.requests
      .filter((request) => request.route?.endsWith("/callback"))
      .map((request) => request.status);
    expect(statuses).toEqual([429, 204]);
  });

  it("records unknown routes and refuses requests without the bot token", async () => {
    await expect(client.rest.get(Routes.channel("123"))).rejects.toMatchObject({ status: 404 });
    expect(fake.unknownRoutes.map((request) => `${request.method} ${request.path}`)).toEqual(["GET /channels/123"]);
    const anonymous = await fetch(`${fake.restUrl}/v10/users/@me`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ message: "401: Unauthorized", code: 0 });
  });

  it("serves responses that match Discord's own response schemas", async () => {
    await client.application!.commands.set([FILM_COMMAND]);
    await client.application!.fetch();
    await client.rest.get(Routes.user("@me"));
    await client.rest.get(Routes.gatewayBot());
    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error("not a command");
      await interaction.deferReply({ withResponse: true });
      await interaction.editReply({ content: "shape check", embeds: [new EmbedBuilder().setTitle("t")] });
      await interaction.followUp({ content: "and a follow-up" });
      await interaction.fetchReply();
    });
    fake.sendCommand({ name: "search" });
    await handled;

    const spec = DiscordSpec.shared();
    const answered = fake.requests.filter((request) => request.status === 200 && request.route !== null);
    expect(answered.map((request) => `${request.method} ${request.route}`).sort()).toEqual([
      "GET /applications/@me",
      "GET /gateway/bot",
      "GET /users/@me",
      "GET /webhooks/{webhook_id}/{webhook_token}/messages/@original",
      "PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original",
      "POST /interactions/{interaction_id}/{interaction_token}/callback",
      "POST /webhooks/{webhook_id}/{webhook_token}",
      "PUT /applications/{application_id}/commands",
    ]);
    for (const request of answered) {
      const method = request.method.toLowerCase() as "get" | "post" | "put" | "patch";
      expect({
        route: request.route,
        errors: spec.responseBodyErrors(request.route!, method, 200, request.response),
      }).toEqual({
        route: request.route,
        errors: [],
      });
    }
  });
});

describe("fake Discord sessions", () => {
  it("serves several guilds, re-IDENTIFY after INVALID_SESSION and RESUME after RECONNECT", async () => {
    const fake = await FakeDiscord.start({
      heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
      guilds: [{}, { name: "Noir Night" }],
    });
    // discord.js delays a re-IDENTIFY by up to 6.5 s after the previous one; a no-op throttle keeps this test fast.
    const client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: fake.restUrl },
      allowedMentions: SILENT,
      ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => undefined }) },
    });
    try {
      await loginAndWaitReady(client, fake.token);
      expect(client.guilds.cache.map((guild) => guild.name).sort()).toEqual(["Film Club", "Noir Night"]);

      // The fake reports when it sent READY / RESUMED; the client event says it processed them.
      const reidentified = new Promise((resolve) => client.once(Events.ShardReady, resolve));
      fake.invalidateSession();
      expect(await fake.waitForReconnect()).toBe("identified");
      await reidentified;
      expect(fake.gatewayStats.identifies).toBe(2);

      const resumed = new Promise((resolve) => client.once(Events.ShardResume, resolve));
      fake.requestReconnect();
      expect(await fake.waitForReconnect()).toBe("resumed");
      await resumed;

      const handled = handleNext(client, async (interaction) => {
        if (interaction.isRepliable()) await interaction.reply({ content: "in the second guild" });
      });
      const handle = fake.sendCommand({ name: "search", guildId: fake.guilds[1]?.id });
      await handled;
      expect((await handle.waitForReply()).content).toBe("in the second guild");
      expect(fake.violations).toEqual([]);
    } finally {
      await client.destroy();
      await fake.close();
    }
  });
});

function countOf(resources: string[], kind: string): number {
  return resources.filter((resource) => resource === kind).length;
}

describe("FakeDiscord.close()", () => {
  it("leaves no sockets, servers or timers behind", async () => {
    const before = process.getActiveResourcesInfo();
    const fake = await FakeDiscord.start({ heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS });
    const client = newClient(fake);
    await loginAndWaitReady(client, fake.token);
    const handled = handleNext(client, async (interaction) => {
      if (interaction.isRepliable()) await interaction.deferReply();
    });
    fake.sendCommand({ name: "search" });
    await handled;
    await client.destroy();
    await fake.close();
    // Handles are released on the next turn of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 10));
    const after = process.getActiveResourcesInfo();
    const leaked = ["TCPServerWrap", "TCPSocketWrap", "Timeout"].filter(
      (kind) => countOf(after, kind) > countOf(before, kind),
    );
    expect(leaked).toEqual([]);
  });

  it("stops a client that was not destroyed from reconnecting", async () => {
    const fake = await FakeDiscord.start({ heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS });
    const client = newClient(fake);
    await loginAndWaitReady(client, fake.token);
    const disconnected = new Promise<number>((resolve) =>
      client.once(Events.ShardDisconnect, (event) => resolve(event.code)),
    );
    await fake.close();
    expect(await disconnected).toBe(4004);
    await client.destroy();
  });
});
