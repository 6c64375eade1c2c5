import { callingWorkflowId } from './context.js';
import type { ApplicationReceipt, FormSubmission } from '../workflows/messages.js';
import type { ActivityDeps } from './index.js';

export interface RecordApplicationInput extends FormSubmission {
  programId: string;
  participantId: string;
  role: 'mentee' | 'mentor';
}

export function createApplicationActivities({ sql }: Pick<ActivityDeps, 'sql'>) {
  return {
    /** Stores the full answers; a retry after a crash finds the row and returns the same receipt. */
    async recordApplication(input: RecordApplicationInput): Promise<ApplicationReceipt> {
      const workflowId = callingWorkflowId();
      const rows = await sql.begin(async (tx) => {
        const name = typeof input.answers.name === 'string' ? input.answers.name : undefined;
        if (name) await tx`update participants set name = ${name} where id = ${input.participantId}`;
        await tx`
          insert into applications (program_id, participant_id, role, workflow_id, submission_id, answers)
          values (${input.programId}, ${input.participantId}, ${input.role}, ${workflowId}, ${input.submissionId},
                  ${tx.json(input.answers)})
          on conflict (workflow_id) do nothing`;
        return tx<{ id: string; submitted_at: Date }[]>`
          select id, submitted_at from applications where workflow_id = ${workflowId}`;
      });
      const row = rows[0];
      if (!row) throw new Error('application row missing after insert');
      return { reference: row.id.slice(0, 8).toUpperCase(), submittedAt: row.submitted_at.toISOString() };
    },
  };
}
