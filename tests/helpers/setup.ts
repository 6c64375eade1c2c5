/** Per test file: the SDK's runtime logs warnings only, and leaves signals to the test runner. */
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
