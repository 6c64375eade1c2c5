/**
 * The page a meeting's link opens (in its invitation, its reminder, and a cancellation's email for the
 * next one): either of the pair confirms they will be there, moves the meeting to a day and time on
 * their own clock, or cancels it. The workflow has the last word (the meeting may have begun, or the other one moved it a
 * moment ago); both get the calendar entry again, the same event updated, or its cancellation.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { basePath } from '../../platform/links.js';
import { languageLinks, translator } from '../../platform/i18n.js';
import { statusOf } from '../../services/workflow-status.js';
import { fromWallClock, wallClock } from '../../workflows/local-time.js';
import {
  cancelMeeting,
  confirmMeeting,
  moveMeeting,
  relationshipStatus,
  type RelationshipStatus,
} from '../../workflows/messages.js';
import { Refusal } from '../../workflows/refusals.js';
import { refusalType } from '../refusals.js';
import { linkedPage } from './language.js';
import { mentorStillHolds } from './link-holder.js';
import { RETRY_AFTER_SECONDS } from '../plugins/pages.js';

const tokenParams = { type: 'object', properties: { token: { type: 'string', maxLength: 1024 } } } as const;

const MoveForm = z.object({
  date: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/),
  time: z
    .string()
    .trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/),
});

/** The meeting the link names, while it can still change: the next one, not yet begun. */
function meetingAhead(status: RelationshipStatus, number: number): string | undefined {
  const m = status.meetings;
  const ahead =
    status.phase === 'meetings' && m?.next === number && m.nextAt && Date.parse(m.nextAt) > Date.now();
  return ahead ? m.nextAt : undefined;
}

export async function meetingRoutes(app: FastifyInstance) {
  const { signer, temporal, sql, config } = app.services;
  const base = basePath(config.publicUrl);

  /** The link's claims, the meeting it names, and the person's language and time zone, or a reply. */
  async function resolve(token: string, reply: FastifyReply, chosen?: unknown) {
    const verified = signer.verify(token, 'meeting');
    if (!verified.ok)
      return verified.reason === 'expired'
        ? { reply: reply.message(410, 'linkExpired') }
        : { reply: reply.message(404, 'linkInvalid') };
    const { claims } = verified;
    let status: RelationshipStatus;
    try {
      status = await statusOf(temporal.workflow.getHandle(claims.wf), relationshipStatus);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { reply: reply.message(404, 'linkInvalid') };
      throw err;
    }
    const page = await linkedPage(sql, claims, status, chosen);
    reply.request.pageContext.lang = page.lang;
    reply.request.pageContext.timeZone = page.timeZone;
    const number = Number(/^meeting-(\d+)$/.exec(claims.step)?.[1]);
    // The kickoff's email goes out a moment before the workflow publishes its first meeting: a link
    // followed in that moment is asked to try again, not told the meeting can no longer change.
    if (status.phase === 'meetings' && status.meetings?.next === undefined) {
      reply.header('retry-after', RETRY_AFTER_SECONDS);
      return { reply: reply.message(503, 'unavailable') };
    }
    const at = meetingAhead(status, number);
    // A previous mentor's link changes nothing of the pair that followed.
    const holds = claims.role !== 'mentor' || (await mentorStillHolds(sql, token, claims, status));
    if (!at || !holds || !page.participant || (claims.role !== 'mentee' && claims.role !== 'mentor'))
      return { reply: reply.message(409, 'meetingNotAhead') };
    return { claims, status, number, at, role: claims.role, participantId: page.participant.id, ...page };
  }

  type Resolved = Exclude<Awaited<ReturnType<typeof resolve>>, { reply: unknown }>;

  function show(
    reply: FastifyReply,
    token: string,
    m: Resolved,
    extra: {
      values?: Record<string, string>;
      fieldErrors?: Record<string, string>;
      notice?: string;
    } = {},
    status = 200,
  ) {
    const t = translator(m.lang);
    const fieldErrors = extra.fieldErrors ?? {};
    // Who has said they will be there: the reader, and the other of the pair.
    const confirmed = m.status.meetings?.confirmed ?? [];
    const other = m.role === 'mentee' ? 'mentor' : 'mentee';
    return reply.page(
      'meeting',
      {
        title: t('meeting.title'),
        program: m.program,
        languages: languageLinks(m.lang),
        meeting: { number: m.number, at: m.at },
        timeZone: m.timeZone,
        // What the form shows first: the meeting's own day and time, on the reader's clock.
        values: extra.values ?? wallClockValues(Date.parse(m.at), m.timeZone),
        fieldErrors,
        errors: Object.entries(fieldErrors).map(([id, message]) => ({ id, message })),
        notice: extra.notice,
        attend: {
          you: confirmed.includes(m.role),
          other: confirmed.includes(other) ? t(`meeting.confirmedBy.${other}`) : undefined,
          action: `${base}m/${token}/confirm`,
        },
        moveAction: `${base}m/${token}/move`,
        cancelAction: `${base}m/${token}/cancel`,
      },
      status,
    );
  }

  app.get<{
    Params: { token: string };
    Querystring: { lang?: string; moved?: string; confirmed?: string };
  }>('/m/:token', { schema: { params: tokenParams } }, async (request, reply) => {
    const m = await resolve(request.params.token, reply, request.query.lang);
    if ('reply' in m) return m.reply;
    const { moved, confirmed } = request.query;
    const t = translator(m.lang);
    const notice = moved ? t('meeting.moved') : confirmed ? t('meeting.confirmed') : undefined;
    return show(reply, request.params.token, m, { notice });
  });

  app.post<{ Params: { token: string } }>(
    '/m/:token/confirm',
    { schema: { params: tokenParams } },
    async (request, reply) => {
      const { token } = request.params;
      const m = await resolve(token, reply);
      if ('reply' in m) return m.reply;
      request.changesWorkflow = m.claims.wf;
      try {
        await temporal.workflow.getHandle(m.claims.wf).executeUpdate(confirmMeeting, {
          args: [{ meeting: m.number, role: m.role, participantId: m.participantId }],
        });
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) return reply.message(409, 'meetingNotAhead');
        throw err;
      }
      return reply.redirect(`${base}m/${token}?confirmed=1`, 303);
    },
  );

  app.post<{ Params: { token: string }; Body: Record<string, unknown> | undefined }>(
    '/m/:token/move',
    { schema: { params: tokenParams } },
    async (request, reply) => {
      const { token } = request.params;
      const m = await resolve(token, reply);
      if ('reply' in m) return m.reply;
      request.changesWorkflow = m.claims.wf;
      const t = translator(m.lang);
      const typed = {
        date: String(request.body?.date ?? '').slice(0, 20),
        time: String(request.body?.time ?? '').slice(0, 20),
      };
      const parsed = MoveForm.safeParse(typed);
      if (!parsed.success) {
        const fieldErrors: Record<string, string> = {};
        for (const issue of parsed.error.issues) {
          const field = String(issue.path[0]);
          fieldErrors[field] ??= t(`meeting.errors.${field}`);
        }
        return show(reply, token, m, { values: typed, fieldErrors }, 400);
      }
      const start = new Date(startOn(parsed.data, m.timeZone)).toISOString();
      try {
        await temporal.workflow.getHandle(m.claims.wf).executeUpdate(moveMeeting, {
          args: [{ meeting: m.number, start, role: m.role, participantId: m.participantId }],
        });
      } catch (err) {
        const refused = refusalType(err);
        if (refused === Refusal.meetingTimeInvalid)
          return show(
            reply,
            token,
            m,
            { values: typed, fieldErrors: { date: t('meeting.errors.window') } },
            400,
          );
        if (err instanceof WorkflowUpdateFailedError) return reply.message(409, 'meetingNotAhead');
        throw err;
      }
      return reply.redirect(`${base}m/${token}?moved=1`, 303);
    },
  );

  app.post<{ Params: { token: string }; Body: Record<string, unknown> | undefined }>(
    '/m/:token/cancel',
    { schema: { params: tokenParams } },
    async (request, reply) => {
      const m = await resolve(request.params.token, reply);
      if ('reply' in m) return m.reply;
      request.changesWorkflow = m.claims.wf;
      if (request.body?.confirm !== 'yes') return reply.message(400, 'meetingNotConfirmed');
      try {
        await temporal.workflow.getHandle(m.claims.wf).executeUpdate(cancelMeeting, {
          args: [{ meeting: m.number, role: m.role, participantId: m.participantId }],
        });
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) return reply.message(409, 'meetingNotAhead');
        throw err;
      }
      return reply.message(200, 'meetingCancelled');
    },
  );
}

/** A day and time typed on the clock of `zone`, as an instant. */
function startOn({ date, time }: z.infer<typeof MoveForm>, zone: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return fromWallClock({ year, month, day, hour, minute, second: 0 }, zone);
}

/** The form's fields for an instant, on the clock of `zone`. */
function wallClockValues(ms: number, zone: string): Record<string, string> {
  const c = wallClock(ms, zone);
  const two = (n: number) => String(n).padStart(2, '0');
  return { date: `${c.year}-${two(c.month)}-${two(c.day)}`, time: `${two(c.hour)}:${two(c.minute)}` };
}
