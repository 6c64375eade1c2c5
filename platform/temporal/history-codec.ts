/**
 * A workflow history as JSON with its encrypted payloads decoded, for people allowed to read it (an
 * auditor's download) and for recording test histories that replay without the keys. Every
 * payload-shaped object (`metadata` and `data`, base64 as in Temporal's JSON) is decoded in place.
 */
import type { Payload, PayloadCodec } from '@temporalio/common';

/** A payload as Temporal's JSON writes it (and the remote codec protocol sends it): base64 values. */
export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const isPayload = (value: unknown): value is JsonPayload =>
  typeof value === 'object' &&
  value !== null &&
  'metadata' in value &&
  typeof (value as JsonPayload).metadata === 'object' &&
  typeof (value as JsonPayload).metadata?.encoding === 'string';

const bytes = (base64: string | undefined) => new Uint8Array(Buffer.from(base64 ?? '', 'base64'));
const base64 = (data: Uint8Array | null | undefined) =>
  Buffer.from(data ?? new Uint8Array()).toString('base64');

export const payloadFromJson = (value: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(value.metadata ?? {}).map(([k, v]) => [k, bytes(v)])),
  data: bytes(value.data),
});

export const payloadToJson = (payload: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, base64(v)])),
  data: base64(payload.data),
});

async function decodePayload(value: JsonPayload, codec: PayloadCodec): Promise<JsonPayload> {
  const [decoded] = await codec.decode([payloadFromJson(value)]);
  return payloadToJson(decoded!);
}

/** The same JSON with every payload decoded (a copy; the input is left as it was). */
export async function decodeHistoryJson(history: unknown, codec: PayloadCodec): Promise<unknown> {
  if (Array.isArray(history)) return Promise.all(history.map((item) => decodeHistoryJson(item, codec)));
  if (typeof history !== 'object' || history === null) return history;
  if (isPayload(history)) return decodePayload(history, codec);
  const entries = await Promise.all(
    Object.entries(history).map(
      async ([key, value]) => [key, await decodeHistoryJson(value, codec)] as const,
    ),
  );
  return Object.fromEntries(entries);
}
