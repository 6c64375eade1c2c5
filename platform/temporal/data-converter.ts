/** The one data converter of every client, worker and replayer of the project: encrypted payloads and failures. */
import type { DataConverter, PayloadCodec } from '@temporalio/common';
import { moduleBeside } from '../project.js';
import { ERASED_AS_NULL, keepErased, unencryptedRefusal } from './payload-codec.js';

export const failureConverterPath = moduleBeside(import.meta.url, './failure-converter');

/**
 * An erased workflow's payloads read as `null`: its published status (a memo, which every describe and
 * every list of workflows decodes) must not make a page or a list fail for everyone else's workflows.
 */
export function dataConverter(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [keepErased(codec, () => ERASED_AS_NULL)], failureConverterPath };
}

/**
 * The converter for a production worker: a payload that arrives without the project's encryption
 * fails (its workflow task or activity, retried until someone looks) instead of being read.
 */
export function refusingUnencrypted(converter: DataConverter): DataConverter {
  // Decoding runs the codecs last to first: the refusal sees each payload as it arrived.
  return { ...converter, payloadCodecs: [...(converter.payloadCodecs ?? []), unencryptedRefusal] };
}
