/**
 * A participant asked, through their status link, for the data held about them: it is gathered and
 * emailed to them (the activity reads it, so it never enters history). The workflow id names the person
 * and the day, so asking again the same day sends nothing more.
 */
import { workflowInfo } from '@temporalio/workflow';
import { activities } from './activities.js';

export async function dataExportWorkflow(input: { participantId: string; programId: string }): Promise<void> {
  await activities.sendEmail({
    key: `${workflowInfo().workflowId}/email`,
    template: 'data-export',
    to: { participantId: input.participantId },
    programId: input.programId,
    exportOf: input.participantId,
  });
}
