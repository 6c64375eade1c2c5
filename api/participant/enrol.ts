/**
 * The learning network's public enrolment form: an organisation enrols its project group in the
 * programme's newest cohort. The answers go to the cohort's workflow as the `enrolOrganisation` Update,
 * whose id comes from the form's submission id, so the same form sent twice enrols once.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import rateLimit from '@fastify/rate-limit';
import { sharedRateLimits } from '../plugins/rate-limit-store.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { localize, parseSubmission, type FormDefinition } from '../../domain/forms/definition.js';
import { parseGroupMembers } from '../../domain/cohort-members.js';
import { currentForm } from '../../services/form-store.js';
import { pickLanguage, translator, type Language } from '../../platform/i18n.js';
import { basePath } from '../../platform/links.js';
import { COHORT_FORMS, enrolOrganisation } from '../../workflows/cohort-messages.js';
import { Refusal } from '../../workflows/refusals.js';
import { refusalType } from '../refusals.js';
import {
  envelope,
  keepTyped,
  formErrorsOf,
  publicFormRateLimit,
  receiptWithin,
  showForm,
  type FormPage,
} from './form-page.js';
import { patiently } from '../../platform/unavailable.js';

const params = {
  type: 'object',
  required: ['programId'],
  properties: { programId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' } },
} as const;

interface Program {
  id: string;
  name: string;
  language: string;
  cohort: string | null;
}

export async function enrolmentRoutes(app: FastifyInstance) {
  const { sql, temporal, config } = app.services;
  await app.register(rateLimit, { global: false, store: sharedRateLimits(app.services.sql) });

  async function findProgram(id: string): Promise<Program | undefined> {
    const [program] = await sql<Program[]>`
      select p.id, p.name, p.language,
             (select workflow_id from cohorts c where c.program_id = p.id order by number desc limit 1) as cohort
      from programs p where p.id = ${id}`;
    return program;
  }
  const closed = (reply: FastifyReply, program: Program, status: number) =>
    reply.message(status, 'enrolmentClosed', { programme: program.name });
  const pageOf = (program: Program, lang: Language, form: FormDefinition): FormPage => ({
    lang,
    form,
    program,
    action: `${basePath(config.publicUrl)}programs/${program.id}/enrol`,
    submitLabel: 'chrome.send',
  });
  const show = async (
    reply: FastifyReply,
    program: Program,
    lang: Language,
    opts: Pick<FormPage, 'values' | 'errors' | 'formErrors' | 'submissionId' | 'status'> = {},
  ) =>
    showForm(reply, {
      ...pageOf(program, lang, (await currentForm(sql, program.id, COHORT_FORMS.enrolment))!),
      ...opts,
    });

  app.get<{ Params: { programId: string }; Querystring: { lang?: string } }>(
    '/programs/:programId/enrol',
    { schema: { params } },
    async (request, reply) => {
      const program = await findProgram(request.params.programId);
      if (!program) return reply.callNotFound();
      const lang = pickLanguage(request.query.lang, program.language);
      request.pageContext.lang = lang;
      if (!program.cohort) return closed(reply, program, 200);
      return show(reply, program, lang);
    },
  );

  app.post<{ Params: { programId: string }; Body: Record<string, unknown> }>(
    '/programs/:programId/enrol',
    {
      schema: { params },
      // A public form that emails the address typed in and grows a cohort's history: a few an hour per
      // address and programme is plenty for organisations, and little for anyone scripting it.
      config: {
        rateLimit: publicFormRateLimit(20),
      },
    },
    async (request, reply) => {
      const program = await findProgram(request.params.programId);
      if (!program) return reply.callNotFound();
      const { submissionId, lang: chosen, answers } = envelope(request.body);
      const lang = pickLanguage(chosen, program.language);
      request.pageContext.lang = lang;
      if (!program.cohort) return closed(reply, program, 403);

      const form = (await currentForm(sql, program.id, COHORT_FORMS.enrolment))!;
      const parsed = parseSubmission(localize(form, lang), answers, lang);
      // The project group's lines must each be a name and an address, which the form's kinds cannot say.
      const group = parseGroupMembers(typeof parsed.values.members === 'string' ? parsed.values.members : '');
      const errors = parsed.ok ? {} : { ...parsed.errors };
      if ('badLine' in group)
        errors.members = translator(lang)('validation.groupMember', { line: group.badLine });
      if (!parsed.ok || 'badLine' in group || !submissionId) {
        return show(reply, program, lang, {
          values: parsed.values,
          errors,
          formErrors: formErrorsOf(parsed, submissionId, lang),
          submissionId,
          status: 400,
        });
      }
      keepTyped(request, pageOf(program, lang, form), answers, submissionId);
      try {
        const cohort = temporal.workflow.getHandle(program.cohort);
        const update = await patiently(() =>
          cohort.startUpdate(enrolOrganisation, {
            waitForStage: 'ACCEPTED',
            updateId: `enrol-${submissionId}`,
            args: [{ submissionId, formId: form.id, formVersion: form.version, answers: parsed.values }],
          }),
        );
        await receiptWithin(update.result());
      } catch (err) {
        const refused =
          err instanceof WorkflowUpdateFailedError && refusalType(err) === Refusal.enrolmentClosed;
        if (refused || err instanceof WorkflowNotFoundError) return closed(reply, program, 403);
        throw err;
      }
      return reply.message(200, 'enrolmentReceived', { programme: program.name });
    },
  );
}
