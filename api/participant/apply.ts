/**
 * The public application form of a programme. A valid submission starts the applicant's relationship
 * workflow and delivers the answers to it in one call (update-with-start): the same form sent twice
 * starts one workflow and gets one answer.
 */
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { parseSubmission, type FieldErrors, type FormValues } from '../../forms/definition.js';
import { menteeApplication } from '../../forms/mentee-application.js';
import { formView } from '../../forms/view-model.js';
import { basePath } from '../../lib/links.js';
import { ALREADY_APPLIED, submitApplication, type ApplicationReceipt } from '../../workflows/messages.js';
import type { relationshipWorkflow } from '../../workflows/relationship.js';
import { Phase, ProgramId, WaitingFor } from '../../workflows/search-attributes.js';

const SUBMISSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** How long the participant's browser waits for the workflow's receipt before being told it will follow. */
const RECEIPT_WAIT_MS = 10_000;

interface Program {
  id: string;
  name: string;
  language: string;
  applications_open: boolean;
}

const params = {
  type: 'object',
  required: ['programId'],
  properties: { programId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' } },
} as const;

export async function applicationRoutes(app: FastifyInstance) {
  const { sql, temporal, taskQueue } = app.services;

  async function findProgram(id: string): Promise<Program | undefined> {
    const [program] = await sql<Program[]>`
      select id, name, language, applications_open from programs where id = ${id}`;
    return program;
  }

  function showForm(
    reply: FastifyReply,
    program: Program,
    opts: {
      values?: FormValues;
      errors?: FieldErrors;
      formErrors?: string[];
      submissionId?: string;
      status?: number;
    } = {},
  ) {
    return reply.page(
      'apply',
      {
        title: menteeApplication.title,
        lang: program.language,
        program,
        form: formView(menteeApplication, opts.values, opts.errors, opts.formErrors),
        action: `${basePath(app.services.config.publicUrl)}programs/${program.id}/apply`,
        hidden: [{ name: 'submissionId', value: opts.submissionId ?? randomUUID() }],
        submitLabel: 'Send my application',
      },
      opts.status ?? 200,
    );
  }

  function closed(reply: FastifyReply, program: Program, status: number) {
    return reply.page(
      'message',
      { title: 'Applications are closed', paragraphs: [`${program.name} does not take applications now.`] },
      status,
    );
  }

  app.get<{ Params: { programId: string } }>(
    '/programs/:programId/apply',
    { schema: { params } },
    async (request, reply) => {
      const program = await findProgram(request.params.programId);
      if (!program) return reply.callNotFound();
      if (!program.applications_open) return closed(reply, program, 200);
      return showForm(reply, program);
    },
  );

  app.post<{ Params: { programId: string }; Body: Record<string, unknown> }>(
    '/programs/:programId/apply',
    { schema: { params } },
    async (request, reply) => {
      const program = await findProgram(request.params.programId);
      if (!program) return reply.callNotFound();
      if (!program.applications_open) return closed(reply, program, 403);

      const { submissionId, ...answers } = request.body ?? {};
      const parsed = parseSubmission(menteeApplication, answers);
      const validId = typeof submissionId === 'string' && SUBMISSION_ID.test(submissionId);
      if (!parsed.ok || !validId) {
        const formErrors = parsed.ok ? [] : [...parsed.formErrors];
        if (!validId)
          formErrors.push('The form was missing its submission code. Check your answers and send it again.');
        return showForm(reply, program, {
          values: parsed.values,
          errors: parsed.ok ? {} : parsed.errors,
          formErrors,
          submissionId: validId ? submissionId : undefined,
          status: 400,
        });
      }

      const email = String(parsed.values.email).toLowerCase();
      const [participant] = await sql<{ id: string }[]>`
        insert into participants (program_id, email, name) values (${program.id}, ${email}, ${String(parsed.values.name)})
        on conflict (program_id, email) do update set email = excluded.email
        returning id`;
      const participantId = participant!.id;

      let receipt: ApplicationReceipt | undefined;
      try {
        const handle = await temporal.workflow.startUpdateWithStart(submitApplication, {
          args: [
            {
              submissionId,
              formId: menteeApplication.id,
              formVersion: menteeApplication.version,
              answers: parsed.values,
            },
          ],
          updateId: `application-${submissionId}`,
          waitForStage: 'ACCEPTED',
          startWorkflowOperation: new WithStartWorkflowOperation<typeof relationshipWorkflow>(
            'relationshipWorkflow',
            {
              workflowId: `relationship-${program.id}-${participantId}`,
              taskQueue,
              args: [{ programId: program.id, participantId }],
              workflowIdConflictPolicy: 'USE_EXISTING',
              typedSearchAttributes: [
                { key: ProgramId, value: program.id },
                { key: Phase, value: 'application' },
                { key: WaitingFor, value: 'participant' },
              ],
            },
          ),
        });
        // Accepted means durable: the workflow has it. The receipt normally follows within a second.
        receipt = await Promise.race([
          handle.result(),
          new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), RECEIPT_WAIT_MS).unref()),
        ]);
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError && err.cause?.message === ALREADY_APPLIED) {
          return reply.page(
            'apply-received',
            { title: 'Already received', program, alreadyReceived: true },
            409,
          );
        }
        throw err;
      }
      return reply.page(
        'apply-received',
        { title: 'Application received', program, receipt },
        receipt ? 200 : 202,
      );
    },
  );
}
