import { describe, expect, it } from 'vitest';
import { FormDefinition, parseSubmission } from '../domain/forms/definition.js';

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
});
