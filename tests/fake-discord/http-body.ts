import type { IncomingMessage } from "node:http";

/** A file the client uploaded in a multipart body (`files[n]` parts). */
export interface UploadedFile {
  /** The multipart field name, e.g. `files[0]`. */
  field: string;
  filename: string;
  contentType: string;
  size: number;
  data: Buffer;
}

/** A request body as the fake understands it, whichever encoding the client used. */
export interface ParsedBody {
  /** The JSON payload: the JSON body itself, or `payload_json` of a multipart body. */
  json: unknown;
  files: UploadedFile[];
  /** `json`, `multipart`, `none` or `other` (anything else is recorded but not understood). */
  encoding: "json" | "multipart" | "none" | "other";
  /** Set when the body could not be parsed; the route then answers 400 like Discord does. */
  parseError?: string;
}

async function readRaw(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks);
}

function parseJson(raw: Buffer): ParsedBody {
  try {
    return { json: JSON.parse(raw.toString("utf8")), files: [], encoding: "json" };
  } catch (error) {
    return { json: undefined, files: [], encoding: "json", parseError: String(error) };
  }
}

/** Multipart parsing via the WHATWG `Request` built into Node (no extra dependency). */
async function parseMultipart(raw: Buffer, contentType: string): Promise<ParsedBody> {
  const form = await new Request("http://fake.invalid/", {
    method: "POST",
    headers: { "content-type": contentType },
    body: raw,
  }).formData();
  const files: UploadedFile[] = [];
  let json: unknown;
  for (const [field, value] of form) {
    if (typeof value === "string") {
      // discord.js puts the JSON part in `payload_json`; plain fields would be form-encoded keys.
      if (field === "payload_json") json = JSON.parse(value);
      continue;
    }
    const data = Buffer.from(await value.arrayBuffer());
    files.push({ field, filename: value.name, contentType: value.type, size: data.length, data });
  }
  return { json, files, encoding: "multipart" };
}

/** Reads and decodes the body of `request` (JSON or multipart/form-data with `payload_json`). */
export async function readBody(request: IncomingMessage): Promise<ParsedBody> {
  const raw = await readRaw(request);
  if (raw.length === 0) return { json: undefined, files: [], encoding: "none" };
  const contentType = request.headers["content-type"] ?? "";
  if (contentType.startsWith("application/json")) return parseJson(raw);
  if (contentType.startsWith("multipart/form-data")) {
    try {
      return await parseMultipart(raw, contentType);
    } catch (error) {
      return { json: undefined, files: [], encoding: "multipart", parseError: String(error) };
    }
  }
  return { json: undefined, files: [], encoding: "other", parseError: `unsupported content-type ${contentType}` };
}
