/**
 * Pieces shared by command definitions. Where a command may run is not needed at the type level, so these are plain
 * (mutable-typed, never mutated) arrays that fit Discord's JSON body types inside `as const` definitions.
 */
import { ApplicationIntegrationType, InteractionContextType } from "discord.js";

/** Installed to servers (the `bot applications.commands` invite); no user installs. */
export const GUILD_INSTALL: ApplicationIntegrationType[] = [ApplicationIntegrationType.GuildInstall];
/** Usable in servers and in DMs with the bot. */
export const GUILD_AND_DM: InteractionContextType[] = [InteractionContextType.Guild, InteractionContextType.BotDM];
/** Usable in servers only. */
export const GUILD_ONLY: InteractionContextType[] = [InteractionContextType.Guild];

/** Years a film can have (the catalog's own bounds). */
export const MIN_FILM_YEAR = 1870;
export const MAX_FILM_YEAR = 2100;
/** Titles typed by hand are longer than ids; nothing real is longer than this. */
export const TITLE_OPTION_MAX_LENGTH = 200;
