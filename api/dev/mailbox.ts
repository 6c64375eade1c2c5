/**
 * Development only: the messages the dev mailbox "sent", so a person can follow their links and open
 * their attachments (a meeting's calendar invitation) as the recipient's mail program would.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { attachmentDisposition } from './content-disposition.js';
import { basePath } from '../../platform/links.js';
import { attachmentsOf, type AttachmentColumns } from './outbox-attachments.js';
import { textParagraphs } from '../../platform/views.js';

/** Which attachment of which email: the email by its outbox key, the file by its name. */
const attachmentQuery = z.object({
  email: z.string().min(1).max(1000),
  name: z.string().min(1).max(255),
});

/** A size as a person reads it. */
function readableSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  return `${(bytes / 1024).toFixed(1)} KB`;
}

export async function devMailbox(app: FastifyInstance) {
  const { sql, config } = app.services;
  const base = basePath(config.publicUrl);

  app.get('/dev/mailbox', async (_request, reply) => {
    const rows = await sql<
      ({
        key: string;
        recipient: string;
        subject: string;
        text_body: string;
        created_at: Date;
      } & AttachmentColumns)[]
    >`
      select idempotency_key as key, recipient, subject, text_body, created_at, calendar from email_outbox
      where transport = 'dev-mailbox' order by created_at desc limit 200`;
    const messages = rows.map((m) => ({
      recipient: m.recipient,
      subject: m.subject,
      created_at: m.created_at,
      bodyHtml: textParagraphs(m.text_body, config.publicUrl)
        .map((p) => `<p>${p}</p>`)
        .join(''),
      attachments: attachmentsOf(m).map((a) => ({
        filename: a.filename,
        type: a.contentType.split(';')[0],
        size: readableSize(a.size),
        href: `${base}dev/mailbox/attachment?${new URLSearchParams({ email: m.key, name: a.filename })}`,
      })),
    }));
    return reply
      .header('cache-control', 'no-store')
      .page('dev-mailbox', { title: 'Development mailbox', messages });
  });

  app.get('/dev/mailbox/attachment', async (request, reply) => {
    const query = attachmentQuery.safeParse(request.query);
    if (!query.success)
      return reply.message(400, 'requestInvalid', { detail: query.error.issues[0]?.message });
    const [row] = await sql<AttachmentColumns[]>`
      select calendar from email_outbox
      where idempotency_key = ${query.data.email} and transport = 'dev-mailbox'`;
    const file = row && attachmentsOf(row).find((a) => a.filename === query.data.name);
    if (!file) return reply.callNotFound();
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', attachmentDisposition(file.filename))
      .type(file.contentType)
      .send(file.content);
  });
}
