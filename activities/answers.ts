import { callingWorkflowId } from './context.js';
import type {
  ApplicationReceipt,
  FormSubmission,
  StepReceipt,
  StepSubmission,
} from '../workflows/messages.js';
import type { ActivityDeps } from './index.js';

export interface RecordApplicationInput extends FormSubmission {
  programId: string;
  participantId: string;
  role: 'mentee' | 'mentor';
  /** The row's id and time when the workflow made the receipt itself (its first 8 hex digits are the reference). */
  id?: string;
  submittedAt?: string;
}

export function createAnswerActivities({ sql }: Pick<ActivityDeps, 'sql'>) {
  return {
    /** Stores the full answers; a retry after a crash finds the row and returns the same receipt. */
    async recordApplication(input: RecordApplicationInput): Promise<ApplicationReceipt> {
      const workflowId = callingWorkflowId();
      const rows = await sql.begin(async (tx) => {
        const name = typeof input.answers.name === 'string' ? input.answers.name : undefined;
        if (name) await tx`update participants set name = ${name} where id = ${input.participantId}`;
        await tx`
          insert into applications (id, program_id, participant_id, role, workflow_id, submission_id, answers,
                                    submitted_at)
          values (coalesce(${input.id ?? null}::uuid, gen_random_uuid()), ${input.programId}, ${input.participantId},
                  ${input.role}, ${workflowId}, ${input.submissionId}, ${tx.json(input.answers)},
                  coalesce(${input.submittedAt ?? null}::timestamptz, now()))
          on conflict (workflow_id) do nothing`;
        return tx<{ id: string; submitted_at: Date }[]>`
          select id, submitted_at from applications where workflow_id = ${workflowId}`;
      });
      const row = rows[0];
      if (!row) throw new Error('application row missing after insert');
      return { reference: row.id.slice(0, 8).toUpperCase(), submittedAt: row.submitted_at.toISOString() };
    },

    /** Records how a relationship ended; the first record stands. */
    async recordOutcome(input: {
      programId: string;
      outcome: string;
      meetingsPlanned: number;
      meetingsHeld: number;
      /** Meetings the pair moved and cancelled; none when absent (relationships from before they could). */
      meetingsMoved?: number;
      meetingsCancelled?: number;
      /** Meetings counted as missed; absent from relationships that did not count them (null). */
      meetingsMissed?: number;
    }) {
      await sql`
        insert into relationship_outcomes
          (workflow_id, program_id, outcome, meetings_planned, meetings_held, meetings_moved, meetings_cancelled,
           meetings_missed)
        values (${callingWorkflowId()}, ${input.programId}, ${input.outcome}, ${input.meetingsPlanned},
                ${input.meetingsHeld}, ${input.meetingsMoved ?? 0}, ${input.meetingsCancelled ?? 0},
                ${input.meetingsMissed ?? null})
        on conflict (workflow_id) do nothing`;
    },

    /**
     * Stores a form step's answers whole, at the time of the workflow's receipt when it made one; the
     * first answer stands, so a retry returns the same receipt.
     */
    async recordStepAnswers(input: StepSubmission & { submittedAt?: string }): Promise<StepReceipt> {
      const workflowId = callingWorkflowId();
      await sql`
        insert into form_submissions (workflow_id, step_id, role, form_id, form_version, submission_id, answers,
                                      submitted_at)
        values (${workflowId}, ${input.stepId}, ${input.role}, ${input.formId}, ${input.formVersion},
                ${input.submissionId}, ${sql.json(input.answers)},
                coalesce(${input.submittedAt ?? null}::timestamptz, now()))
        on conflict (workflow_id, step_id) do nothing`;
      const [row] = await sql<{ submitted_at: Date }[]>`
        select submitted_at from form_submissions where workflow_id = ${workflowId} and step_id = ${input.stepId}`;
      if (!row) throw new Error('form submission missing after insert');
      return { stepId: input.stepId, submittedAt: row.submitted_at.toISOString() };
    },
  };
}
