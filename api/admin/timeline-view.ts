/**
 * A workflow's history as the admin pages show it (the auditor's workflow page and the coordinator's
 * relationship page): its runs and its timeline in the reader's language, actors by their email.
 */
import type { FastifyInstance } from 'fastify';
import type { TFunction } from 'i18next';
import type { Sql } from '../../platform/db/connect.js';
import { timelineSvg } from './charts.js';
import { localize } from '../../domain/forms/definition.js';
import { stepWords } from './answers-view.js';
import { loadForm } from '../../services/form-store.js';
import type { Language } from '../../platform/i18n.js';
import type { Views } from '../../platform/views.js';
import { buildTimeline, phaseSpans, type TimelineEntry } from './timeline.js';
import { workflowRuns, type RunHistory } from '../../services/workflow-history.js';

/** Admin users' emails by id, for the "who" of each entry. */
async function actorEmails(sql: Sql, entries: TimelineEntry[]): Promise<Map<string, string>> {
  const ids = [
    ...new Set(entries.flatMap((e) => (e.actor && 'userId' in e.actor ? [e.actor.userId] : []))),
  ].filter((id) => /^[0-9a-f-]{36}$/.test(id));
  if (ids.length === 0) return new Map();
  const rows = await sql<{ id: string; email: string }[]>`
    select id::text, email from users where id = any(${sql.array(ids)}::uuid[])`;
  return new Map(rows.map((r) => [r.id, r.email]));
}

function what(t: TFunction, entry: TimelineEntry, subject: string | undefined): string {
  const { kind, name } = entry;
  // Which email it was is part of the erased payload.
  if (kind === 'email' && entry.erased) return t('audit.event.email-erased');
  if (kind === 'email' && subject) return t('audit.event.email', { name: subject });
  if (kind === 'phase') return t('audit.event.phase', { phase: t(`phase.${name}`, { defaultValue: name }) });
  if (kind === 'update' || kind === 'signal')
    return t(`audit.${kind}.${name}`, { defaultValue: t(`audit.event.${kind}`, { name }) });
  if (kind === 'closed')
    return t('audit.event.closed', {
      name: t(`audit.status.${name.toUpperCase().replace('-', '_')}`, { defaultValue: name }),
    });
  return t(`audit.event.${kind}`, { name });
}

function who(t: TFunction, entry: TimelineEntry, emails: Map<string, string>): string {
  if (entry.erased) return t('audit.erased');
  if (!entry.actor) return '';
  if ('userId' in entry.actor) return emails.get(entry.actor.userId) ?? entry.actor.userId;
  return t(`audit.role.${entry.actor.role}`, { defaultValue: entry.actor.role });
}

/** A detail's value in words where it is a code the catalogue knows: who an email went to, who is awaited. */
function detailValue(t: TFunction, key: string, value: string): string {
  if (key === 'to') return t(`audit.recipient.${value}`, { defaultValue: value });
  if (key === 'waitingFor') return t(`relationship.waitingFor.${value}`, { defaultValue: value });
  if (key === 'kind') return t(`audit.emailKind.${value}`, { defaultValue: value });
  // An interview's outcome (accepted, declined) or a relationship's.
  if (key === 'outcome')
    return t(`relationship.outcome.${value}`, {
      defaultValue: t(`admin.program.interview-${value}`, { defaultValue: value }),
    });
  if (key === 'role') return t(`audit.role.${value}`, { defaultValue: value });
  if (key === 'decision') return t(`audit.decision.${value}`, { defaultValue: value });
  if (key === 'stepId') return stepWords(value, t);
  return value;
}

const details = (t: TFunction, entry: TimelineEntry) =>
  Object.entries(entry.details)
    .map(
      ([key, value]) => `${t(`audit.detail.${key}`, { defaultValue: key })}: ${detailValue(t, key, value)}`,
    )
    .join(', ');

/**
 * An email's subject in the reader's language, worded from the codes its workflow passed (never
 * personal data: a name in a subject reads as a dash); the form's own title where the email asks one.
 */
async function subjectOf(
  views: Views,
  formTitle: (ref: { id: string; version: number }) => Promise<string | undefined>,
  entry: TimelineEntry,
  lang: Language,
): Promise<string | undefined> {
  if (entry.kind !== 'email' || entry.erased || !entry.email) return undefined;
  const data: Record<string, unknown> = { ...entry.email.data, counterpartName: '–' };
  const title = entry.email.form && (await formTitle(entry.email.form));
  if (title) data.formTitle = title;
  return views.emailSubject(entry.name, data, lang);
}

export interface HistoryView {
  runs: (Omit<RunHistory, 'history'> & {
    number: number;
    events: number;
    statusLabel: string;
    sourceLabel: string;
  })[];
  entries: {
    at: Date;
    run: number;
    eventId: number;
    what: string;
    who: string;
    why: string;
    details: string;
    erased: boolean;
  }[];
  anyErased: boolean;
  /** The phases over time as an SVG drawing this project made (safe to print unescaped). */
  picture: string;
}

/** Everything the history part of a page shows; undefined when no run of the workflow is known. */
export function historyViewBuilder(app: FastifyInstance) {
  const { sql, temporal, codec, views } = app.services;
  return async function historyView(
    workflowId: string,
    t: TFunction,
    lang: Language,
  ): Promise<HistoryView | undefined> {
    const runs = await workflowRuns(sql, temporal, workflowId);
    if (runs.length === 0) return undefined;
    const entries = await buildTimeline(runs, codec);
    const emails = await actorEmails(sql, entries);
    const programId = runs.findLast((r) => r.programId)?.programId;
    // Each form version's title read once, however many of its emails the timeline holds.
    const titles = new Map<string, Promise<string | undefined>>();
    const formTitle = (ref: { id: string; version: number }) => {
      const key = `${ref.id}@${ref.version}`;
      if (!titles.has(key))
        titles.set(
          key,
          programId
            ? loadForm(sql, programId, ref).then((f) => f && localize(f, lang).title)
            : Promise.resolve(undefined),
        );
      return titles.get(key)!;
    };
    const subjects = await Promise.all(entries.map((e) => subjectOf(views, formTitle, e, lang)));
    return {
      runs: runs.map(({ history, ...run }, i) => ({
        ...run,
        number: i + 1,
        sourceLabel: t(`audit.source.${run.source}`),
        events: history.events?.length ?? 0,
        statusLabel: t(`audit.status.${run.status}`, { defaultValue: run.status }),
      })),
      entries: entries.map((entry, i) => ({
        at: entry.at,
        run: entry.run,
        eventId: entry.eventId,
        what: what(t, entry, subjects[i]),
        who: who(t, entry, emails),
        why: entry.erased ? t('audit.erased') : (entry.reason ?? ''),
        details: details(t, entry),
        erased: entry.erased,
      })),
      anyErased: entries.some((e) => e.erased),
      picture: timelineSvg({
        title: t('audit.workflow.picture'),
        spans: phaseSpans(entries).map((s) => ({
          ...s,
          label: t(`phase.${s.label}`, { defaultValue: s.label }),
        })),
        now: new Date().toISOString(),
        lang,
      }),
    };
  };
}
