/**
 * A real SMTP server on loopback that keeps every message it receives, parsed, and counts each
 * Message-ID. The app derives the Message-ID from the email's outbox key, so the same email delivered
 * twice (a retried activity that sent again) shows as one Message-ID seen twice.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { atExit, until } from './run.js';

export interface Mailbox {
  url: string;
  messages: ParsedMail[];
  /** Messages to `address` (lower case), in the order they arrived. */
  to(address: string): ParsedMail[];
  /** Emails received more than once (by Message-ID): `"subject" to recipient <id>`, with how often. */
  duplicates(): [what: string, copies: number, arrivals: number[]][];
  waitFor(what: string, found: () => ParsedMail | undefined, timeoutMs?: number): Promise<ParsedMail>;
  close(): Promise<void>;
}

export async function startMailbox(): Promise<Mailbox> {
  const messages: ParsedMail[] = [];
  const byRecipient = new Map<string, ParsedMail[]>();
  const seen = new Map<string, number>();
  const described = new Map<string, string>();
  const arrived = new Map<string, number[]>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 1024 * 1024,
    // At the end, connections a killed worker left open are cut after this long rather than waited for.
    closeTimeout: 2_000,
    onData(stream, _session, callback) {
      const began = Date.now();
      simpleParser(stream).then(
        (mail) => {
          messages.push(mail);
          const id = mail.messageId ?? `(none ${messages.length})`;
          seen.set(id, (seen.get(id) ?? 0) + 1);
          arrived.set(id, [...(arrived.get(id) ?? []), began]);
          described.set(
            id,
            `"${mail.subject}" to ${[mail.to ?? []]
              .flat()
              .map((t) => t.text)
              .join(', ')} ${id}`,
          );
          for (const to of [mail.to ?? []].flat())
            for (const v of to.value) {
              const address = v.address?.toLowerCase() ?? '';
              byRecipient.set(address, [...(byRecipient.get(address) ?? []), mail]);
            }
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  // A sender killed mid-conversation resets its connection; a real server carries on, and so does this one.
  server.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') throw err;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  if (!address || typeof address !== 'object') throw new Error('smtp server has no address');
  const mailbox: Mailbox = {
    url: `smtp://127.0.0.1:${address.port}`,
    messages,
    to: (a) => byRecipient.get(a.toLowerCase()) ?? [],
    duplicates: () =>
      [...seen]
        .filter(([, n]) => n > 1)
        .map(([id, n]) => [described.get(id) ?? id, n, arrived.get(id) ?? []]),
    waitFor: (what, found, timeoutMs = 60_000) => until(what, found, timeoutMs, 100),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  atExit(() => mailbox.close());
  return mailbox;
}

/** The personal link of kind `f` (a form) or `s` (the status page) in an email. */
export function linkIn(mail: ParsedMail, kind: 's' | 'f'): string {
  const link = new RegExp(`(http\\S+/${kind}/[A-Za-z0-9_.-]+)`).exec(mail.text ?? '')?.[1];
  if (!link) throw new Error(`no /${kind}/ link in "${mail.subject}"`);
  return link;
}
