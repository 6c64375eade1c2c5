/** The page a participant's personal status link opens: where their relationship is, read from the workflow. */
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { basePath } from '../../platform/links.js';
import { phaseProgress } from './progress.js';
import { endWithoutFault, relationshipStatus, type RelationshipStatus } from '../../workflows/messages.js';
import { languageLinks, translator } from '../../platform/i18n.js';
import { linkedPage } from './language.js';
import { keepChosenLanguage } from './language-choice.js';
import { keepChosenTimeZone, timeZoneChoice } from './time-zone-choice.js';
import { timeZoneOf } from '../../services/program-settings.js';
import { statusOf } from '../../services/workflow-status.js';
import { Refusal } from '../../workflows/refusals.js';
import { refusalType } from '../refusals.js';
import { mentorStillHolds } from './link-holder.js';

export async function statusRoutes(app: FastifyInstance) {
  const { signer, temporal, sql, config, taskQueue } = app.services;

  const tokenParams = { type: 'object', properties: { token: { type: 'string', maxLength: 1024 } } } as const;

  /**
   * The link's claims, the relationship's status, its programme and the person's language (`chosen`, else
   * their own, else the programme's), or a reply that explains why not.
   */
  async function resolve(token: string, reply: FastifyReply, chosen?: unknown) {
    const verified = signer.verify(token, 'status');
    if (!verified.ok)
      return verified.reason === 'expired'
        ? { reply: reply.message(410, 'linkExpired') }
        : { reply: reply.message(404, 'linkInvalid') };
    let status: RelationshipStatus;
    try {
      status = await statusOf(temporal.workflow.getHandle(verified.claims.wf), relationshipStatus);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { reply: reply.message(404, 'linkInvalid') };
      throw err;
    }
    // A previous mentor's link shows nothing of the pair that followed, and acts on nothing; the page
    // speaks their own language (or the programme's), never the new mentor's.
    if (verified.claims.role === 'mentor' && !(await mentorStillHolds(sql, token, verified.claims, status))) {
      const { lang, timeZone } = await linkedPage(
        sql,
        verified.claims,
        { programId: status.programId },
        chosen,
      );
      reply.request.pageContext.lang = lang;
      reply.request.pageContext.timeZone = timeZone;
      return { reply: pairOver(reply) };
    }
    const { program, participant, lang, timeZone } = await linkedPage(sql, verified.claims, status, chosen);
    reply.request.pageContext.lang = lang;
    reply.request.pageContext.timeZone = timeZone;
    return {
      claims: verified.claims,
      status,
      program,
      participant,
      lang,
      programmeZone: timeZoneOf(program?.settings),
    };
  }

  const pairOver = (reply: FastifyReply) => reply.message(410, 'mentorLinkEnded');

  /**
   * What the page says is happening now, from where the reader stands: the kickoff reads differently for
   * the mentor, and a pair being told is a pair (the email saying so can arrive first).
   */
  const explanationKey = (status: RelationshipStatus, role: string) => {
    if (status.phase === 'closed' && status.outcome) return `status.closed.${status.outcome}`;
    const paired = status.phase === 'kickoff' || (status.phase === 'matching' && !!status.mentor);
    if (paired) return role === 'mentor' ? 'status.now.kickoffMentor' : 'status.now.kickoff';
    return `status.now.${status.phase}`;
  };

  const pairRunning = (status: RelationshipStatus) =>
    !!status.mentor && (status.phase === 'kickoff' || status.phase === 'meetings');

  app.get<{ Params: { token: string }; Querystring: { lang?: string } }>(
    '/s/:token',
    { schema: { params: tokenParams } },
    async (request, reply) => {
      const resolved = await resolve(request.params.token, reply, request.query.lang);
      if ('reply' in resolved) return resolved.reply;
      const { claims, status, program, participant, lang, programmeZone } = resolved;
      // `?lang=` shows this page only; the person keeps a language with the form below (a POST).
      const t = translator(lang);
      return reply.page('status', {
        title: t(claims.role === 'mentor' ? 'status.mentorTitle' : 'status.menteeTitle'),
        program,
        status,
        phases: phaseProgress(status.phase),
        languages: languageLinks(lang),
        explanation: t(explanationKey(status, claims.role)),
        endAction: pairRunning(status)
          ? `${basePath(config.publicUrl)}s/${request.params.token}/end`
          : undefined,
        exportAction: participant
          ? `${basePath(config.publicUrl)}s/${request.params.token}/export`
          : undefined,
        languageAction: participant
          ? `${basePath(config.publicUrl)}s/${request.params.token}/language`
          : undefined,
        timeZoneAction:
          participant?.table === 'participants'
            ? `${basePath(config.publicUrl)}s/${request.params.token}/time-zone`
            : undefined,
        timeZones: timeZoneChoice(participant, programmeZone),
      });
    },
  );

  // Keeping a language for the person's pages and emails (see language-choice.ts).
  app.post<{ Params: { token: string }; Body: unknown }>(
    '/s/:token/language',
    { schema: { params: tokenParams } },
    async (request, reply) => {
      const resolved = await resolve(request.params.token, reply);
      if ('reply' in resolved) return resolved.reply;
      const page = `${basePath(config.publicUrl)}s/${request.params.token}`;
      return keepChosenLanguage(sql, reply, resolved.participant, request.body, page);
    },
  );

  // Keeping a time zone for the person's dates (see time-zone-choice.ts).
  app.post<{ Params: { token: string }; Body: unknown }>(
    '/s/:token/time-zone',
    { schema: { params: tokenParams } },
    async (request, reply) => {
      const resolved = await resolve(request.params.token, reply);
      if ('reply' in resolved) return resolved.reply;
      const page = `${basePath(config.publicUrl)}s/${request.params.token}`;
      return keepChosenTimeZone(sql, reply, resolved.participant, request.body, page);
    },
  );

  // The right of access: the link is the credential, and the data goes to the person's own address only.
  app.post<{ Params: { token: string } }>(
    '/s/:token/export',
    { schema: { params: tokenParams } },
    async (request, reply) => {
      const resolved = await resolve(request.params.token, reply);
      if ('reply' in resolved) return resolved.reply;
      const { status, participant } = resolved;
      if (!participant) return reply.message(404, 'linkInvalid');
      const day = new Date().toISOString().slice(0, 10);
      await temporal.workflow
        .start('dataExportWorkflow', {
          workflowId: `export-${participant.id}-${day}`,
          taskQueue,
          args: [{ participantId: participant.id, programId: status.programId }],
          // Once a day at most: asking again the same day finds the export already under way or sent.
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        })
        .catch((err: unknown) => {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        });
      return reply.message(202, 'exportSent');
    },
  );

  // Ending without fault: the link itself is the credential, so no session and no CSRF token are needed.
  app.post<{ Params: { token: string }; Body: { confirm?: unknown } }>(
    '/s/:token/end',
    { schema: { params: tokenParams } },
    async (request, reply) => {
      const resolved = await resolve(request.params.token, reply);
      if ('reply' in resolved) return resolved.reply;
      const { claims, status, participant } = resolved;
      request.changesWorkflow = claims.wf;
      if (request.body?.confirm !== 'yes') return reply.message(400, 'endNotConfirmed');
      if (!pairRunning(status) || !participant || (claims.role !== 'mentee' && claims.role !== 'mentor'))
        return reply.message(409, 'noPairToEnd');
      try {
        // Who asks goes with the request: the workflow ends only a pair that person is in (a rematch
        // may have come between this page and the Update).
        await temporal.workflow
          .getHandle(claims.wf)
          .executeUpdate(endWithoutFault, { args: [{ role: claims.role, participantId: participant.id }] });
      } catch (err) {
        if (refusalType(err) === Refusal.notInThePair) return pairOver(reply);
        if (err instanceof WorkflowUpdateFailedError) return reply.message(409, 'noPairToEnd');
        throw err;
      }
      return reply.message(200, 'pairEnded');
    },
  );
}
