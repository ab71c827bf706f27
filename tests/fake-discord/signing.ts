/**
 * Signing interactions the way Discord does for an Interactions Endpoint URL: an Ed25519 key pair per application;
 * each POST carries `X-Signature-Timestamp` and `X-Signature-Ed25519`, the hex signature of timestamp + raw body.
 */
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";

export interface SigningKeys {
  privateKey: KeyObject;
  /** The public key as the Developer Portal shows it: 64 hexadecimal characters. */
  publicKeyHex: string;
}

export function generateSigningKeys(): SigningKeys {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" });
  return { privateKey, publicKeyHex: Buffer.from(jwk.x ?? "", "base64url").toString("hex") };
}

/** The headers of a signed request for `body`, at `timestamp` (Unix seconds; now by default). */
export function signatureHeaders(
  privateKey: KeyObject,
  body: string,
  timestamp = String(Math.floor(Date.now() / 1000)),
): Record<string, string> {
  const signature = sign(null, Buffer.from(timestamp + body, "utf8"), privateKey).toString("hex");
  return { "x-signature-ed25519": signature, "x-signature-timestamp": timestamp };
}
