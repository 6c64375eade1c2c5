/**
 * Form steps opened from emailed links (`/f/<token>`). The workflow says which step is open and which
 * form version it pinned; the answer goes back to it as the `submitStep` Update, whose id is derived
 * from the link's step, so a form sent twice gets the first answer.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { localize, parseSubmission } from '../../forms/definition.js';
import { loadForm } from '../../lib/form-store.js';
import { progressOf, type Progress } from './progress.js';
import { basePath } from '../../lib/links.js';
import {
  relationshipStatus,
  STEP_ALREADY_ANSWERED,
  STEP_NOT_OPEN,
  submitStep,
  type OpenStep,
} from '../../workflows/messages.js';
import { envelope, MISSING_SUBMISSION_ID, showForm } from './form-page.js';
import { pickLanguage } from '../../lib/i18n.js';

const tokenParams = { type: 'object', properties: { token: { type: 'string', maxLength: 1024 } } } as const;

export async function stepRoutes(app: FastifyInstance) {
  const { signer, temporal, sql, config } = app.services;

  const message = (reply: FastifyReply, status: number, title: string, paragraphs: string[]) =>
    reply.page('message', { title, paragraphs }, status);
  const alreadyAnswered = (reply: FastifyReply, status = 200) =>
    message(reply, status, 'We already have your answer', [
      'Thank you. This form has been answered, and the first answer stands.',
    ]);
  const notOpen = (reply: FastifyReply) =>
    message(reply, 410, 'This form is no longer open', [
      'The programme has moved on. If you think this is wrong, contact your programme coordinator.',
    ]);

  /** The link's claims, the open step it names and its programme, or a reply explaining why not. */
  async function resolve(token: string, reply: FastifyReply) {
    const verified = signer.verify(token, 'form');
    if (!verified.ok) {
      if (verified.reason === 'expired') {
        return {
          reply: message(reply, 410, 'This link has expired', [
            'Ask your programme coordinator for a new link.',
          ]),
        };
      }
      return {
        reply: message(reply, 404, 'This link is not valid', [
          'Open it again from your email, or copy the whole address.',
        ]),
      };
    }
    const claims = verified.claims;
    let open: OpenStep | undefined;
    let programId: string;
    let progress: Progress;
    try {
      const status = await temporal.workflow.getHandle(claims.wf).query(relationshipStatus);
      open = status.open.find((s) => s.stepId === claims.step && s.role === claims.role);
      programId = status.programId;
      progress = progressOf(status);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError)
        return { reply: message(reply, 404, 'This link is not valid', ['The link may be incomplete.']) };
      throw err;
    }
    if (!open) {
      const [answered] =
        await sql`select 1 from form_submissions where workflow_id = ${claims.wf} and step_id = ${claims.step}`;
      return { reply: answered ? alreadyAnswered(reply) : notOpen(reply) };
    }
    const form = await loadForm(sql, programId, { id: open.formId, version: open.formVersion });
    if (!form)
      throw new Error(`form ${open.formId} v${open.formVersion} is not known to this version of the app`);
    const [program] = await sql<
      { name: string; language: string }[]
    >`select name, language from programs where id = ${programId}`;
    return { claims, open, form, progress, program: program ?? { name: programId, language: 'en' } };
  }

  const action = (token: string) => `${basePath(config.publicUrl)}f/${token}`;

  app.get<{ Params: { token: string }; Querystring: { lang?: string } }>(
    '/f/:token',
    { schema: { params: tokenParams } },
    async (request, reply) => {
      const step = await resolve(request.params.token, reply);
      if ('reply' in step) return step.reply;
      return showForm(reply, {
        lang: pickLanguage(request.query.lang, step.program.language),
        form: step.form,
        program: step.program,
        progress: step.progress,
        action: action(request.params.token),
        submitLabel: 'chrome.send',
      });
    },
  );

  app.post<{ Params: { token: string }; Body: Record<string, unknown> }>(
    '/f/:token',
    { schema: { params: tokenParams } },
    async (request, reply) => {
      const step = await resolve(request.params.token, reply);
      if ('reply' in step) return step.reply;
      const { claims, open, form, program } = step;
      const { submissionId, lang: chosen, answers } = envelope(request.body);
      const lang = pickLanguage(chosen, program.language);
      const parsed = parseSubmission(localize(form, lang), answers, lang);
      if (!parsed.ok || !submissionId) {
        const formErrors = parsed.ok ? [] : [...parsed.formErrors];
        if (!submissionId) formErrors.push(MISSING_SUBMISSION_ID);
        return showForm(reply, {
          lang,
          form,
          program,
          progress: step.progress,
          action: action(request.params.token),
          submitLabel: 'chrome.send',
          values: parsed.values,
          errors: parsed.ok ? {} : parsed.errors,
          formErrors,
          submissionId,
          status: 400,
        });
      }
      try {
        await temporal.workflow.getHandle(claims.wf).executeUpdate(submitStep, {
          updateId: `step:${claims.step}`,
          args: [
            {
              stepId: open.stepId,
              role: open.role,
              submissionId,
              formId: form.id,
              formVersion: form.version,
              answers: parsed.values,
            },
          ],
        });
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError && err.cause?.message === STEP_ALREADY_ANSWERED)
          return alreadyAnswered(reply, 409);
        if (err instanceof WorkflowUpdateFailedError && err.cause?.message === STEP_NOT_OPEN)
          return notOpen(reply);
        throw err;
      }
      return message(reply, 200, 'Thank you, your answer is in', [
        'The programme group has received it. You can close this page.',
      ]);
    },
  );
}
