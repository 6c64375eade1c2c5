/**
 * Ends a run with one plain line, "tests: N passed, N failed, N skipped", that any CI can read.
 *
 * "failed" counts everything that makes vitest exit non-zero, not only failed tests: a test file that
 * fails to run (it does not load, or its beforeAll throws and its tests are skipped), a hook that fails
 * outside a test (an afterAll, a describe block's beforeAll), and an error nobody handled. Each of those
 * counts once, and a second line names them ("files failed to run: 2 (…)"), so the line never says
 * 0 failed of a run that failed.
 */
import type { Reporter, SerializedError, TestModule, TestSuite } from 'vitest/node';

type TestRunEndReason = Parameters<NonNullable<Reporter['onTestRunEnd']>>[2];

export interface Summary {
  passed: number;
  /** Failed tests plus every failure outside a test (below). */
  failed: number;
  skipped: number;
  /** Files whose errors kept every one of their tests from running (an import, a syntax error, a beforeAll). */
  filesFailedToRun: string[];
  /** Files and suites whose tests ran but which failed outside them (an afterAll, a suite's beforeAll). */
  hooksFailed: string[];
  unhandledErrors: number;
  /** The run failed and none of the above says why (vitest's own reason, counted once). */
  otherwise?: string;
}

export function summarize(
  modules: ReadonlyArray<TestModule>,
  unhandledErrors: ReadonlyArray<SerializedError | unknown>,
  reason?: TestRunEndReason,
): Summary {
  const summary: Summary = {
    passed: 0,
    failed: 0,
    skipped: 0,
    filesFailedToRun: [],
    hooksFailed: [],
    unhandledErrors: unhandledErrors.length,
  };
  let failedTests = 0;
  for (const module of modules) {
    const tests = [...module.children.allTests()];
    let ran = 0;
    let failedHere = 0;
    for (const test of tests) {
      const state = test.result().state;
      if (state === 'passed') summary.passed++;
      else if (state === 'failed') failedTests++;
      else summary.skipped++;
      if (state === 'passed' || state === 'failed') ran++;
      if (state === 'failed') failedHere++;
    }
    const name = module.relativeModuleId;
    const suitesWithErrors = [...module.children.allSuites()].filter(
      (suite: TestSuite) => suite.errors().length > 0,
    );
    if (module.errors().length > 0) {
      (ran === 0 ? summary.filesFailedToRun : summary.hooksFailed).push(name);
    }
    for (const suite of suitesWithErrors) summary.hooksFailed.push(`${name} > ${suite.fullName}`);
    // A file that failed for a reason none of the above shows (vitest has its own ways) still counts.
    if (
      module.state() === 'failed' &&
      failedHere === 0 &&
      module.errors().length === 0 &&
      suitesWithErrors.length === 0
    ) {
      (ran === 0 ? summary.filesFailedToRun : summary.hooksFailed).push(name);
    }
  }
  summary.failed =
    failedTests + summary.filesFailedToRun.length + summary.hooksFailed.length + summary.unhandledErrors;
  if (reason === 'failed' && summary.failed === 0) {
    summary.otherwise = 'the run failed';
    summary.failed = 1;
  }
  return summary;
}

export function summaryLines(s: Summary): string[] {
  const lines = [`tests: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`];
  const list = (names: string[]) => `${names.length} (${names.join(', ')})`;
  if (s.filesFailedToRun.length) lines.push(`files failed to run: ${list(s.filesFailedToRun)}`);
  if (s.hooksFailed.length) lines.push(`hooks failed outside a test: ${list(s.hooksFailed)}`);
  if (s.unhandledErrors) lines.push(`unhandled errors: ${s.unhandledErrors}`);
  if (s.otherwise) lines.push(`failed otherwise: ${s.otherwise}`);
  return lines;
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    modules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    reason: TestRunEndReason,
  ) {
    console.log(`\n${summaryLines(summarize(modules, unhandledErrors, reason)).join('\n')}`);
  }
}
