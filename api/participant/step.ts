/**
 * Form steps opened from emailed links (`/f/<token>`). The workflow says which step is open and which
 * form version it pinned; the answer goes back to it as the `submitStep` Update, whose id is the link's
 * step and the rendered form's submission id (`step:<step>:<submission>`): the same form sent twice (a
 * double click, a resend) is one Update, and a second, different answer is turned away by the
 * workflow's validator, so the first answer stands.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/workflow';
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  fieldsOf,
  localize,
  parseSubmission,
  type FormDefinition,
  type FormValues,
} from '../../domain/forms/definition.js';
import { forProgramme, notAhead } from '../../domain/forms/for-programme.js';
import { translator, type Language } from '../../platform/i18n.js';
import { loadForm } from '../../services/form-store.js';
import { progressOf } from './progress.js';
import { basePath } from '../../platform/links.js';
import { cohortStatus } from '../../workflows/cohort-messages.js';
import {
  relationshipStatus,
  submitStep,
  type OpenStep,
  type RelationshipStatus,
} from '../../workflows/messages.js';
import { Refusal } from '../../workflows/refusals.js';
import { refusalType } from '../refusals.js';
import { linkedPage, rememberLanguage } from './language.js';
import { keepChosenLanguage } from './language-choice.js';
import { envelope, keepTyped, formErrorsOf, receiptWithin, showForm, type FormPage } from './form-page.js';
import { patiently } from '../../platform/unavailable.js';
import { statusOf } from '../../services/workflow-status.js';

const tokenParams = { type: 'object', properties: { token: { type: 'string', maxLength: 1024 } } } as const;

export async function stepRoutes(app: FastifyInstance) {
  const { signer, temporal, sql, config } = app.services;

  const alreadyAnswered = (reply: FastifyReply, status = 200) => reply.message(status, 'alreadyAnswered');
  const notOpen = (reply: FastifyReply) => reply.message(410, 'notOpen');

  /**
   * The link's claims, the open step it names, its programme and the person's language (`chosen` on the
   * page, else their own, else the programme's), or a reply explaining why not.
   */
  async function resolve(token: string, reply: FastifyReply, chosen: unknown) {
    const verified = signer.verify(token, 'form');
    if (!verified.ok)
      return {
        reply: reply.message(
          verified.reason === 'expired' ? 410 : 404,
          verified.reason === 'expired' ? 'linkExpired' : 'linkInvalid',
        ),
      };
    const claims = verified.claims;
    const handle = temporal.workflow.getHandle(claims.wf);
    // A relationship tells its open steps with where the pair stands; a cohort tells them with its own.
    let steps: { programId: string; open: OpenStep[] };
    let relationship: RelationshipStatus | undefined;
    // Kept a few seconds (plugins/short-memory.ts): a page opened, reloaded and sent asks Temporal once.
    // Only a kept status that shows the link's step open is taken: one that does not may be from before
    // the step opened, so the workflow is asked.
    const showsStep = (status: { open: OpenStep[] }) =>
      status.open.find((s) => s.stepId === claims.step && s.role === claims.role);
    const published = <T extends { open: OpenStep[] }>(query: QueryDefinition<T>) =>
      app.memory.linkedStatuses.get(claims.wf, () => statusOf(handle, query), { usable: showsStep });
    try {
      if (claims.role === 'member') steps = await published(cohortStatus);
      else steps = relationship = await published(relationshipStatus);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { reply: reply.message(404, 'linkInvalid') };
      throw err;
    }
    const open = showsStep(steps);
    const { programId } = steps;
    const progress = relationship && progressOf(relationship);
    const { program, participant, lang, timeZone } = await linkedPage(
      sql,
      claims,
      relationship ?? { programId },
      chosen,
      open,
      app.memory.programmes,
    );
    reply.request.pageContext.lang = lang;
    reply.request.pageContext.timeZone = timeZone;
    if (!open) {
      const [answered] =
        await sql`select 1 from form_submissions where workflow_id = ${claims.wf} and step_id = ${claims.step}`;
      return { reply: answered ? alreadyAnswered(reply) : notOpen(reply) };
    }
    // A form version never changes once saved: it is kept (a version not found is asked again).
    const pinned = await app.memory.formVersions.get(
      `${programId} ${open.formId} ${open.formVersion}`,
      () => loadForm(sql, programId, { id: open.formId, version: open.formVersion }),
      { until: (found) => (found ? undefined : 0) },
    );
    if (!pinned)
      throw new Error(`form ${open.formId} v${open.formVersion} is not known to this version of the app`);
    const form = forProgramme(pinned, relationship?.settings);
    return {
      claims,
      open,
      form,
      progress,
      lang,
      participant,
      timeZone: relationship?.settings?.timeZone ?? 'UTC',
      shared: await sharedAnswers(claims.wf, claims.step, claims.role, form),
      program: program ?? { name: programId, language: 'en' },
    };
  }

  /**
   * What the other of the pair answered in the sections the two answer together (their meeting plan in
   * the agreement), when they answered first: the page fills it in, to be confirmed or changed.
   */
  async function sharedAnswers(wf: string, step: string, role: string, form: FormDefinition) {
    const names = form.sections.filter((s) => s.shared).flatMap((s) => s.fields.map((f) => f.name));
    const other = role === 'mentee' ? 'mentor' : role === 'mentor' ? 'mentee' : undefined;
    if (!names.length || !other || !step.endsWith(`/${role}`)) return undefined;
    const [row] = await sql<{ answers: Record<string, unknown> }[]>`
      select answers from form_submissions
      where workflow_id = ${wf} and step_id = ${`${step.slice(0, -role.length)}${other}`}`;
    if (!row) return undefined;
    const kept = new Set(fieldsOf(form).map((f) => f.name));
    const values: FormValues = {};
    for (const name of names) {
      const v = row.answers[name];
      if (kept.has(name) && (typeof v === 'string' || typeof v === 'boolean' || Array.isArray(v)))
        values[name] = v as FormValues[string];
    }
    return { from: other as 'mentee' | 'mentor', values };
  }

  /** The note over the filled-in plan: who proposed it, and that the later answer stands. */
  const sharedNote = (lang: Language, from: 'mentee' | 'mentor') =>
    translator(lang)(from === 'mentor' ? 'chrome.sharedFromMentor' : 'chrome.sharedFromMentee');

  /** The form page of a resolved link. */
  const pageOf = (
    {
      lang,
      form,
      program,
      progress,
      participant,
      timeZone,
      shared,
    }: Exclude<Awaited<ReturnType<typeof resolve>>, { reply: unknown }>,
    token: string,
  ): FormPage => ({
    lang,
    form,
    program,
    progress,
    timeZone,
    ...(shared ? { values: shared.values, sharedNote: sharedNote(lang, shared.from) } : {}),
    action: `${basePath(config.publicUrl)}f/${token}`,
    submitLabel: 'chrome.send',
    languageAction: participant ? `${basePath(config.publicUrl)}f/${token}/language` : undefined,
  });

  app.get<{ Params: { token: string }; Querystring: { lang?: string } }>(
    '/f/:token',
    { schema: { params: tokenParams } },
    async (request, reply) => {
      const step = await resolve(request.params.token, reply, request.query.lang);
      if ('reply' in step) return step.reply;
      // Answered a moment ago: the receipt is out, the answer on its way to the database. (A POST goes on
      // to the workflow, which knows the same answer sent twice from a second one.)
      if (step.open.answered) return alreadyAnswered(reply);
      return showForm(reply, pageOf(step, request.params.token));
    },
  );

  // Keeping a language for the person's pages and emails without sending the form (see language-choice.ts).
  app.post<{ Params: { token: string }; Body: unknown }>(
    '/f/:token/language',
    { schema: { params: tokenParams } },
    async (request, reply) => {
      const step = await resolve(request.params.token, reply, undefined);
      if ('reply' in step) return step.reply;
      const page = `${basePath(config.publicUrl)}f/${request.params.token}`;
      return keepChosenLanguage(sql, reply, step.participant, request.body, page);
    },
  );

  app.post<{ Params: { token: string }; Body: Record<string, unknown> }>(
    '/f/:token',
    { schema: { params: tokenParams } },
    async (request, reply) => {
      const { submissionId, lang: chosen, answers } = envelope(request.body);
      const step = await resolve(request.params.token, reply, chosen);
      if ('reply' in step) return step.reply;
      const { claims, open, form, lang } = step;
      request.changesWorkflow = claims.wf;
      const localized = localize(form, lang);
      const parsed = parseSubmission(localized, answers, lang);
      // A date that must lie ahead (a first meeting) is checked on the clock the page named.
      if (parsed.ok) {
        const t = translator(lang);
        const late = notAhead(localized, parsed.values, step.timeZone, Date.now());
        if (late.length) {
          const labels = new Map(fieldsOf(localized).map((f) => [f.name, f.label]));
          return showForm(reply, {
            ...pageOf(step, request.params.token),
            values: answers as FormValues,
            errors: Object.fromEntries(
              late.map((name) => [name, t('validation.ahead', { label: labels.get(name) })]),
            ),
            submissionId,
            status: 400,
          });
        }
      }
      if (!parsed.ok || !submissionId) {
        return showForm(reply, {
          ...pageOf(step, request.params.token),
          values: parsed.values,
          errors: parsed.ok ? {} : parsed.errors,
          formErrors: formErrorsOf(parsed, submissionId, lang),
          submissionId,
          status: 400,
        });
      }
      keepTyped(request, pageOf(step, request.params.token), answers, submissionId);
      try {
        const update = await patiently(() =>
          temporal.workflow.getHandle(claims.wf).startUpdate(submitStep, {
            waitForStage: 'ACCEPTED',
            // The same submission sent twice (a double click, a resend) is one Update; a second, different
            // answer is its own Update, which the workflow turns away: the first answer stands.
            updateId: `step:${claims.step}:${submissionId}`,
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
          }),
        );
        await receiptWithin(update.result());
      } catch (err) {
        const refusal = refusalType(err);
        if (refusal === Refusal.stepAlreadyAnswered) return alreadyAnswered(reply, 409);
        if (refusal === Refusal.stepNotOpen) return notOpen(reply);
        throw err;
      }
      // The language the answer was given in is the person's choice for their emails from now on.
      if (step.participant && step.participant.language !== lang)
        await rememberLanguage(sql, step.participant, lang);
      return reply.message(200, 'answerReceived');
    },
  );
}
