/**
 * `npm run bench`: every benchmark of the project, one table each, each run as a process of its own
 * (`npm run bench:form-page`, … run one alone; `-- --short` makes them quick). Figures are ratios and
 * comparisons within one run: these machines are shared and noisy, so absolute times drift from run
 * to run. Each bench ends with its goals, "goal met" or "goal missed"; the last line counts them.
 */
import { main } from '../drills/support/run.js';
import { runScripts } from '../drills/support/sequence.js';

const BENCHES: [title: string, script: string][] = [
  ['Form page', 'bench/form-page.ts'],
  ['Form submission', 'bench/submission.ts'],
  ['Workflow starts', 'bench/starts.ts'],
  ['Capacity of one worker', 'bench/capacity.ts'],
  ['Replay', 'bench/replay.ts'],
  ['The API as a Lambda function', 'bench/lambda.ts'],
  ['Matching', 'bench/matching.ts'],
  ['Launch-day burst (the concurrent drill)', 'drills/concurrent.ts'],
];

main(async () => {
  const ran = await runScripts(
    BENCHES.map(([, script]) => script),
    process.argv.slice(2),
  );
  for (const [i, r] of ran.entries())
    process.stdout.write(
      `\n## ${BENCHES[i]![0]}\n\n${r.code === 0 ? r.stdout : `failed (exit ${r.code}): see the output above`}\n`,
    );
  // Every bench's goals, counted: the figure to watch from one run to the next.
  const verdicts = ran.flatMap((r) => r.stdout.match(/goal (met|missed)/g) ?? []);
  const met = verdicts.filter((v) => v === 'goal met').length;
  process.stdout.write(`\ngoals: ${met} met, ${verdicts.length - met} missed\n`);
  return ran.every((r) => r.code === 0);
});
