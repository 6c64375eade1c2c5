/** Development only: the messages the dev mailbox "sent", so a person can follow their links. */
import type { FastifyInstance } from 'fastify';
import { textParagraphs } from '../../lib/views.js';

export async function devMailbox(app: FastifyInstance) {
  const { sql } = app.services;
  app.get('/dev/mailbox', async (_request, reply) => {
    const rows = await sql<{ recipient: string; subject: string; text_body: string; created_at: Date }[]>`
      select recipient, subject, text_body, created_at from email_outbox
      where transport = 'dev-mailbox' order by created_at desc limit 200`;
    const messages = rows.map((m) => ({
      ...m,
      bodyHtml: textParagraphs(m.text_body)
        .map((p) => `<p>${p}</p>`)
        .join(''),
    }));
    return reply
      .header('cache-control', 'no-store')
      .page('dev-mailbox', { title: 'Development mailbox', messages });
  });
}
