/**
 * The coordinator records an interview's outcome on the programme page: accepted to the pool, or
 * declined with a reason the applicant is told. It reaches the applicant's workflow as the
 * `recordInterview` Update with the coordinator's user id.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { TFunction } from 'i18next';
import { z } from 'zod';
import { pickLanguage, translator } from '../../platform/i18n.js';
import { basePath } from '../../platform/links.js';
import { recordInterview } from '../../workflows/messages.js';
import { programPageBuilder } from './programs.js';
import { refusalText } from '../refusals.js';

/** The interview form's schema, its messages in the coordinator's language. */
const interviewSchema = (t: TFunction) =>
  z
    .object({
      workflowId: z.string().min(1).max(200),
      outcome: z.enum(['accepted', 'declined'], { message: t('admin.interview.chooseOutcome') }),
      reason: z.string().max(2000, t('admin.interview.reasonTooLong')).default(''),
      notes: z.string().max(5000, t('admin.interview.notesTooLong')).default(''),
      _csrf: z.string().optional(),
    })
    .strict()
    .refine((i) => i.outcome === 'accepted' || i.reason.trim() !== '', {
      path: ['reason'],
      message: t('admin.interview.reasonNeeded'),
    });

export async function interviewRoutes(app: FastifyInstance) {
  const { sql, temporal, config } = app.services;
  const programPage = programPageBuilder(app);

  app.post<{ Params: { programId: string }; Body: Record<string, unknown> }>(
    '/programs/:programId/interviews',
    {
      config: { access: 'program-coordinator' },
      schema: {
        params: {
          type: 'object',
          required: ['programId'],
          properties: { programId: { type: 'string', maxLength: 63 } },
        },
      },
    },
    async (request, reply) => {
      const { programId } = request.params;
      const t = translator(pickLanguage(request.pageContext.lang));
      const again = async (status: number, interviewError: string) => {
        const page = await programPage(programId, {
          canCoordinate: true,
          interviewError,
          interviewValues: request.body,
        });
        return page ? reply.page('admin-program', page, status) : reply.callNotFound();
      };
      const parsed = interviewSchema(t).safeParse(request.body ?? {});
      if (!parsed.success)
        return again(400, parsed.error.issues[0]?.message ?? t('admin.interview.checkForm'));
      const { workflowId, outcome, reason, notes } = parsed.data;
      // Only an applicant of this programme: the coordinator's role covers this programme alone.
      const [application] = await sql`
        select 1 from applications where workflow_id = ${workflowId} and program_id = ${programId}`;
      if (!application) return again(404, t('admin.interview.noSuchApplication'));
      try {
        await temporal.workflow.getHandle(workflowId).executeUpdate(recordInterview, {
          args: [{ outcome, reason, notes, by: { userId: request.adminUser!.id } }],
        });
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) return again(409, refusalText(t, err));
        if (err instanceof WorkflowNotFoundError) return again(409, t('admin.interview.closed'));
        throw err;
      }
      // The workflow took it: the programme page shows it from here on (the first record stands, as there).
      await sql`
        insert into interview_records (workflow_id, program_id, outcome, reason, notes, recorded_by)
        values (${workflowId}, ${programId}, ${outcome}, ${reason}, ${notes}, ${request.adminUser!.id})
        on conflict (workflow_id) do nothing`;
      request.log.info(
        { programId, outcome, by: request.adminUser!.id },
        'coordinator recorded an interview',
      );
      return reply.redirect(
        `${basePath(config.publicUrl)}admin/programs/${programId}?done=interviewed#applications-heading`,
        303,
      );
    },
  );
}
