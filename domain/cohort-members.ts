/**
 * The project group as an enrolment form lists it: one person a line, a name and an email address
 * ("Kari Nordmann, kari@example.org", or "Kari Nordmann <kari@example.org>"). Read the same way by the
 * form's validation and by the activity that stores the organisation.
 */
import { z } from 'zod';

export interface GroupMember {
  name: string;
  email: string;
}

const EMAIL = z.email();
const LINE = /^(.+?)[\s,;]*<?([^\s<>,;]+@[^\s<>,;]+)>?$/;

/** The members, or the first line that is not a name and an address (1-based). */
export function parseGroupMembers(text: string): { members: GroupMember[] } | { badLine: number } {
  const members: GroupMember[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const match = LINE.exec(line);
    const name = match?.[1]
      ?.trim()
      .replace(/[,;<]+$/, '')
      .trim();
    const email = match?.[2]?.toLowerCase();
    if (!name || !email || !EMAIL.safeParse(email).success) return { badLine: i + 1 };
    members.push({ name: name.slice(0, 120), email });
  }
  return { members };
}
