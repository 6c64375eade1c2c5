/**
 * Every email exists in the five languages: each English template has a translation that names exactly
 * the same variables (the templates are strict, so a missing one would fail to send), starts with its
 * subject, and renders; dates in it follow the language.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../platform/i18n.js';
import { templatesDir, Views } from '../platform/views.js';

const emailsIn = (lang: string) =>
  readdirSync(join(templatesDir, 'emails', lang))
    .filter((f) => f.endsWith('.hbs'))
    .map((f) => f.slice(0, -'.hbs'.length))
    .sort();

/** The variables a template reads, such as `programName`, `meetingAt` (in `date meetingAt`) or `closedBecause`. */
function variables(lang: string, name: string): string[] {
  const source = readFileSync(join(templatesDir, 'emails', lang, `${name}.hbs`), 'utf8');
  const found = new Set<string>();
  type Node = { type?: string; original?: unknown; path?: Node; params?: Node[]; [k: string]: unknown };
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    if (n.type === 'PathExpression') found.add(String(n.original));
    // A call's own name is a helper (`date`, `if`, `eq`), not a variable: only its arguments are read.
    const calls = n.type === 'MustacheStatement' || n.type === 'BlockStatement' || n.type === 'SubExpression';
    for (const [key, value] of Object.entries(n)) {
      if (calls && key === 'path' && (n.params?.length ?? 0) > 0) continue;
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') visit(value);
    }
  };
  visit(Handlebars.parse(source));
  return [...found].sort();
}

describe('emails in five languages', () => {
  const english = emailsIn('en');
  const views = new Views();

  it('has every English email in every language, with the same variables', () => {
    expect(english.length).toBeGreaterThan(20);
    for (const lang of LANGUAGES) {
      expect(emailsIn(lang), lang).toEqual(english);
      for (const name of english)
        expect(variables(lang, name), `${lang}/${name}`).toEqual(variables('en', name));
    }
  });

  it('renders each with a subject of its own, and dates in the language', () => {
    for (const name of english) {
      const data = Object.fromEntries(
        // Times (`meetingAt`, `gatheringAt`) go through the date helper; everything else is printed as it is.
        variables('en', name).map((v) => [v, v.endsWith('At') ? '2027-03-14T09:30:00Z' : `‹${v}›`]),
      );
      // Every date an email prints is on its reader's clock, naming the zone: two zones, two texts.
      if (Object.keys(data).some((v) => v.endsWith('At'))) {
        const inZone = (timeZone: string) => views.email(name, { ...data, timeZone }, 'en').text;
        expect(inZone('Europe/Oslo'), name).toContain('Europe/Oslo');
        expect(inZone('America/New_York'), name).toContain('America/New_York');
        expect(inZone('Europe/Oslo'), name).not.toContain('UTC');
      }
      const subjects = new Set<string>();
      for (const lang of LANGUAGES) {
        const email = views.email(name, data, lang);
        expect(email.subject, `${lang}/${name}`).not.toBe('');
        expect(email.html).toContain(`<html lang="${lang}">`);
        subjects.add(email.subject);
      }
      // A subject that is only a variable (the form's title) reads the same in every language.
      if (
        !/^Subject: \{\{[^}]+\}\}(\{\{#if \w+\}\}[^\n]*\{\{\/if\}\})?\n/.test(
          readFileSync(join(templatesDir, 'emails', 'en', `${name}.hbs`), 'utf8'),
        )
      )
        expect(subjects.size, name).toBe(LANGUAGES.length);
    }
    const reminder = (lang: (typeof LANGUAGES)[number]) =>
      views.email(
        'meeting-reminder',
        {
          recipientName: 'Kari',
          programName: 'P',
          meetingNumber: 3,
          meetingsPlanned: 12,
          meetingAt: '2027-03-14T09:30:00Z',
        },
        lang,
      ).text;
    expect(reminder('en')).toContain('March 14, 2027');
    expect(reminder('nb')).toContain('14. mars 2027 kl. 09:30 UTC');
    expect(reminder('nl')).toContain('14 maart 2027');
    // On the reader's clock: 09:30 UTC is 10:30 in Oslo in March.
    expect(
      views.email(
        'meeting-reminder',
        {
          recipientName: 'Kari',
          programName: 'P',
          meetingNumber: 3,
          meetingsPlanned: 12,
          meetingAt: '2027-03-14T09:30:00Z',
          timeZone: 'Europe/Oslo',
        },
        'nb',
      ).text,
    ).toContain('14. mars 2027 kl. 10:30 Europe/Oslo');
    // Why a round closed is a code the workflow sends; each language says it in its own words.
    const closed = (lang: (typeof LANGUAGES)[number], closedBecause: string) =>
      views.email(
        'coordinator-round-closed',
        { programName: 'P', programUrl: 'u', mentees: 3, mentors: 2, closedBecause },
        lang,
      ).text;
    expect(closed('en', 'full')).toContain('closed because every place is taken: 3 mentee(s)');
    expect(closed('en', 'deadline')).toContain('closed at the deadline');
    expect(closed('nb', 'full')).toContain('alle plassene er tatt');
  });
});
