/**
 * One mechanism for every coordinator action on a workflow (a relationship's, a cohort's): each action
 * is a small form whose schema is checked here, then an Update that carries the coordinator's user id.
 * The workflow's validator has the last word; its refusal comes back on the page with what was typed.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TFunction } from 'i18next';
import { z } from 'zod';
import { pickLanguage, translator } from '../../platform/i18n.js';
import type { Actor } from '../../workflows/messages.js';
import { refusalText } from '../refusals.js';

export interface WorkflowAction {
  schema: (t: TFunction) => z.ZodObject;
  /** Sends the Update; `values` are the schema's output. */
  send: (handle: WorkflowHandle, values: never, by: Actor) => Promise<unknown>;
  /**
   * Whether the workflow's published status shows what the action leads to (an ending, say, is done
   * once both are told, after the Update returned): the page after the action waits for it, briefly.
   */
  settled?: (status: never) => boolean;
}

/** How long the page after an action waits for the workflow to publish its outcome, at most. */
const SETTLE_MS = 5_000;

/** A coordinator's reason: required, kept in history, and for an ending told to the people concerned. */
export const reason = (t: TFunction) =>
  z.string().trim().min(1, t('relationship.errors.reason')).max(2000, t('relationship.errors.reasonTooLong'));

type Params = Record<string, string>;
type ActionRequest = FastifyRequest<{ Params: Params; Body: Record<string, unknown> }>;

export interface ActionRoutes {
  /** The page's path with its parameters (`/programs/:programId/cohorts/:number`); actions go below it. */
  path: string;
  params: object;
  actions: Record<string, WorkflowAction>;
  /** The workflow an action of this request is for, or undefined when the page has none (404). */
  workflowOf: (params: Params) => Promise<string | undefined>;
  /** Draws the page again with the refusal and what was typed. */
  page: (
    request: ActionRequest,
    reply: FastifyReply,
    extra: Record<string, unknown>,
    code: number,
  ) => unknown;
  /** Where the coordinator lands after an action. */
  back: (params: Params, action: string) => string;
  /** The message when the workflow has closed (the catalogue key). */
  closedKey: string;
  /** Reads the workflow's published status, for actions that wait until it shows their outcome. */
  statusOf?: (workflowId: string) => Promise<unknown>;
}

/** Waits until `settled` holds for the published status, or the time runs out (the page then shows what is). */
async function settle(
  read: (() => Promise<unknown>) | undefined,
  settled: ((s: never) => boolean) | undefined,
) {
  if (!read || !settled) return;
  const until = Date.now() + SETTLE_MS;
  while (Date.now() < until) {
    const status = await read().catch(() => undefined);
    if (status !== undefined && settled(status as never)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function registerActions(app: FastifyInstance, routes: ActionRoutes): void {
  const { temporal } = app.services;
  for (const [name, action] of Object.entries(routes.actions)) {
    app.post<{ Params: Params; Body: Record<string, unknown> }>(
      `${routes.path}/${name}`,
      { config: { access: 'program-coordinator' }, schema: { params: routes.params } },
      async (request, reply) => {
        const t = translator(pickLanguage(request.pageContext.lang));
        const workflowId = await routes.workflowOf(request.params);
        if (!workflowId) return reply.callNotFound();
        const { _csrf, ...fields } = request.body ?? {};
        const refused = (code: number, actionError: string) =>
          routes.page(request, reply, { actionError, action: name, values: fields }, code);
        const parsed = action.schema(t).strict().safeParse(fields);
        if (!parsed.success)
          return refused(400, parsed.error.issues[0]?.message ?? t('relationship.errors.check'));
        const by = { userId: request.adminUser!.id };
        try {
          await action.send(temporal.workflow.getHandle(workflowId), parsed.data as never, by);
        } catch (err) {
          if (err instanceof WorkflowUpdateFailedError) return refused(409, refusalText(t, err));
          if (err instanceof WorkflowNotFoundError) return refused(409, t(routes.closedKey));
          throw err;
        }
        await settle(routes.statusOf && (() => routes.statusOf!(workflowId)), action.settled);
        request.log.info({ workflowId, action: name, by: by.userId }, 'coordinator acted on a workflow');
        return reply.redirect(routes.back(request.params, name), 303);
      },
    );
  }
}
