/**
 * Where email goes: an SMTP server when SMTP_URL is set, otherwise the development mailbox (the
 * outbox rows themselves, listed on /dev/mailbox). Production requires SMTP_URL (platform/config.ts).
 */
import nodemailer from 'nodemailer';
import { emailsFailed, emailsSent } from './metrics.js';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** An iCalendar invitation, sent as an attachment that calendars offer to add. */
  calendar?: string;
}

/**
 * How a calendar invitation travels: as this file, of this type, which calendars offer to add (or, for
 * a cancellation, to remove). The development mailbox offers the same file for download.
 */
export function calendarAttachment(calendar: string) {
  const method = calendarMethod(calendar);
  return { filename: 'meeting.ics', contentType: `text/calendar; charset=utf-8; method=${method}`, method };
}

/** The iTIP method an iCalendar file states: REQUEST for an invitation or an update, CANCEL for a cancellation. */
function calendarMethod(calendar: string): 'REQUEST' | 'CANCEL' {
  return /^METHOD:CANCEL\r?$/m.test(calendar) ? 'CANCEL' : 'REQUEST';
}

export interface Mailer {
  transport: 'smtp' | 'dev-mailbox';
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

export function createMailer(opts: {
  smtpUrl: string | undefined;
  from: string;
  log: (line: string) => void;
}): Mailer {
  if (!opts.smtpUrl) {
    return {
      transport: 'dev-mailbox',
      // Only that one was written: its links carry personal tokens (bearer secrets) and its subject
      // and address name people, none of which belongs in a log. The mailbox page shows them.
      async send() {
        emailsSent.inc();
        opts.log('dev-mailbox: an email was written to the development mailbox (/dev/mailbox)');
      },
      close() {},
    };
  }
  // A send must end within the email activity's 30 seconds (activities/email.ts leases each email to
  // one attempt for 35): nodemailer's own defaults wait minutes on a server that went quiet.
  const transporter = nodemailer.createTransport({
    url: opts.smtpUrl,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 15_000,
  });
  return {
    transport: 'smtp',
    async send(email) {
      const { calendar, ...message } = email;
      await transporter
        .sendMail({
          from: opts.from,
          ...message,
          ...(calendar
            ? {
                icalEvent: {
                  method: calendarAttachment(calendar).method,
                  filename: calendarAttachment(calendar).filename,
                  content: calendar,
                },
              }
            : {}),
        })
        .then(
          () => emailsSent.inc(),
          (err: unknown) => {
            emailsFailed.inc();
            throw err;
          },
        );
    },
    close: () => transporter.close(),
  };
}
