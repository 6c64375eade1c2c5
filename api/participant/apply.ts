/**
 * The public application forms of a programme, for mentees and for mentors. A valid submission starts
 * the applicant's workflow and delivers the answers to it in one call (update-with-start): the same
 * form sent twice starts one workflow and gets one answer.
 */
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import rateLimit from '@fastify/rate-limit';
import { sharedRateLimits } from '../plugins/rate-limit-store.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { localize, parseSubmission, type FormDefinition } from '../../domain/forms/definition.js';
import { menteeApplication } from '../../domain/forms/mentee-application.js';
import { mentorApplication } from '../../domain/forms/mentor-application.js';
import { basePath } from '../../platform/links.js';
import { currentForm, pinForms } from '../../services/form-store.js';
import {
  addressAllowed,
  emailDomains,
  programSettings,
  takesMentors,
} from '../../services/program-settings.js';
import { admitApplicant, submitApplication, type ApplicationReceipt } from '../../workflows/messages.js';
import type { mentorWorkflow } from '../../workflows/mentor.js';
import { Refusal } from '../../workflows/refusals.js';
import type { relationshipWorkflow } from '../../workflows/relationship.js';
import { refusalType } from '../refusals.js';
import { Phase, ProgramId, WaitingFor } from '../../workflows/search-attributes.js';
import {
  envelope,
  keepTyped,
  formErrorsOf,
  publicFormRateLimit,
  receiptWithin,
  sharedFormPage,
  showForm,
  withSubmissionId,
  type FormPage,
} from './form-page.js';
import { pickLanguage, translator, type Language } from '../../platform/i18n.js';
import { phaseProgress } from './progress.js';
import { patiently } from '../../platform/unavailable.js';

interface Applicant {
  path: string;
  form: FormDefinition;
  workflowType: 'relationshipWorkflow' | 'mentorWorkflow';
  /** Workflow ids are business keys: `<prefix>-<programme>-<participant uuid>`. */
  idPrefix: string;
  submitLabel: string;
}

const APPLICANTS: Applicant[] = [
  {
    path: 'apply',
    form: menteeApplication,
    workflowType: 'relationshipWorkflow',
    idPrefix: 'relationship',
    submitLabel: 'chrome.sendApplication',
  },
  {
    path: 'mentor',
    form: mentorApplication,
    workflowType: 'mentorWorkflow',
    idPrefix: 'mentor',
    submitLabel: 'chrome.offerToMentor',
  },
];

interface Program {
  id: string;
  name: string;
  language: string;
  applications_open: boolean;
  /** The round open now, if mentees apply in one; none for rolling intake. */
  current_round: string | null;
  settings: unknown;
}

/** The round turned the applicant away: its places are taken or it closed a moment ago. */
class NoPlace extends Error {
  constructor(readonly full: boolean) {
    super(full ? 'the round is full' : 'the round is closed');
  }
}

const params = {
  type: 'object',
  required: ['programId'],
  properties: { programId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' } },
} as const;

export async function applicationRoutes(app: FastifyInstance) {
  await app.register(rateLimit, { global: false, store: sharedRateLimits(app.services.sql) });
  const { sql, temporal, taskQueue } = app.services;

  async function findProgram(id: string): Promise<Program | undefined> {
    const [program] = await sql<Program[]>`
      select p.id, p.name, p.language, p.applications_open, p.settings,
             r.workflow_id as current_round
      from programs p
      left join program_rounds r on r.workflow_id = p.current_round and r.closed_at is null
      where p.id = ${id}`;
    return program;
  }

  /**
   * Whether this form takes applications now: the mentee form while applications are open (rolling
   * intake, or a round), the mentor form whenever the programme takes mentors.
   */
  const isOpen = (program: Program, applicant: Applicant) =>
    applicant.workflowType === 'mentorWorkflow' ? takesMentors(program.settings) : program.applications_open;

  function closed(reply: FastifyReply, program: Program, status: number, full = false) {
    return reply.message(status, full ? 'roundFull' : 'applicationsClosed', { programme: program.name });
  }

  /** Asks the programme's open round for a place; the same applicant asking again keeps theirs. */
  async function admit(roundId: string, workflowId: string, role: 'mentee' | 'mentor') {
    try {
      await temporal.workflow.getHandle(roundId).executeUpdate(admitApplicant, {
        updateId: `admit-${workflowId}`,
        args: [{ workflowId, role }],
      });
    } catch (err) {
      const refusal = err instanceof WorkflowUpdateFailedError ? refusalType(err) : undefined;
      if (refusal === Refusal.roundFull || refusal === Refusal.roundClosed)
        throw new NoPlace(refusal === Refusal.roundFull);
      throw err;
    }
  }

  /** The programme's settings with the form versions a relationship starting now pins. */
  async function settingsFor(program: Program) {
    return { ...programSettings(program.settings), forms: await pinForms(sql, program.id) };
  }

  /**
   * What the addresses of an application may not be: the applicant's own as the manager's (nobody
   * endorses themselves), or outside the programme's email domains where it has them.
   */
  function addressProblems(
    program: Program,
    values: Record<string, unknown>,
    email: string,
    lang: Language,
  ): Record<string, string> {
    const t = translator(lang);
    const domains = emailDomains(program.settings);
    const manager = typeof values.managerEmail === 'string' ? values.managerEmail.toLowerCase() : '';
    const problems: Record<string, string> = {};
    if (!addressAllowed(email, domains))
      problems.email = t('apply.errors.domain', { domains: domains.join(', ') });
    if (manager && manager === email) problems.managerEmail = t('apply.errors.ownManager');
    else if (manager && !addressAllowed(manager, domains))
      problems.managerEmail = t('apply.errors.managerDomain', { domains: domains.join(', ') });
    return problems;
  }

  for (const applicant of APPLICANTS) {
    const url = `/programs/:programId/${applicant.path}`;
    /** The programme's newest version of the application form (a coordinator may have edited it). */
    const formOf = async (program: Program) => (await currentForm(sql, program.id, applicant.form.id))!;
    const pageOf = (program: Program, lang: Language, form: FormDefinition): FormPage => ({
      lang,
      form,
      program,
      action: `${basePath(app.services.config.publicUrl)}programs/${program.id}/${applicant.path}`,
      submitLabel: applicant.submitLabel,
      progress:
        applicant.workflowType === 'relationshipWorkflow'
          ? { phases: phaseProgress('application') }
          : undefined,
    });
    const show = async (
      reply: FastifyReply,
      program: Program,
      lang: Language,
      opts: Pick<FormPage, 'values' | 'errors' | 'formErrors' | 'submissionId' | 'status'> = {},
    ) => showForm(reply, { ...pageOf(program, lang, await formOf(program)), ...opts });

    app.get<{ Params: { programId: string }; Querystring: { lang?: string } }>(
      url,
      { schema: { params } },
      async (request, reply) => {
        // The page everyone of a launch email opens, kept a few seconds (plugins/short-memory.ts), and only
        // while open for rolling intake: it changes from there only through the admin pages or the
        // integration API, which forget it. A round's places and deadline close the form from its
        // workflow, and a closed form opens the same ways, so those are read afresh.
        const { programId } = request.params;
        const program = await app.memory.programmes.get(
          `program ${programId}`,
          () => findProgram(programId),
          {
            until: (found) => (found?.applications_open && !found.current_round ? undefined : 0),
          },
        );
        if (!program) return reply.callNotFound();
        const lang = pickLanguage(request.query.lang, program.language);
        request.pageContext.lang = lang;
        if (!isOpen(program, applicant)) return closed(reply, program, 200);
        const html = await app.memory.programmes.get(
          `form ${programId} ${applicant.path} ${lang}`,
          async () => sharedFormPage(reply, pageOf(program, lang, await formOf(program))),
        );
        return reply.type('text/html; charset=utf-8').send(withSubmissionId(html));
      },
    );

    app.post<{ Params: { programId: string }; Body: Record<string, unknown> }>(
      url,
      {
        schema: { params },
        // A public form whose answers email the applicant and, once confirmed, a manager: a few an hour
        // per address and programme is plenty for people, and little for anyone scripting it.
        config: {
          rateLimit: publicFormRateLimit(app.services.config.publicFormLimit),
        },
      },
      async (request, reply) => {
        const program = await findProgram(request.params.programId);
        if (!program) return reply.callNotFound();
        const { submissionId, lang: chosen, answers } = envelope(request.body);
        const lang = pickLanguage(chosen, program.language);
        request.pageContext.lang = lang;
        if (!isOpen(program, applicant)) return closed(reply, program, 403);

        const form = await formOf(program);
        const parsed = parseSubmission(localize(form, lang), answers, lang);
        if (!parsed.ok || !submissionId) {
          return show(reply, program, lang, {
            values: parsed.values,
            errors: parsed.ok ? {} : parsed.errors,
            formErrors: formErrorsOf(parsed, submissionId, lang),
            submissionId,
            status: 400,
          });
        }

        const email = String(parsed.values.email).toLowerCase();
        const problems = addressProblems(program, parsed.values, email, lang);
        if (Object.keys(problems).length > 0)
          return show(reply, program, lang, {
            values: parsed.values,
            errors: problems,
            formErrors: [],
            submissionId,
            status: 400,
          });
        keepTyped(request, pageOf(program, lang, form), answers, submissionId);
        const workflowIdOf = (participantId: string) =>
          `${applicant.idPrefix}-${program.id}-${participantId}`;
        const [participant] = await sql<{ id: string; created: boolean }[]>`
          insert into participants (program_id, email, name, language)
          values (${program.id}, ${email}, ${String(parsed.values.name)}, ${lang === program.language ? null : lang})
          on conflict (program_id, email) do update set language = excluded.language
          returning id, (xmax = 0) as created`;
        const participantId = participant!.id;
        // A round's places are for mentees; someone who applied before (this round or an earlier one)
        // takes no new place: their workflow answers the repeat itself. Without a round, nothing to ask.
        const round = applicant.workflowType === 'relationshipWorkflow' ? program.current_round : null;
        const [earlier] = round
          ? await sql`select 1 from applications where workflow_id = ${workflowIdOf(participantId)}`
          : [];
        if (round && !earlier) {
          try {
            await admit(round, workflowIdOf(participantId), 'mentee');
          } catch (err) {
            if (!(err instanceof NoPlace)) throw err;
            // Without a place nothing of this visit is kept. (No transaction spans the call to Temporal:
            // the embedded database has one session, which another request would then share.)
            if (participant!.created) await sql`delete from participants where id = ${participantId}`;
            return closed(reply, program, 403, err.full);
          }
        }

        let receipt: ApplicationReceipt | undefined;
        try {
          const settings = await settingsFor(program);
          const handle = await patiently(() =>
            temporal.workflow.startUpdateWithStart(submitApplication, {
              args: [
                {
                  submissionId,
                  formId: form.id,
                  formVersion: form.version,
                  answers: parsed.values,
                },
              ],
              updateId: `application-${submissionId}`,
              waitForStage: 'ACCEPTED',
              // Typed by the workflow functions, so the start arguments are checked against their input.
              startWorkflowOperation: new WithStartWorkflowOperation<
                typeof relationshipWorkflow | typeof mentorWorkflow
              >(applicant.workflowType, {
                workflowId: workflowIdOf(participantId),
                taskQueue,
                args: [{ programId: program.id, participantId, settings }],
                workflowIdConflictPolicy: 'USE_EXISTING',
                typedSearchAttributes: [
                  { key: ProgramId, value: program.id },
                  { key: Phase, value: 'application' },
                  { key: WaitingFor, value: 'participant' },
                ],
              }),
            }),
          );
          receipt = await receiptWithin(handle.result());
        } catch (err) {
          if (err instanceof WorkflowUpdateFailedError && refusalType(err) === Refusal.alreadyApplied) {
            return reply.page(
              'apply-received',
              { title: translator(lang)('apply.alreadyTitle'), program, alreadyReceived: true },
              409,
            );
          }
          throw err;
        }
        return reply.page(
          'apply-received',
          {
            title: translator(lang)('apply.receivedTitle'),
            program,
            receipt,
            statusByEmail: applicant.workflowType === 'relationshipWorkflow',
          },
          receipt ? 200 : 202,
        );
      },
    );
  }
}
