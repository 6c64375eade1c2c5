/**
 * A workflow's history as the auditor reads it: who did what, when and why. Each run's events become
 * entries (phases entered, forms answered, the coordinator's decisions with their reason, emails,
 * reminders and escalations, timers, hand-overs to a new run), their payloads decoded with the codec.
 * A payload whose data key was destroyed (the person was erased) shows as erased, not as an error.
 */
import { defaultPayloadConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { ErasedPayloadError } from '../../platform/temporal/payload-codec.js';
import type { RunHistory } from '../../services/workflow-history.js';

type Event = temporal.api.history.v1.IHistoryEvent;

/**
 * Milliseconds of a protobuf Timestamp or Duration, whether its seconds are a Long (from the server) or
 * a number or string (from JSON, the archive's form).
 */
const msOf = (value: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  value ? Number(String(value.seconds ?? 0)) * 1000 + Math.floor((value.nanos ?? 0) / 1e6) : 0;

export type EntryKind =
  | 'started'
  | 'continued'
  | 'phase'
  | 'update'
  | 'signal'
  | 'signal-sent'
  | 'email'
  | 'outcome'
  | 'matching'
  | 'timer'
  | 'activity-failed'
  | 'handed-over'
  | 'closed';

export interface TimelineEntry {
  at: Date;
  /** Which run (1 = the first) and which event of it: the place in the raw history. */
  run: number;
  eventId: number;
  kind: EntryKind;
  /** The update, signal, activity or email template, the phase, or how the run closed. */
  name: string;
  /** The admin user who acted (their id), or the participant's role for their own answers. */
  actor?: { userId: string } | { role: string };
  reason?: string;
  /** Codes worth showing beside the name: an outcome, a decision, a step, a template's kind. */
  details: Record<string, string>;
  /** The payload's key was destroyed with the person's data: who acted and why cannot be read anymore. */
  erased: boolean;
  /** An email's codes (meeting number, form title) and its form, so a page can word its subject. */
  email?: { data: Record<string, string | number>; form?: { id: string; version: number } };
}

/** Emails sorted by what they are for, so reminders and escalations stand out. */
const EMAIL_KINDS: Record<string, string> = {
  'form-reminder': 'reminder',
  'meeting-reminder': 'reminder',
  'meetings-missed': 'reminder',
  'coordinator-step-overdue': 'escalation',
  'coordinator-meetings-missed': 'escalation',
};
/** Arguments that are codes, safe and useful to show. */
const SHOWN = [
  'outcome',
  'decision',
  'stepId',
  'role',
  'change',
  'version',
  'objective',
  'number',
  'organisationId',
] as const;

type Decoded = { value: unknown; erased: false } | { value: undefined; erased: true };

async function decodeFirst(codec: PayloadCodec, payloads: Payload[] | null | undefined): Promise<Decoded> {
  const payload = payloads?.[0];
  if (!payload) return { value: undefined, erased: false };
  try {
    const [decoded] = await codec.decode([payload]);
    return { value: defaultPayloadConverter.fromPayload(decoded!), erased: false };
  } catch (err) {
    if (err instanceof ErasedPayloadError) return { value: undefined, erased: true };
    throw err;
  }
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/** The actor, reason and codes of an Update's or Signal's argument. */
function argumentParts(value: unknown): Pick<TimelineEntry, 'actor' | 'reason' | 'details'> {
  const arg = record(value);
  const by = record(arg.by);
  const details: Record<string, string> = {};
  for (const key of SHOWN) {
    const v = arg[key];
    if (typeof v === 'string' || typeof v === 'number') details[key] = String(v);
  }
  if (Array.isArray(arg.pairs)) details.pairs = String(arg.pairs.length);
  const actor =
    typeof by.userId === 'string'
      ? { userId: by.userId }
      : typeof arg.role === 'string'
        ? { role: arg.role }
        : undefined;
  const reason = typeof arg.reason === 'string' && arg.reason.trim() ? arg.reason : undefined;
  return { actor, reason, details };
}

/** The timeline of all runs, oldest first. */
export async function buildTimeline(runs: RunHistory[], codec: PayloadCodec): Promise<TimelineEntry[]> {
  const entries: TimelineEntry[] = [];
  let phase: string | undefined;
  for (const [index, run] of runs.entries()) {
    /** How long each timer of the run was set for, by its start event: a fired timer shows it. */
    const timers = new Map<number, number>();
    for (const event of run.history.events ?? []) {
      const timer = event.timerStartedEventAttributes;
      if (timer) timers.set(Number(event.eventId), msOf(timer.startToFireTimeout));
      const entry = await entryOf(event, index + 1, codec);
      if (!entry) continue;
      const fired = event.timerFiredEventAttributes;
      if (fired)
        entry.details.seconds = String(Math.round((timers.get(Number(fired.startedEventId)) ?? 0) / 1000));
      if (entry.kind === 'phase') {
        if (entry.name === phase) continue;
        phase = entry.name;
      }
      entries.push(entry);
    }
  }
  return entries;
}

async function entryOf(event: Event, run: number, codec: PayloadCodec): Promise<TimelineEntry | undefined> {
  const base = {
    at: new Date(msOf(event.eventTime)),
    run,
    eventId: Number(event.eventId ?? 0),
    details: {} as Record<string, string>,
    erased: false,
  };
  const started = event.workflowExecutionStartedEventAttributes;
  if (started) {
    const continued = !!started.continuedExecutionRunId;
    return { ...base, kind: continued ? 'continued' : 'started', name: started.workflowType?.name ?? '' };
  }
  const upsert = event.upsertWorkflowSearchAttributesEventAttributes;
  if (upsert) {
    const fields = upsert.searchAttributes?.indexedFields ?? {};
    // Search attributes are never encrypted: they hold codes only.
    const read = (name: string) =>
      fields[name] ? String(defaultPayloadConverter.fromPayload(fields[name] as Payload)) : undefined;
    const phase = read('Phase');
    if (!phase) return undefined;
    const waitingFor = read('WaitingFor');
    return { ...base, kind: 'phase', name: phase, details: waitingFor ? { waitingFor } : {} };
  }
  const accepted = event.workflowExecutionUpdateAcceptedEventAttributes;
  if (accepted) {
    const input = accepted.acceptedRequest?.input;
    const arg = await decodeFirst(codec, input?.args?.payloads as Payload[] | undefined);
    const parts = argumentParts(arg.value);
    // An application comes from the applicant, whose form carries no role of its own.
    if (input?.name === 'submitApplication' && !arg.erased) parts.actor = { role: 'applicant' };
    return { ...base, kind: 'update', name: input?.name ?? '', erased: arg.erased, ...parts };
  }
  const signaled = event.workflowExecutionSignaledEventAttributes;
  if (signaled) {
    const arg = await decodeFirst(codec, signaled.input?.payloads as Payload[] | undefined);
    return {
      ...base,
      kind: 'signal',
      name: signaled.signalName ?? '',
      erased: arg.erased,
      ...argumentParts(arg.value),
    };
  }
  const sent = event.signalExternalWorkflowExecutionInitiatedEventAttributes;
  if (sent) {
    return {
      ...base,
      kind: 'signal-sent',
      name: sent.signalName ?? '',
      details: { to: sent.workflowExecution?.workflowId ?? '' },
    };
  }
  const scheduled = event.activityTaskScheduledEventAttributes;
  if (scheduled) return activityEntry(base, scheduled, codec);
  const failed = event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
  if (failed) return { ...base, kind: 'activity-failed', name: failed.failure?.message ?? '' };
  const fired = event.timerFiredEventAttributes;
  if (fired) return { ...base, kind: 'timer', name: fired.timerId ?? '' };
  const handedOver = event.workflowExecutionContinuedAsNewEventAttributes;
  if (handedOver) return { ...base, kind: 'handed-over', name: 'continued-as-new' };
  const completed = event.workflowExecutionCompletedEventAttributes;
  if (completed) {
    const result = await decodeFirst(codec, completed.result?.payloads as Payload[] | undefined);
    const outcome =
      typeof result.value === 'string' ? { outcome: result.value } : ({} as Record<string, string>);
    return { ...base, kind: 'closed', name: 'completed', erased: result.erased, details: outcome };
  }
  const terminated = event.workflowExecutionTerminatedEventAttributes;
  if (terminated)
    return { ...base, kind: 'closed', name: 'terminated', reason: terminated.reason ?? undefined };
  if (event.workflowExecutionFailedEventAttributes) return { ...base, kind: 'closed', name: 'failed' };
  if (event.workflowExecutionCanceledEventAttributes) return { ...base, kind: 'closed', name: 'cancelled' };
  if (event.workflowExecutionTimedOutEventAttributes) return { ...base, kind: 'closed', name: 'timed-out' };
  return undefined;
}

async function activityEntry(
  base: Omit<TimelineEntry, 'kind' | 'name'>,
  scheduled: temporal.api.history.v1.IActivityTaskScheduledEventAttributes,
  codec: PayloadCodec,
): Promise<TimelineEntry | undefined> {
  const type = scheduled.activityType?.name ?? '';
  if (type !== 'sendEmail' && type !== 'recordOutcome' && type !== 'proposeMatching') return undefined;
  const arg = await decodeFirst(codec, scheduled.input?.payloads as Payload[] | undefined);
  const input = record(arg.value);
  if (type === 'sendEmail') {
    const template = typeof input.template === 'string' ? input.template : '';
    const to = record(input.to);
    const recipient =
      'coordinatorOf' in to
        ? 'coordinator'
        : 'managerOf' in to
          ? 'manager'
          : 'memberId' in to
            ? 'member'
            : 'participantId' in to
              ? participantRole(typeof input.key === 'string' ? input.key : '')
              : 'invitationId' in to
                ? 'participant'
                : '';
    const data = Object.fromEntries(
      Object.entries(record(input.data)).filter(
        (e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number',
      ),
    );
    const form = record(input.form);
    return {
      ...base,
      kind: 'email',
      name: template,
      erased: arg.erased,
      details: { kind: EMAIL_KINDS[template] ?? 'notice', ...(recipient ? { to: recipient } : {}) },
      email: {
        data,
        ...(typeof form.id === 'string' && typeof form.version === 'number'
          ? { form: { id: form.id, version: form.version } }
          : {}),
      },
    };
  }
  if (type === 'recordOutcome') {
    const outcome =
      typeof input.outcome === 'string' ? { outcome: input.outcome } : ({} as Record<string, string>);
    return { ...base, kind: 'outcome', name: type, erased: arg.erased, details: outcome };
  }
  return { ...base, kind: 'matching', name: type, erased: arg.erased, ...argumentParts(input) };
}

/**
 * Which of the pair an email went to: the keys of a pair's emails name the role (`…/agreement/mentor/…`);
 * any other participant email of a relationship is the mentee's, of a mentor's workflow the mentor's.
 */
function participantRole(key: string): 'mentee' | 'mentor' {
  const [workflowId = '', ...rest] = key.split('/');
  if (rest.includes('mentor')) return 'mentor';
  if (rest.includes('mentee')) return 'mentee';
  return workflowId.startsWith('mentor-') ? 'mentor' : 'mentee';
}

/** The phases one after another, for the timeline picture: each until the next began (the last one open). */
export function phaseSpans(entries: TimelineEntry[]): { label: string; from: string; to?: string }[] {
  const phases = entries.filter((e) => e.kind === 'phase');
  const closed = entries.findLast((e) => e.kind === 'closed' && e.name !== 'continued-as-new');
  return phases.map((e, i) => {
    const next = phases[i + 1]?.at ?? (e.name === 'closed' ? e.at : closed?.at);
    return { label: e.name, from: e.at.toISOString(), ...(next ? { to: next.toISOString() } : {}) };
  });
}
