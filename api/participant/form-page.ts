/** How every participant form page is drawn: the form from its definition, errors, what was typed, a fresh submission id. */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  localize,
  typedValues,
  type FieldErrors,
  type FormDefinition,
  type FormValues,
  type ParseResult,
} from '../../domain/forms/definition.js';
import { languageLinks, translator, type Language } from '../../platform/i18n.js';
import { formView } from '../../domain/forms/view-model.js';
import { isUnavailable } from '../../platform/unavailable.js';
import type { Progress } from './progress.js';

export const SUBMISSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export interface FormPage {
  /** The form in English with its translations; the page shows it in `lang`. */
  form: FormDefinition;
  lang: Language;
  program: { name: string; language: string };
  action: string;
  /** A catalogue key, such as `chrome.send`. */
  submitLabel: string;
  values?: FormValues;
  errors?: FieldErrors;
  formErrors?: string[];
  submissionId?: string;
  status?: number;
  /** Where the participant is in the programme, when the page belongs to a relationship. */
  progress?: Progress;
  /** Where the person keeps the page's language for their emails (a participant's link only). */
  languageAction?: string;
  /** The clock the form's times are typed on (the programme's); UTC unless given. */
  timeZone?: string;
  /** Over a section answered together, when the other one's answers are filled in (see `shared`). */
  sharedNote?: string;
}

export function showForm(reply: FastifyReply, page: FormPage) {
  return reply.page('form', formPageData(page), page.status ?? 200);
}

/**
 * A form's page the same for everyone who opens it (a public application form), rendered once with a
 * stand-in for the submission id; each view gets its own (`withSubmissionId`).
 */
export function sharedFormPage(reply: FastifyReply, page: Omit<FormPage, 'submissionId'>): string {
  return reply.render('form', formPageData({ ...page, submissionId: THIS_VIEW }));
}

export function withSubmissionId(html: string): string {
  return html.replace(THIS_VIEW, randomUUID());
}

const THIS_VIEW = 'submission-id-of-this-view';

function formPageData(page: FormPage) {
  const form = localize(page.form, page.lang);
  return {
    title: form.title,
    lang: page.lang,
    languages: languageLinks(page.lang),
    program: page.program,
    form: formView(form, page.values, page.errors, page.formErrors, page.lang, page.timeZone),
    sharedNote: page.sharedNote,
    action: page.action,
    // The language goes with the answers, so an error page comes back in the same language.
    hidden: [
      { name: 'submissionId', value: page.submissionId ?? randomUUID() },
      { name: 'lang', value: page.lang },
    ],
    submitLabel: translator(page.lang)(page.submitLabel),
    progress: page.progress,
    languageAction: page.languageAction,
  };
}

/** Splits a posted body into the envelope (submission id, language) and the answers, checking the id's shape. */
export function envelope(body: Record<string, unknown> | undefined): {
  submissionId: string | undefined;
  lang: unknown;
  answers: Record<string, unknown>;
} {
  const { submissionId, lang, ...answers } = body ?? {};
  return {
    submissionId:
      typeof submissionId === 'string' && SUBMISSION_ID.test(submissionId) ? submissionId : undefined,
    lang,
    answers,
  };
}

const beingSaved = new WeakMap<FastifyRequest, FormPage>();

/**
 * Marks the answers of a valid form as being saved. Should a service they need go down before they are
 * (PostgreSQL, Temporal, every worker), the error handler shows this form again as typed, with the same
 * submission id, so sending it again is safe.
 */
export function keepTyped(
  request: FastifyRequest,
  page: FormPage,
  answers: Record<string, unknown>,
  submissionId: string,
) {
  beingSaved.set(request, { ...page, values: typedValues(page.form, answers), submissionId });
}

/** The messages for the top of a refused form: the form's own, and a missing submission code. */
export function formErrorsOf(
  parsed: ParseResult,
  submissionId: string | undefined,
  lang: Language,
): string[] {
  const formErrors = parsed.ok ? [] : [...parsed.formErrors];
  if (!submissionId) formErrors.push(translator(lang)('validation.submissionId'));
  return formErrors;
}

/** The form being saved, again with "try again" (503), or nothing when the request was saving no form. */
export function typedFormAgain(request: FastifyRequest, reply: FastifyReply, status: number) {
  const page = beingSaved.get(request);
  if (!page) return undefined;
  const formErrors = [translator(page.lang)('message.unavailable.formError')];
  return showForm(reply, { ...page, errors: {}, formErrors, status });
}

/** How long a page waits for the workflow's receipt of an accepted answer before saying it will follow. */
const RECEIPT_WAIT_MS = 10_000;

/**
 * The workflow's result for an answer it accepted, if it comes within a few seconds. Accepted is
 * durable (the answer is in the workflow's history), so the page may say so without it: storing the
 * answer waits for a worker, and after a worker dies that can take longer than a person waits.
 */
export function receiptWithin<T>(result: Promise<T>): Promise<T | undefined> {
  return Promise.race([
    result.catch((err: unknown) => {
      // A service going down now cannot take back what the workflow accepted.
      if (isUnavailable(err)) return undefined;
      throw err;
    }),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), RECEIPT_WAIT_MS).unref()),
  ]);
}

/**
 * The rate limit of a public form (no link, no sign-in): `max` posts an hour per address and
 * programme; past it a page in the reader's language says to wait (`tooManyAttempts`).
 */
export function publicFormRateLimit(max: number) {
  return {
    max,
    timeWindow: '1 hour',
    keyGenerator: (request: FastifyRequest) =>
      `${request.ip}|${(request.params as { programId?: string }).programId}`,
    errorResponseBuilder: () => ({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'tooManyAttempts',
    }),
  };
}
