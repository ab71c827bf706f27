/**
 * Discord signs every interaction it POSTs: `X-Signature-Ed25519` is the Ed25519 signature, by the application's key
 * pair, of `X-Signature-Timestamp` followed by the raw body. An endpoint must refuse anything not signed so —
 * Discord sends deliberately bad signatures when the endpoint is saved and from time to time, and removes an
 * endpoint that accepts them.
 */
import { createPublicKey, verify, type KeyObject } from "node:crypto";

/** The key object for the application's public key (32 raw bytes), built once at start. */
export function discordPublicKey(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") }, format: "jwk" });
}

const SIGNATURE = /^[0-9a-fA-F]{128}$/;
/** Discord's timestamps are Unix seconds; anything much longer is not one. */
const MAX_TIMESTAMP_LENGTH = 32;

/** Whether `signature` (hex) signs `timestamp` + `body` with `key`; false for anything missing or malformed. */
export function isSignedBy(
  key: KeyObject,
  signature: string | undefined,
  timestamp: string | undefined,
  body: Buffer,
): boolean {
  if (signature === undefined || !SIGNATURE.test(signature)) return false;
  if (timestamp === undefined || timestamp === "" || timestamp.length > MAX_TIMESTAMP_LENGTH) return false;
  try {
    return verify(null, Buffer.concat([Buffer.from(timestamp, "utf8"), body]), key, Buffer.from(signature, "hex"));
  } catch {
    return false;
  }
}
