import { createHash } from 'node:crypto';
import { createEvent } from 'ics';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { callingWorkflowId } from './context.js';
import { waitingOut } from '../platform/unavailable.js';
import { absoluteUrl, type LinkRequest } from '../platform/links.js';
import type { ActivityDeps } from './index.js';
import { localize } from '../domain/forms/definition.js';
import { loadForm } from '../services/form-store.js';
import type { FormRef } from '../workflows/program-settings.js';
import { pickLanguage, translator, type Language } from '../platform/i18n.js';
import { buildExport } from '../services/data-export.js';
import { timeZoneOf } from '../services/program-settings.js';

/** Where each kind of personal link leads: a status page, a form, a meeting to move or cancel. */
const LINK_PATHS = { status: 's', form: 'f', meeting: 'm' } as const;

const hashOf = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 32);

/**
 * Longer than an attempt can spend with SMTP (the mailer's timeouts end a send within 25 seconds),
 * and barely longer than the 30 seconds after which Temporal retries an attempt whose worker died:
 * the retry waits a few seconds, not a minute.
 */
const SENDING_LEASE_SECONDS = 35;

/** What an attempt tells the server as soon as SMTP took its message. */
interface SentDetails {
  sent: string;
}

function sentByEarlierAttempt(messageId: string): boolean {
  const details = Context.current().info.heartbeatDetails as Partial<SentDetails> | undefined;
  return details?.sent === messageId;
}

/** Workflows name recipients by role and id; addresses stay in the database, out of workflow history. */
export type Recipient =
  | { participantId: string }
  | { managerOf: string }
  | { coordinatorOf: string }
  /** Someone invited to apply (the integration API), before they are a participant. */
  | { invitationId: string }
  /** A member of a learning-network organisation's project group. */
  | { memberId: string };

export interface SendEmailInput {
  /** Unique per email the workflow means to send; the same key is sent at most once. */
  key: string;
  template: string;
  to: Recipient;
  programId: string;
  /** Personal links to sign for this email, by template variable name. Tokens never enter history. */
  links?: Record<string, Omit<LinkRequest, 'wf' | 'ttlSeconds' | 'participant'>>;
  /** Admin pages to link to, by template variable name (paths under PUBLIC_URL). */
  adminPaths?: Record<string, string>;
  /** Labels and codes for the template; never personal data, which the activity looks up itself. */
  data?: Record<string, string | number>;
  /** The other person of a pair, introduced by name and address (`counterpartName`, `counterpartEmail`). */
  counterpart?: string;
  /** A meeting to attach as a calendar invitation; the template may print its time as `meetingAt`. */
  meeting?: {
    start: string;
    minutes: number;
    /** The title in English; other languages get `titleKey` of the catalogue, else `email.meetingTitle`. */
    title: string;
    titleKey?: string;
    titleValues?: Record<string, string | number>;
    location?: string;
    /** The same event in the recipient's calendar, updated in place by a higher sequence (a moved gathering). */
    uid?: string;
    sequence?: number;
    /** The event is called off: the entry is a cancellation (METHOD:CANCEL), which removes it. */
    cancelled?: boolean;
  };
  /** The form the email asks for: its title in the recipient's language replaces `formTitle`. */
  form?: FormRef;
  /** A participant whose data the email carries as `export` (JSON), read here so it stays out of history. */
  exportOf?: string;
}

/** The calendar entry (.ics) of a meeting, its times in UTC, which every calendar shows on its reader's clock. */
export function invitation(
  meeting: NonNullable<SendEmailInput['meeting']>,
  uid: string,
  title: string,
  description: string | undefined,
): string {
  const { error, value } = createEvent({
    uid,
    start: new Date(meeting.start).getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: meeting.minutes },
    title,
    ...(description ? { description } : {}),
    method: meeting.cancelled ? 'CANCEL' : 'REQUEST',
    ...(meeting.cancelled ? { status: 'CANCELLED' as const } : {}),
    ...(meeting.location ? { location: meeting.location } : {}),
    ...(meeting.sequence ? { sequence: meeting.sequence } : {}),
  });
  if (error || !value) throw new Error(`calendar invitation: ${String(error)}`);
  return value;
}

/**
 * A calendar entry's title and description. A pair's meeting names both of them and the programme (the
 * reader's calendar may hold several pairs); other meetings keep the title the workflow gave, which
 * English shows as written and other languages from the catalogue.
 */
function meetingTexts(
  meeting: NonNullable<SendEmailInput['meeting']>,
  lang: Language,
  data: Record<string, unknown>,
): [title: string, description: string | undefined] {
  const t = translator(lang);
  if (typeof data.counterpartName === 'string' && typeof data.recipientName === 'string') {
    const names = { you: data.recipientName, other: data.counterpartName, programme: data.programName };
    return [t('email.pairMeetingTitle', names), t('email.pairMeetingDescription', names)];
  }
  const title =
    lang === 'en' ? meeting.title : t(meeting.titleKey ?? 'email.meetingTitle', meeting.titleValues ?? {});
  return [title, undefined];
}

export function createEmailActivities(deps: ActivityDeps) {
  const { sql, mailer, views, signer, publicUrl } = deps;

  /**
   * Who receives the email and in which language: a participant's own choice, else the programme's, which
   * managers and coordinators get too.
   */
  async function person(table: 'participants' | 'invitations' | 'cohort_members', id: string) {
    // Only participants choose a time zone of their own (on their status page).
    const [p] = await sql<
      { email: string; name: string; language: string | null; time_zone: string | null }[]
    >`
      select email, name, language, ${table === 'participants' ? sql`time_zone` : sql`null::text as time_zone`}
      from ${sql(table)} where id = ${id}`;
    // Gone for good (erased, say): retrying cannot help, so the workflow hears of it at once.
    if (!p) throw ApplicationFailure.nonRetryable(`${table} ${id} not found`, 'RecipientGone');
    return p;
  }
  const participant = (id: string) => person('participants', id);

  async function recipient(to: Recipient, programId: string) {
    if ('participantId' in to) return participant(to.participantId);
    if ('invitationId' in to) return person('invitations', to.invitationId);
    if ('memberId' in to) return person('cohort_members', to.memberId);
    if ('managerOf' in to) {
      const [a] = await sql<{ email: string | null }[]>`
        select answers->>'managerEmail' as email from applications where participant_id = ${to.managerOf}`;
      if (!a?.email)
        throw ApplicationFailure.nonRetryable(`no manager known for ${to.managerOf}`, 'RecipientGone');
      return { email: a.email, title: 'manager' as const };
    }
    const [program] = await sql<{ email: string }[]>`
      select coordinator_email as email from programs where id = ${programId}`;
    if (!program) throw ApplicationFailure.nonRetryable(`program ${programId} not found`, 'RecipientGone');
    return { email: program.email, title: 'coordinator' as const };
  }

  /**
   * Who an email is about, read here so names stay out of workflow history: the person whose workflow
   * sends it (the mentee of a relationship, the mentor of a mentor's workflow). A manager and the
   * coordinator get their name (`personName`), the coordinator also the page where what the email
   * announces can be read (`personUrl`) and, once given, the manager's endorsement; the other one of a
   * pair gets the name as `aboutName`, so a mentor with several mentees knows which one it concerns.
   */
  async function whoItConcerns(workflowId: string, input: SendEmailInput) {
    const [person] = await sql<{ name: string; participant_id: string }[]>`
      select p.name, a.participant_id::text from applications a join participants p on p.id = a.participant_id
      where a.workflow_id = ${workflowId} and a.program_id = ${input.programId}`;
    if (!person) return {};
    const to = input.to;
    if ('participantId' in to)
      return to.participantId === person.participant_id ? {} : { aboutName: person.name };
    if ('managerOf' in to) return { personName: person.name };
    if (!('coordinatorOf' in to)) return {};
    const [endorsement] = await sql<{ endorse: string | null; comment: string | null }[]>`
      select answers->>'endorse' as endorse, answers->>'comment' as comment from form_submissions
      where workflow_id = ${workflowId} and step_id = 'endorsement'`;
    return {
      personName: person.name,
      personUrl: absoluteUrl(publicUrl, `admin/programs/${input.programId}/relationships/${workflowId}`),
      ...(endorsement?.endorse
        ? { endorsement: endorsement.endorse, endorsementComment: endorsement.comment ?? '' }
        : {}),
    };
  }

  return {
    async sendEmail(input: SendEmailInput): Promise<'sent' | 'already-sent'> {
      const messageId = `<${hashOf(input.key)}@${publicUrl.hostname}>`;
      const markSent = () => sql`
        update email_outbox set sent_at = now(), message_id = ${messageId}
        where idempotency_key = ${input.key}`;
      // An earlier attempt handed the message to SMTP and then could not record it (the database was
      // down): its heartbeat says so, and the server keeps heartbeats where the database could not.
      if (sentByEarlierAttempt(messageId)) {
        await markSent();
        return 'sent';
      }
      const [existing] = await sql<{ sent_at: Date | null }[]>`
        select sent_at from email_outbox where idempotency_key = ${input.key}`;
      if (existing?.sent_at) return 'already-sent';
      if (!existing) {
        const workflowId = callingWorkflowId();
        const to = await recipient(input.to, input.programId);
        const [program] = await sql<
          { name: string; language: string; settings: unknown }[]
        >`select name, language, settings from programs where id = ${input.programId}`;
        const lang = pickLanguage('language' in to ? to.language : undefined, program?.language);
        const data: Record<string, unknown> = {
          ...input.data,
          // Dates in the reader's zone: their own choice, else the programme's.
          timeZone: ('time_zone' in to && to.time_zone) || timeZoneOf(program?.settings),
          // Managers and coordinators are greeted by their role, in the email's language.
          recipientName: 'name' in to ? to.name : translator(lang)(`email.${to.title}`),
          programName: program?.name ?? input.programId,
        };
        // English keeps the workflow's own title (such as "Log of meeting 3"); other languages the form's.
        const form =
          input.form && lang !== 'en' ? await loadForm(sql, input.programId, input.form) : undefined;
        if (form) data.formTitle = localize(form, lang).title;
        if (input.meeting) {
          data.meetingAt = input.meeting.start;
          data.meetingMinutes = input.meeting.minutes;
          if (input.meeting.location) data.meetingPlace = input.meeting.location;
        }
        if (input.exportOf) data.export = JSON.stringify(await buildExport(sql, input.exportOf), null, 2);
        if (input.counterpart) {
          const other = await participant(input.counterpart);
          data.counterpartName = other.name;
          data.counterpartEmail = other.email;
        }
        // A participant's link names them, so it stops opening a pair they are no longer in.
        const holder = 'participantId' in input.to ? { participant: input.to.participantId } : {};
        for (const [name, link] of Object.entries(input.links ?? {})) {
          const token = signer.sign({
            ...link,
            ...holder,
            wf: workflowId,
            ttlSeconds: deps.statusLinkTtlDays * 86_400,
          });
          data[name] = absoluteUrl(publicUrl, `${LINK_PATHS[link.p]}/${token}`);
        }
        for (const [name, path] of Object.entries(input.adminPaths ?? {}))
          data[name] = absoluteUrl(publicUrl, path);
        Object.assign(data, await whoItConcerns(workflowId, input));
        const email = views.email(input.template, data, lang);
        const calendar = input.meeting
          ? invitation(
              input.meeting,
              `${hashOf(input.meeting.uid ?? input.key)}@${publicUrl.hostname}`,
              ...meetingTexts(input.meeting, lang, data),
            )
          : null;
        // Rendered once and kept, so a retry sends exactly the same message with the same link.
        await sql`
          insert into email_outbox (idempotency_key, recipient, subject, text_body, html_body, transport, calendar)
          values (${input.key}, ${to.email}, ${email.subject}, ${email.text}, ${email.html}, ${mailer.transport}, ${calendar})
          on conflict (idempotency_key) do nothing`;
      }
      // One attempt at a time: one the server gave up on (its 30 seconds ran out) may still be talking to
      // SMTP, and a second sender would deliver the email twice.
      const [row] = await sql<
        {
          recipient: string;
          subject: string;
          text_body: string;
          html_body: string;
          calendar: string | null;
        }[]
      >`
        update email_outbox set sending_until = now() + ${`${SENDING_LEASE_SECONDS} seconds`}::interval
        where idempotency_key = ${input.key} and sent_at is null
          and (sending_until is null or sending_until < now())
        returning recipient, subject, text_body, html_body, calendar`;
      if (!row) {
        const [now] = await sql<{ sent_at: Date | null }[]>`
          select sent_at from email_outbox where idempotency_key = ${input.key}`;
        if (now?.sent_at) return 'already-sent';
        throw ApplicationFailure.retryable('another attempt is sending this email', 'EmailBeingSent');
      }
      try {
        await mailer.send({
          to: row.recipient,
          subject: row.subject,
          text: row.text_body,
          html: row.html_body,
          messageId,
          calendar: row.calendar ?? undefined,
        });
      } catch (err) {
        // Refused or unreachable: nothing is in flight, so the next attempt need not wait for the lease.
        await sql`update email_outbox set sending_until = null where idempotency_key = ${input.key}`.catch(
          () => {},
        );
        throw err;
      }
      Context.current().heartbeat({ sent: messageId } satisfies SentDetails);
      // Recorded within this attempt if the database is back in time; else the heartbeat tells the next one.
      await waitingOut(markSent, 20_000, (ms) => Context.current().sleep(ms));
      return 'sent';
    },
  };
}
