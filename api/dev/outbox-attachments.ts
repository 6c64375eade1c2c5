/**
 * The files an email in the outbox carries, read back from its row: the row keeps what was sent (today a
 * meeting's calendar invitation), so the development mailbox can list and serve exactly that.
 */
import { calendarAttachment } from '../../platform/mailer.js';

export interface OutboxAttachment {
  filename: string;
  contentType: string;
  content: string;
  /** In bytes, as the file is downloaded (UTF-8). */
  size: number;
}

/** The outbox columns that hold attachments. */
export interface AttachmentColumns {
  calendar: string | null;
}

export function attachmentsOf(row: AttachmentColumns): OutboxAttachment[] {
  const files: OutboxAttachment[] = [];
  if (row.calendar) {
    const { filename, contentType } = calendarAttachment(row.calendar);
    files.push({
      filename,
      contentType,
      content: row.calendar,
      size: Buffer.byteLength(row.calendar, 'utf8'),
    });
  }
  return files;
}
