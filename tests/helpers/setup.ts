/**
 * Per test file: the SDK's runtime logs warnings only, and leaves signals to the test runner. A test
 * process runs several files one after another, so the runtime may be installed already.
 */
import { IllegalStateError } from '@temporalio/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
} catch (err) {
  if (!(err instanceof IllegalStateError)) throw err;
}
