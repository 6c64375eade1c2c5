/**
 * A cohort's side effects: storing an organisation's enrolment (names and addresses stay in the
 * database, the workflow gets ids), and the report the cohort leaves when it closes.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Sql } from '../platform/db/connect.js';
import { parseGroupMembers } from '../domain/cohort-members.js';
import type { CohortStatus } from '../workflows/cohort-messages.js';
import type { FormSubmission } from '../workflows/messages.js';
import type { ActivityDeps } from './index.js';

export interface StoredEnrolment {
  organisationId: string;
  leaderId: string;
  memberIds: string[];
}

/** The cohort's report: what the coordinator reads at the end and exports as CSV. */
export interface CohortReport {
  cohort: number;
  programId: string;
  closedAt: string;
  gatherings: {
    number: number;
    date: string;
    place: string;
    theme: string;
    movedFrom?: string;
    organisationsPresent: number;
    membersPresent: number;
    membersInvited: number;
    evaluations: number;
    /** The average of "the gathering was useful" (1–5), or null when nobody evaluated it. */
    averageScore: number | null;
  }[];
  organisations: {
    id: string;
    name: string;
    state: string;
    joinedAt: number | null;
    gatheringsAttended: number;
    homeworkOnTime: number;
    homeworkLate: number;
    homeworkMissing: number;
    guidanceSessions: number;
    finalScore: number | null;
    programme: string | null;
  }[];
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

export function createCohortActivities({ sql }: Pick<ActivityDeps, 'sql'>) {
  return {
    /** Stores the organisation and its people once; a retry finds them by the form's submission id. */
    async recordEnrolment(
      input: FormSubmission & { cohortWorkflowId: string; programId: string },
    ): Promise<StoredEnrolment> {
      const a = input.answers;
      const group = parseGroupMembers(text(a.members));
      // The form's validation read the same lines; a disagreement is a bug no retry mends.
      if ('badLine' in group)
        throw ApplicationFailure.nonRetryable(`members line ${group.badLine} is not a name and an address`);
      const people = [
        { role: 'owner', name: text(a.ownerName), email: text(a.ownerEmail).toLowerCase() },
        { role: 'leader', name: text(a.leaderName), email: text(a.leaderEmail).toLowerCase() },
        ...group.members.map((m) => ({ role: 'member', ...m })),
      ];
      return sql.begin(async (tx) => {
        const [org] = await tx<{ id: string; cohort_workflow_id: string }[]>`
          insert into cohort_organisations (cohort_workflow_id, name, motivation, submission_id)
          values (${input.cohortWorkflowId}, ${text(a.organisation)}, ${text(a.motivation)}, ${input.submissionId})
          on conflict (submission_id) do update set submission_id = excluded.submission_id
          returning id, cohort_workflow_id`;
        // The same form sent again to another cohort (one opened meanwhile) is not this cohort's enrolment.
        if (org!.cohort_workflow_id !== input.cohortWorkflowId)
          throw ApplicationFailure.nonRetryable('this enrolment belongs to another cohort', 'OtherCohort');
        // One row a person: the leader named again among the members (or as owner) is the leader.
        const seen = new Map<string, string>();
        for (const p of [people[1]!, people[0]!, ...people.slice(2)]) {
          if (seen.has(p.email)) continue;
          const [row] = await tx<{ id: string }[]>`
            insert into cohort_members (organisation_id, role, name, email)
            values (${org!.id}, ${p.role}, ${p.name}, ${p.email})
            on conflict (organisation_id, email) do update set email = excluded.email
            returning id`;
          seen.set(p.email, row!.id);
        }
        return {
          organisationId: org!.id,
          leaderId: seen.get(people[1]!.email)!,
          memberIds: [...seen.values()],
        };
      });
    },

    /** Builds and keeps the cohort's report from its final state and the answers stored; the first stands. */
    async recordCohortReport(input: {
      cohortWorkflowId: string;
      programId: string;
      status: Omit<CohortStatus, 'open'>;
    }): Promise<{ organisations: number; gatherings: number }> {
      const report = await buildReport(sql, input.cohortWorkflowId, input.programId, input.status);
      await sql`
        insert into cohort_reports (cohort_workflow_id, program_id, report)
        values (${input.cohortWorkflowId}, ${input.programId}, ${sql.json(report as never)})
        on conflict (cohort_workflow_id) do nothing`;
      return { organisations: report.organisations.length, gatherings: report.gatherings.length };
    },
  };
}

async function buildReport(
  sql: Sql,
  workflowId: string,
  programId: string,
  status: Omit<CohortStatus, 'open'>,
): Promise<CohortReport> {
  const answers = await sql<{ step_id: string; answers: Record<string, unknown> }[]>`
    select step_id, answers from form_submissions where workflow_id = ${workflowId}`;
  const names = new Map(
    (
      await sql<{ id: string; name: string }[]>`
        select id::text, name from cohort_organisations where cohort_workflow_id = ${workflowId}`
    ).map((r) => [r.id, r.name]),
  );
  const score = (v: unknown) => (typeof v === 'string' && /^[1-5]$/.test(v) ? Number(v) : undefined);
  const average = (xs: number[]) =>
    xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100 : null;
  const memberOf = new Map(status.organisations.flatMap((o) => o.memberIds.map((m) => [m, o.id] as const)));
  const inCohortAt = (n: number) =>
    status.organisations.filter(
      (o) =>
        o.joinedAt !== undefined &&
        o.joinedAt <= n &&
        (o.state === 'approved' || (o.state === 'withdrawn' && n <= (o.leftAfter ?? 0))),
    );

  const gatherings = status.gatherings.map((g) => {
    const present = g.attendance?.present ?? [];
    const scores = answers
      .filter((a) => a.step_id.startsWith(`gathering-${g.number}/evaluation/`))
      .flatMap((a) => score(a.answers.useful) ?? []);
    return {
      number: g.number,
      date: g.date,
      place: g.place,
      theme: g.theme,
      ...(g.moved ? { movedFrom: g.moved.from } : {}),
      organisationsPresent: new Set(present.map((m) => memberOf.get(m))).size,
      membersPresent: present.length,
      membersInvited: inCohortAt(g.number).reduce((n, o) => n + o.memberIds.length, 0),
      evaluations: scores.length,
      averageScore: average(scores),
    };
  });
  const organisations = status.organisations
    .filter((o) => o.state === 'approved' || o.state === 'withdrawn')
    .map((o) => {
      const homework = status.homework.filter((h) => h.organisationId === o.id);
      const final = answers.find((a) => a.step_id === `final/${o.id}`)?.answers;
      return {
        id: o.id,
        name: names.get(o.id) ?? o.id,
        state: o.state,
        joinedAt: o.joinedAt ?? null,
        gatheringsAttended: status.gatherings.filter((g) =>
          g.attendance?.present.some((m) => memberOf.get(m) === o.id),
        ).length,
        homeworkOnTime: homework.filter((h) => h.deliveredAt && !h.late).length,
        homeworkLate: homework.filter((h) => h.deliveredAt && h.late).length,
        homeworkMissing: homework.filter((h) => !h.deliveredAt).length,
        guidanceSessions: status.guidance.filter((s) => s.organisationId === o.id && s.held).length,
        finalScore: score(final?.overall) ?? null,
        programme: typeof final?.programme === 'string' ? final.programme : null,
      };
    });
  return {
    cohort: status.number,
    programId,
    closedAt: new Date().toISOString(),
    gatherings,
    organisations,
  };
}
