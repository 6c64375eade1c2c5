/** The page a participant's personal status link opens: where their relationship is, read from the workflow. */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { basePath } from '../../lib/links.js';
import { phaseProgress } from './progress.js';
import {
  endWithoutFault,
  relationshipStatus,
  type RelationshipPhase,
  type RelationshipStatus,
} from '../../workflows/messages.js';

const EXPLANATIONS: Partial<Record<RelationshipPhase, string>> = {
  application: 'We are recording your application.',
  endorsement: 'Your manager has been asked to endorse your application.',
  interview: 'The coordinator is reading your application and will invite you to a short interview.',
  matching: 'You are accepted. The coordinator is finding a mentor for you.',
  kickoff: 'You have a mentor. Agree on your goals together and both sign your mentoring agreement.',
  meetings: 'Your meetings are under way.',
  closure: 'Your relationship is closing: please fill in the final evaluation.',
};

const CLOSED: Record<NonNullable<RelationshipStatus['outcome']>, string> = {
  declined:
    'Your application was not accepted this time. The coordinator has written to you with the reason.',
  'ended-by-coordinator':
    'The coordinator has ended this relationship and has written to you with the reason.',
  'ended-org-change':
    'An organisational change ended this relationship: mentor and mentee may not work in the same unit or reporting line.',
  completed: 'Your mentoring relationship is closed. Thank you for taking part.',
};

const invalid = {
  title: 'This link is not valid',
  paragraphs: ['The link may be incomplete. Open it again from your email, or copy the whole address.'],
};

export async function statusRoutes(app: FastifyInstance) {
  const { signer, temporal, sql, config } = app.services;

  const tokenParams = { type: 'object', properties: { token: { type: 'string', maxLength: 1024 } } } as const;

  /** The link's claims and the relationship's status, or a reply that explains why not. */
  async function resolve(token: string, reply: FastifyReply) {
    const verified = signer.verify(token, 'status');
    if (!verified.ok) {
      if (verified.reason === 'expired') {
        return {
          reply: reply.page(
            'message',
            {
              title: 'This link has expired',
              paragraphs: ['Ask your programme coordinator for a new link.'],
            },
            410,
          ),
        };
      }
      return { reply: reply.page('message', invalid, 404) };
    }
    try {
      const status = await temporal.workflow.getHandle(verified.claims.wf).query(relationshipStatus);
      return { claims: verified.claims, status };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { reply: reply.page('message', invalid, 404) };
      throw err;
    }
  }

  const pairRunning = (status: RelationshipStatus) =>
    !!status.mentor && (status.phase === 'kickoff' || status.phase === 'meetings');

  app.get<{ Params: { token: string } }>(
    '/s/:token',
    { schema: { params: tokenParams } },
    async (request, reply) => {
      const resolved = await resolve(request.params.token, reply);
      if ('reply' in resolved) return resolved.reply;
      const { claims, status } = resolved;
      const [program] = await sql<{ name: string; language: string }[]>`
      select name, language from programs where id = ${status.programId}`;
      return reply.page('status', {
        title: claims.role === 'mentor' ? 'Your mentee relationship' : 'Your mentoring relationship',
        heading: claims.role === 'mentor' ? 'Your mentee relationship' : 'Your mentoring relationship',
        lang: program?.language,
        program,
        status,
        phases: phaseProgress(status.phase),
        explanation:
          status.phase === 'closed' && status.outcome
            ? CLOSED[status.outcome]
            : (EXPLANATIONS[status.phase] ?? 'Your relationship is under way.'),
        endAction: pairRunning(status)
          ? `${basePath(config.publicUrl)}s/${request.params.token}/end`
          : undefined,
      });
    },
  );

  // Ending without fault: the link itself is the credential, so no session and no CSRF token are needed.
  app.post<{ Params: { token: string }; Body: { confirm?: unknown } }>(
    '/s/:token/end',
    { schema: { params: tokenParams } },
    async (request, reply) => {
      const resolved = await resolve(request.params.token, reply);
      if ('reply' in resolved) return resolved.reply;
      const { claims, status } = resolved;
      if (request.body?.confirm !== 'yes') {
        return reply.page(
          'message',
          { title: 'Nothing was changed', paragraphs: ['Tick the box to confirm that the pair should end.'] },
          400,
        );
      }
      if (!pairRunning(status) || (claims.role !== 'mentee' && claims.role !== 'mentor')) {
        return reply.page(
          'message',
          { title: 'There is no pair to end', paragraphs: ['The relationship is not in a pair now.'] },
          409,
        );
      }
      try {
        await temporal.workflow
          .getHandle(claims.wf)
          .executeUpdate(endWithoutFault, { args: [{ role: claims.role }] });
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) {
          return reply.page(
            'message',
            { title: 'There is no pair to end', paragraphs: ['The relationship is not in a pair now.'] },
            409,
          );
        }
        throw err;
      }
      return reply.page('message', {
        title: 'Your pair has ended',
        paragraphs: [
          'Thank you for saying so. Both of you are told by email; it is no one’s fault. The coordinator will be in touch.',
        ],
      });
    },
  );
}
