/**
 * Error messages and stack traces can carry what a person typed; with this converter they travel as an
 * encoded payload, which the payload codec encrypts like any other. Loaded by path in the workflow sandbox.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
