/**
 * The small workflows, activities stubbed: invitations emailed in batches (an erased invitation is
 * counted, any other failure fails the batch), a participant's data export, the retention sweep and the
 * history archive.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, type Workflow } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { historyArchiveWorkflow } from '../../workflows/archive.js';
import type { dataExportWorkflow } from '../../workflows/data-export.js';
import type { invitationsWorkflow } from '../../workflows/invitations.js';
import type { retentionSweepWorkflow } from '../../workflows/retention.js';
import { useWorkflowTestEnv, testServer } from './support/env.js';
import { newProgramme } from './support/participants.js';

describe.skipIf(!testServer)('invitations, data export, retention and archive workflows', () => {
  const t = useWorkflowTestEnv();

  const start = <W extends Workflow>(type: string, args: Parameters<W>) =>
    t.client.workflow.start<W>(type, {
      workflowId: `${type}-${randomUUID()}`,
      taskQueue: t.taskQueue,
      args: args as never,
    });

  it('emails every invitation, counting those erased meanwhile', async () => {
    const programId = newProgramme();
    t.stubs.override({
      sendEmail: async (input) => {
        if ('invitationId' in input.to && input.to.invitationId === 'inv-7')
          throw ApplicationFailure.nonRetryable('invitations inv-7 not found', 'RecipientGone');
        return 'sent';
      },
    });
    const invitations = Array.from({ length: 25 }, (_, i) => ({
      invitationId: `inv-${i}`,
      role: i % 2 ? ('mentor' as const) : ('mentee' as const),
    }));
    const handle = await start<typeof invitationsWorkflow>('invitationsWorkflow', [
      { programId, invitations },
    ]);
    expect(await handle.result()).toEqual({ sent: 24, gone: 1 });
    const emails = t.stubs.emails(handle.workflowId);
    expect(emails).toHaveLength(25);
    expect(new Set(emails.map((e) => e.key)).size).toBe(25);
    expect(emails.find((e) => e.key.endsWith('/inv-1'))).toMatchObject({
      template: 'invitation',
      to: { invitationId: 'inv-1' },
      adminPaths: { applyUrl: `programs/${programId}/mentor` },
    });
    expect(emails.find((e) => e.key.endsWith('/inv-2'))?.adminPaths).toEqual({
      applyUrl: `programs/${programId}/apply`,
    });
  });

  it('fails the invitations on any other email failure', async () => {
    t.stubs.override({
      sendEmail: async () => {
        throw ApplicationFailure.nonRetryable('template missing', 'TemplateMissing');
      },
    });
    const handle = await start<typeof invitationsWorkflow>('invitationsWorkflow', [
      { programId: newProgramme(), invitations: [{ invitationId: 'inv-1', role: 'mentee' }] },
    ]);
    const err = await handle.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
  });

  it('emails a participant their data, read by the activity', async () => {
    const participantId = randomUUID();
    const programId = newProgramme();
    const handle = await start<typeof dataExportWorkflow>('dataExportWorkflow', [
      { participantId, programId },
    ]);
    await handle.result();
    expect(t.stubs.emails(handle.workflowId)).toEqual([
      {
        key: `${handle.workflowId}/email`,
        template: 'data-export',
        to: { participantId },
        programId,
        exportOf: participantId,
      },
    ]);
  });

  it('returns what the retention sweep erased', async () => {
    t.stubs.override({ sweepRetention: async () => ({ erased: 3, failed: 1 }) });
    const handle = await start<typeof retentionSweepWorkflow>('retentionSweepWorkflow', []);
    expect(await handle.result()).toEqual({ erased: 3, failed: 1 });
    expect(t.stubs.of(handle.workflowId).map((c) => c.name)).toEqual(['sweepRetention']);
  });

  it('archives the closed runs of its own task queue', async () => {
    t.stubs.override({ archiveHistories: async () => ({ archived: 12 }) });
    const handle = await start<typeof historyArchiveWorkflow>('historyArchiveWorkflow', []);
    expect(await handle.result()).toEqual({ archived: 12 });
    expect(t.stubs.of(handle.workflowId).map((c) => c.input)).toEqual([{ taskQueue: t.taskQueue }]);
  });
});
