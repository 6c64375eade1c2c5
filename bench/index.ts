/**
 * `npm run bench`: every benchmark of the project, one table each. Each also runs alone
 * (`npm run bench:matching`). Figures are ratios and comparisons within one run: these machines are
 * shared and noisy, so absolute times drift from run to run.
 */
import { benchMatching, matchingTable } from './matching.js';

const progress = (line: string) => process.stderr.write(`${line}\n`);

process.stdout.write(`## Matching\n\n${matchingTable(benchMatching(progress))}\n`);
