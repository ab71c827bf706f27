/**
 * The floor of the scale benchmark: the least an interactions endpoint can do — read the body, verify Discord's
 * signature, parse the JSON, answer a fixed embed. Run as its own process, like a replica; prints its port.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { discordPublicKey, isSignedBy } from "../src/http/signature.js";

const key = discordPublicKey(Buffer.from(process.env["DISCORD_PUBLIC_KEY"] ?? "", "hex"));
const answer = JSON.stringify({
  type: 4,
  data: {
    embeds: [{ title: "Miss You Already (2015)", description: "A fixed card." }],
    allowed_mentions: { parse: [] },
  },
});

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const body = Buffer.concat(chunks);
    const signature = request.headers["x-signature-ed25519"];
    const timestamp = request.headers["x-signature-timestamp"];
    if (
      !isSignedBy(
        key,
        typeof signature === "string" ? signature : undefined,
        typeof timestamp === "string" ? timestamp : undefined,
        body,
      )
    ) {
      response.writeHead(401).end();
      return;
    }
    JSON.parse(body.toString("utf8"));
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(answer) });
    response.end(answer);
  });
});
server.keepAliveTimeout = 75_000;
server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
