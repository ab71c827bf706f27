/**
 * Answers over Discord's REST API (`@discordjs/rest`, which handles rate limits and retries): the interaction
 * callback for the first response, the interaction webhook for edits and follow-ups. None of these calls use the bot
 * token: the interaction's own token authorizes them.
 */
import type { REST } from "@discordjs/rest";
import { Routes } from "discord-api-types/v10";
import type { Responder } from "../interactions/answer.js";

export function restResponder(rest: REST): Responder {
  return {
    async respond(target, response) {
      await rest.post(Routes.interactionCallback(target.id, target.token), { body: response, auth: false });
    },
    async editOriginal(target, body) {
      await rest.patch(Routes.webhookMessage(target.applicationId, target.token, "@original"), { body, auth: false });
    },
    async followUp(target, body) {
      await rest.post(Routes.webhook(target.applicationId, target.token), { body, auth: false });
    },
  };
}
