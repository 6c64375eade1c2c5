/** The one data converter of every client, worker and replayer of the project: encrypted payloads and failures. */
import { fileURLToPath } from 'node:url';
import type { DataConverter, PayloadCodec } from '@temporalio/common';

export const failureConverterPath = fileURLToPath(new URL('./failure-converter.ts', import.meta.url));

export function dataConverter(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [codec], failureConverterPath };
}
