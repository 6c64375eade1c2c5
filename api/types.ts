/** What every route plugin can reach through the Fastify instance and the request. */
import type { Client } from '@temporalio/client';
import type { Sql } from '../platform/db/connect.js';
import type { AdminUser } from '../services/accounts.js';
import type { AppConfig } from '../platform/config.js';
import type { LinkSigner } from '../platform/links.js';
import type { Views } from '../platform/views.js';
import type { EncryptionCodec } from '../platform/temporal/payload-codec.js';

export interface Services {
  config: AppConfig;
  sql: Sql;
  temporal: Client;
  taskQueue: string;
  views: Views;
  signer: LinkSigner;
  /** The payload codec of platform/temporal/payload-codec.ts, for the codec endpoint. */
  codec: EncryptionCodec;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
  interface FastifyRequest {
    /** Values every page of this request shows: the signed-in user, the CSRF token. */
    pageContext: Record<string, unknown>;
    adminUser: AdminUser | null;
    /** The workflow a participant's request sends an answer or action to (api/plugins/short-memory.ts). */
    changesWorkflow: string | null;
  }
  interface FastifyReply {
    page(name: string, data?: Record<string, unknown>, status?: number): FastifyReply;
    /** The HTML `page()` would send, as a string. */
    render(name: string, data?: Record<string, unknown>): string;
    /** The message page `message.<key>` of the catalogues (a title and paragraphs) in the page's language. */
    message(status: number, key: string, values?: Record<string, unknown>): FastifyReply;
  }
  interface FastifyContextConfig {
    /** Who may use an admin route; `public` routes are the login pages. */
    access?: 'public' | 'any-role' | 'program-reader' | 'program-coordinator' | 'auditor' | 'administrator';
    /**
     * `false`: changes nothing and is called by tools that cannot carry a CSRF token (the codec endpoint).
     * `'sign-in'`: the sign-in form, whose token needs no session (api/admin/sign-in-csrf.ts).
     */
    csrf?: false | 'sign-in';
    /** Accepts a codec token (services/api-tokens.ts) in place of a session: the Temporal CLI's --codec-auth. */
    codecToken?: true;
  }
}
