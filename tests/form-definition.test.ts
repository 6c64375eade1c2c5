import { describe, expect, it } from 'vitest';
import { FormDefinition, parseSubmission } from '../domain/forms/definition.js';
import { menteeApplication } from '../domain/forms/mentee-application.js';
import { mentorApplication } from '../domain/forms/mentor-application.js';
import { allForms } from '../domain/forms/index.js';
import { keysRead } from '../domain/forms/texts.js';
import { catalogue, LANGUAGES } from '../platform/i18n.js';

const form = FormDefinition.parse({
  id: 'sample',
  version: 1,
  title: 'Sample',
  sections: [
    {
      title: 'All kinds',
      fields: [
        { name: 'name', kind: 'short-text', label: 'Name', required: true, maxLength: 5 },
        { name: 'bio', kind: 'long-text', label: 'Bio' },
        { name: 'mail', kind: 'email', label: 'Mail' },
        {
          name: 'size',
          kind: 'single-choice',
          label: 'Size',
          options: [
            { value: 's', label: 'S' },
            { value: 'm', label: 'M' },
          ],
        },
        {
          name: 'tags',
          kind: 'multiple-choice',
          label: 'Tags',
          options: [
            { value: 'a', label: 'A' },
            { value: 'b', label: 'B' },
          ],
        },
        { name: 'ok', kind: 'consent', label: 'OK', required: true },
      ],
    },
  ],
});

describe('validation derived from a form definition', () => {
  it('normalises a valid submission', () => {
    expect(parseSubmission(form, { name: ' Ada ', tags: 'a', ok: 'yes' })).toEqual({
      ok: true,
      values: { name: 'Ada', bio: '', mail: '', size: '', tags: ['a'], ok: true },
    });
  });

  it('reports each field once with a message naming it', () => {
    const r = parseSubmission(form, {
      name: 'too long',
      mail: 'nope',
      size: 'xl',
      tags: ['a', 'a'],
      ok: 'no',
      extra: '1',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      name: '“Name” is too long: 5 characters at most.',
      mail: '“Mail” must be an email address like name@example.org.',
      size: 'Choose one of the options for “Size”.',
      tags: 'Each option for “Tags” can be chosen once.',
      ok: '“OK” can only be ticked.',
    });
    expect(r.formErrors).toEqual(['The form does not have these fields: extra.']);
    expect(r.values).toMatchObject({ name: 'too long', mail: 'nope', tags: ['a', 'a'] });
  });

  it('treats a missing required field like an empty one', () => {
    const r = parseSubmission(form, {});
    expect(!r.ok && r.errors).toEqual({
      name: 'Please fill in “Name”.',
      ok: 'Please tick “OK” to continue.',
    });
  });

  it('rejects definitions that break the meta-schema', () => {
    expect(() => FormDefinition.parse({ id: 'x', version: 0, title: '', sections: [] })).toThrow();
  });

  it('gives a built-in form its words from the catalogues, and reads every word they hold', () => {
    type Texts = { forms: { menteeApplication: { fields: { goals: { label: string } } } } };
    const goals = (lang: (typeof LANGUAGES)[number]) =>
      (catalogue(lang) as Texts).forms.menteeApplication.fields.goals.label;
    const field = (form: FormDefinition) => form.sections[1]!.fields.find((f) => f.name === 'goals');
    expect(field(menteeApplication)?.label).toBe(goals('en'));
    expect(menteeApplication.translations?.nb?.fields?.goals?.label).toBe(goals('nb'));
    // The mentor application asks about the applicant with the mentee application's words.
    expect(mentorApplication.translations?.sv?.fields?.location).toEqual(
      menteeApplication.translations?.sv?.fields?.location,
    );

    const keysOf = (o: unknown, prefix: string): string[] =>
      Object.entries(o as Record<string, unknown>).flatMap(([k, v]) =>
        typeof v === 'object' && v !== null ? keysOf(v, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    expect(allForms.length).toBeGreaterThan(0);
    for (const lang of LANGUAGES)
      expect(
        keysOf(catalogue(lang).forms, 'forms.').filter((key) => !keysRead.has(key)),
        lang,
      ).toEqual([]);
  });
});
