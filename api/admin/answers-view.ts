/**
 * What people wrote in one relationship, as the coordinator and the auditor read it: the mentee's and
 * the mentor's applications, then every form answered in the relationship (endorsement, agreement,
 * meeting logs, fit check, mid-point, final evaluation) in the order given, each with the labels of the
 * form version it was answered against, in the reader's language. An erased person's answers are gone;
 * the page says so instead of showing an empty form.
 */
import type { TFunction } from 'i18next';
import type { Sql } from '../../platform/db/connect.js';
import { choicesOf, fieldsOf, localize, type FormDefinition } from '../../domain/forms/definition.js';
import type { Language } from '../../platform/i18n.js';
import { currentForm, loadForm } from '../../services/form-store.js';

export interface AnswerRow {
  label: string;
  value: string;
}

export interface AnsweredForm {
  /** The form's title in the reader's language, with the meeting or pairing it concerns. */
  title: string;
  /** Who answered, as the page words it ("the mentee", "the manager"). */
  who: string;
  at?: Date;
  /** The form version the answer was given against; absent for applications (always the current one). */
  version?: number;
  rows: AnswerRow[];
  erased: boolean;
}

/** A participant of this relationship: whose application it is, and whether they were erased. */
export interface Answerer {
  participantId: string;
  role: 'mentee' | 'mentor';
  workflowId: string;
}

const APPLICATION_FORMS = { mentee: 'mentee-application', mentor: 'mentor-application' } as const;

/** One answer in words: a choice by its option's label, a list joined, a consent as yes or no. */
function wordsOf(form: FormDefinition, name: string, value: unknown, t: TFunction): string {
  const field = fieldsOf(form).find((f) => f.name === name);
  const labelOf = (v: string) => (field && choicesOf(field).find((o) => o.value === v)?.label) ?? v;
  if (Array.isArray(value)) return value.map((v) => labelOf(String(v))).join(', ');
  if (typeof value === 'boolean') return t(value ? 'relationship.yes' : 'relationship.no');
  return labelOf(String(value));
}

/** The answered fields in the form's order, labelled; answers to fields the version lacks keep their key. */
function rowsOf(form: FormDefinition | undefined, answers: Record<string, unknown>, t: TFunction) {
  const given = Object.entries(answers).filter(([, v]) => v !== '' && v !== undefined && v !== null);
  if (!form) return given.map(([name, v]) => ({ label: name, value: String(v) }));
  const order = fieldsOf(form).map((f) => f.name);
  return given
    .filter(([name]) => fieldsOf(form).find((f) => f.name === name)?.kind !== 'info')
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([name, v]) => ({
      label: fieldsOf(form).find((f) => f.name === name)?.label ?? name,
      value: wordsOf(form, name, v, t),
    }));
}

const STEP_KINDS = ['endorsement', 'agreement', 'log', 'fit-check', 'midpoint', 'final-evaluation'] as const;

/**
 * A step id in words where no form is at hand (the timeline's details): which form it asks, of whom,
 * for which meeting and pairing ("pairing-2/meeting-3/log" reads "Meeting log (meeting 3), pairing 2").
 */
export function stepWords(stepId: string, t: TFunction): string {
  const parts = stepId.split('/');
  const kind = STEP_KINDS.find((k) => parts.includes(k));
  if (!kind) return stepId;
  const role = parts.find((p) => p === 'mentee' || p === 'mentor');
  const title = stepTitle(stepId, t(`answers.step.${kind}`), t);
  return role ? `${title} (${t(`audit.role.${role}`)})` : title;
}

/** "Log of meeting 2", "Agreement (second pairing)": a step id's meeting and pairing in words. */
export function stepTitle(stepId: string, formTitle: string, t: TFunction): string {
  const meeting = /meeting-(\d+)\//.exec(stepId)?.[1];
  const pairing = Number(/^pairing-(\d+)\//.exec(stepId)?.[1] ?? 1);
  let title = meeting ? t('answers.meetingTitle', { title: formTitle, number: meeting }) : formTitle;
  if (pairing > 1) title = t('answers.pairingTitle', { title, number: pairing });
  return title;
}

export async function answersOf(
  sql: Sql,
  programId: string,
  relationshipWorkflowId: string,
  people: Answerer[],
  t: TFunction,
  lang: Language,
): Promise<AnsweredForm[]> {
  const ids = people.map((p) => p.participantId);
  const erased = new Set(
    ids.length
      ? (
          await sql<{ participant_id: string }[]>`
            select participant_id::text from erasures where participant_id = any(${sql.array(ids)}::uuid[])`
        ).map((r) => r.participant_id)
      : [],
  );
  const erasedRole = (role: string) => people.some((p) => p.role === role && erased.has(p.participantId));
  const forms = new Map<string, FormDefinition | undefined>();
  const formOf = async (id: string, version?: number) => {
    const key = `${id}@${version ?? 'current'}`;
    if (!forms.has(key)) {
      const form =
        version === undefined
          ? await currentForm(sql, programId, id)
          : await loadForm(sql, programId, { id, version });
      forms.set(key, form && localize(form, lang));
    }
    return forms.get(key);
  };

  const result: AnsweredForm[] = [];
  for (const person of people) {
    const [application] = await sql<{ answers: Record<string, unknown>; submitted_at: Date }[]>`
      select answers, submitted_at from applications where workflow_id = ${person.workflowId}`;
    if (!application) continue;
    const form = await formOf(APPLICATION_FORMS[person.role]);
    const gone = erased.has(person.participantId);
    result.push({
      title: form?.title ?? APPLICATION_FORMS[person.role],
      who: t(`audit.role.${person.role}`),
      at: application.submitted_at,
      rows: gone ? [] : rowsOf(form, application.answers, t),
      erased: gone,
    });
  }

  const submissions = await sql<
    {
      step_id: string;
      role: string;
      form_id: string;
      form_version: number;
      answers: Record<string, unknown>;
      submitted_at: Date;
    }[]
  >`
    select step_id, role, form_id, form_version, answers, submitted_at from form_submissions
    where workflow_id = ${relationshipWorkflowId} order by submitted_at, step_id`;
  for (const s of submissions) {
    const form = await formOf(s.form_id, s.form_version);
    // The mentee's erasure deletes these rows; a mentor erased later still has answers here, not shown.
    const gone = erasedRole(s.role);
    result.push({
      title: stepTitle(s.step_id, form?.title ?? s.form_id, t),
      who: t(`audit.role.${s.role}`, { defaultValue: s.role }),
      at: s.submitted_at,
      version: s.form_version,
      rows: gone ? [] : rowsOf(form, s.answers, t),
      erased: gone,
    });
  }
  // The mentee's own erasure removed the forms of the relationship: one line says so.
  if (erasedRole('mentee') && submissions.length === 0)
    result.push({ title: t('answers.formsErased'), who: '', rows: [], erased: true });
  return result;
}
