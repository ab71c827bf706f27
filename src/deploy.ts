/**
 * `npm run deploy`: registers the slash commands (globally, or to DISCORD_GUILD_ID for instant testing in one
 * server). Global commands can take a while to appear in every client; guild ones appear at once.
 */
import { config as loadDotenv } from "dotenv";
import { commands } from "../commands/index.js";
import { ConfigError, loadConfig } from "./config/config.js";
import { deployCommands } from "./discord/register-commands.js";
import { firstLine } from "./errors.js";

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const config = loadConfig(process.env);
  const result = await deployCommands({
    token: config.discordToken,
    apiUrl: config.discordApiUrl,
    guildId: config.deployGuildId,
    commands,
  });
  const where = result.scope === "global" ? "globally" : `to guild ${result.scope.guildId}`;
  console.log(
    `Registered ${result.registered.length} commands ${where} for application ${result.applicationId}: ${result.registered.map((name) => `/${name}`).join(", ")}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `Deploy failed: ${firstLine(error)}`);
  process.exitCode = 1;
});
