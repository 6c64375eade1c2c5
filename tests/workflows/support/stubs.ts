/**
 * Stubbed activities for workflow tests: every activity the workflows call, answering in the shape the
 * real ones do (activities/*.ts) and recording each call with the workflow that made it. One worker
 * serves a whole test file, so tests read the calls of their own workflows (`of(workflowId)`), and may
 * swap an activity's behaviour for a while (`override`, undone by `reset`).
 */
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { Activities } from '../../../activities/index.js';
import type { SendEmailInput } from '../../../activities/email.js';

export type ActivityName = keyof Activities;

export interface Call<N extends ActivityName = ActivityName> {
  name: N;
  workflowId: string;
  input: Parameters<Activities[N]>[0];
}

/** The default behaviour of every activity: the result the real one gives for a fresh call. */
function defaults(): Activities {
  return {
    async recordApplication(input) {
      // The row takes the workflow's id and time when it made the receipt (as the real activity stores them).
      const id = input.id ?? randomUUID();
      return {
        reference: id.slice(0, 8).toUpperCase(),
        submittedAt: input.submittedAt ?? new Date().toISOString(),
      };
    },
    async recordOutcome() {},
    async recordStepAnswers(input) {
      return { stepId: input.stepId, submittedAt: input.submittedAt ?? new Date().toISOString() };
    },
    async sendEmail() {
      return 'sent' as const;
    },
    async openRound() {},
    async closeApplications() {},
    async assignMatch() {
      return { assigned: true as const };
    },
    async proposeMatching(input) {
      return {
        runId: 'run-1',
        pairs: [],
        matched: 0,
        unmatched: input.mentees.length,
        totalScore: 0,
        by: input.by,
        at: new Date().toISOString(),
      };
    },
    async sweepRetention() {
      return { erased: 0, failed: 0 };
    },
    async archiveHistories() {
      return { archived: 0 };
    },
    async recordEnrolment(input) {
      const org = `org-${input.submissionId}`;
      return {
        organisationId: org,
        leaderId: `${org}-leader`,
        memberIds: [`${org}-leader`, `${org}-member`],
      };
    },
    async recordCohortReport(input) {
      return {
        organisations: input.status.organisations.filter((o) => o.state === 'approved').length,
        gatherings: input.status.gatherings.length,
      };
    },
  };
}

export interface Stubs {
  /** What the worker is given. */
  activities: Activities;
  calls: Call[];
  /** The calls made on behalf of one workflow (any of its runs). */
  of(workflowId: string): Call[];
  /** The emails one workflow sent, in the order it sent them. */
  emails(workflowId: string): SendEmailInput[];
  /** Replaces activities until `reset()`. */
  override(overrides: Partial<Activities>): void;
  /** A gate for an overridden activity to wait on; `reset()` opens every gate still shut. */
  gate(): Gate;
  reset(): void;
}

/** Activities that record their calls; `overrides` replace the defaults for the whole file. */
export function stubActivities(overrides: Partial<Activities> = {}): Stubs {
  const base = { ...defaults(), ...overrides };
  let current: Activities = { ...base };
  const calls: Call[] = [];
  const activities = Object.fromEntries(
    (Object.keys(base) as ActivityName[]).map((name) => [
      name,
      async (input: never) => {
        const workflowId = Context.current().info.workflowExecution?.workflowId ?? '';
        calls.push({ name, workflowId, input } as Call);
        return (current[name] as (input: never) => Promise<unknown>)(input);
      },
    ]),
  ) as unknown as Activities;
  const of = (workflowId: string) => calls.filter((c) => c.workflowId === workflowId);
  const gates: Gate[] = [];
  return {
    activities,
    calls,
    of,
    emails: (workflowId) =>
      of(workflowId)
        .filter((c): c is Call<'sendEmail'> => c.name === 'sendEmail')
        .map((c) => c.input),
    override(replacements) {
      current = { ...current, ...replacements };
    },
    gate() {
      const g = gate();
      gates.push(g);
      return g;
    },
    reset() {
      current = { ...base };
      for (const g of gates.splice(0)) g.open();
    },
  };
}

/** A promise the test settles by hand: an activity that waits on it holds its workflow at that point. */
export interface Gate {
  opened: Promise<void>;
  open: () => void;
}

function gate(): Gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}
