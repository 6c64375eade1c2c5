/** `npm run setup`: installs the Temporal CLI and test server project-locally unless they are already there. */
import {
  cliVersion,
  findTemporalCli,
  findTestServer,
  installProjectLocalTools,
  toolsDir,
} from '../platform/temporal/temporal-cli.js';
import { join } from 'node:path';

if (process.env.NODE_ENV === 'production') {
  // Production runs against a Temporal cluster (TEMPORAL_ADDRESS), never the dev server installed here.
  console.log('setup: production uses the Temporal cluster at TEMPORAL_ADDRESS; nothing to install');
  process.exit(0);
}
const haveLocal =
  findTestServer() && findTemporalCli({ PATH: '' })?.path === join(toolsDir, 'bin', 'temporal');
if (!haveLocal && !installProjectLocalTools()) process.exit(1);
const cli = findTemporalCli();
console.log(`setup: temporal CLI ${cli ? `${cli.path} (${cliVersion(cli.path)})` : 'not found'}`);
console.log(`setup: time-skipping test server ${findTestServer() ?? 'not found'}`);
