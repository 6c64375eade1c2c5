/** How every participant form page is drawn: the form from its definition, errors, what was typed, a fresh submission id. */
import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { FieldErrors, FormDefinition, FormValues } from '../../forms/definition.js';
import { formView } from '../../forms/view-model.js';
import type { Progress } from './progress.js';

export const SUBMISSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const MISSING_SUBMISSION_ID =
  'The form was missing its submission code. Check your answers and send it again.';

export interface FormPage {
  form: FormDefinition;
  program: { name: string; language: string };
  action: string;
  submitLabel: string;
  values?: FormValues;
  errors?: FieldErrors;
  formErrors?: string[];
  submissionId?: string;
  status?: number;
  /** Where the participant is in the programme, when the page belongs to a relationship. */
  progress?: Progress;
}

export function showForm(reply: FastifyReply, page: FormPage) {
  return reply.page(
    'form',
    {
      title: page.form.title,
      lang: page.program.language,
      program: page.program,
      form: formView(page.form, page.values, page.errors, page.formErrors),
      action: page.action,
      hidden: [{ name: 'submissionId', value: page.submissionId ?? randomUUID() }],
      submitLabel: page.submitLabel,
      progress: page.progress,
    },
    page.status ?? 200,
  );
}

/** Splits a posted body into the envelope's submission id and the answers, checking the id's shape. */
export function envelope(body: Record<string, unknown> | undefined): {
  submissionId: string | undefined;
  answers: Record<string, unknown>;
} {
  const { submissionId, ...answers } = body ?? {};
  return {
    submissionId:
      typeof submissionId === 'string' && SUBMISSION_ID.test(submissionId) ? submissionId : undefined,
    answers,
  };
}
