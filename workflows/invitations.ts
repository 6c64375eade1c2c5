/**
 * People invited through the integration API (an HR export, say) are each emailed a link to the
 * programme's application form: the mentee form or the mentor form. The input names invitations by id
 * and role only; the email activity reads names and addresses from the database, so none of them enter
 * history. The workflow id is `invitations-<programme>-<random uuid>`, which names no one either.
 */
import { ActivityFailure, ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import { activities } from './activities.js';

export interface InvitationsInput {
  programId: string;
  invitations: { invitationId: string; role: 'mentee' | 'mentor' }[];
}

export interface InvitationsResult {
  sent: number;
  /** Invitations erased before their email went out. */
  gone: number;
}

/** Emails sent side by side: a batch of 500 finishes in minutes, and history stays small. */
const BATCH = 20;

export async function invitationsWorkflow(input: InvitationsInput): Promise<InvitationsResult> {
  const { workflowId } = workflowInfo();
  const result: InvitationsResult = { sent: 0, gone: 0 };
  for (let i = 0; i < input.invitations.length; i += BATCH) {
    await Promise.all(
      input.invitations.slice(i, i + BATCH).map(({ invitationId, role }) =>
        activities
          .sendEmail({
            key: `${workflowId}/${invitationId}`,
            template: 'invitation',
            to: { invitationId },
            programId: input.programId,
            adminPaths: {
              applyUrl: `programs/${input.programId}/${role === 'mentor' ? 'mentor' : 'apply'}`,
            },
          })
          .then(
            () => void result.sent++,
            (err: unknown) => {
              // An invitation erased in the meantime is no reason to stop the others.
              if (
                err instanceof ActivityFailure &&
                err.cause instanceof ApplicationFailure &&
                err.cause.type === 'RecipientGone'
              )
                return void result.gone++;
              throw err;
            },
          ),
      ),
    );
  }
  return result;
}
