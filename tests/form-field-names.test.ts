/**
 * Field names that would break a form (issue 20): names of the form page's own envelope (`lang`,
 * `submissionId`, `_csrf`) and of every object's built-ins (`constructor`, `toString`, `__proto__`) are
 * refused by the meta-schema, with the editor's message in each language; and answers keyed by field
 * name never read an object's built-ins, even for a definition that bypassed the meta-schema.
 */
import { describe, expect, it } from 'vitest';
import { problemText } from '../api/admin/form-editor.js';
import { FormDefinition, parseSubmission, typedValues } from '../domain/forms/definition.js';
import { formView } from '../domain/forms/view-model.js';
import { LANGUAGES, translator } from '../platform/i18n.js';

const withField = (name: string) => ({
  id: 'sample',
  version: 1,
  title: 'Sample',
  sections: [
    {
      title: 'S',
      fields: [
        { name: 'goal', kind: 'short-text', label: 'Goal' },
        { name, kind: 'short-text', label: 'Anything', required: true },
      ],
    },
  ],
});

describe('a field name the form itself uses', () => {
  it.each([
    'constructor',
    'toString',
    'valueOf',
    'hasOwnProperty',
    'lang',
    'submissionId',
    '__proto__',
    '_csrf',
  ])('is refused: %s', (name) => {
    const checked = FormDefinition.safeParse(withField(name));
    expect(checked.success).toBe(false);
    expect(checked.error!.issues).toContainEqual(
      expect.objectContaining({ path: ['sections', 0, 'fields', 1, 'name'] }),
    );
  });

  it('is explained in the editor in every language, naming the field', () => {
    const issue = FormDefinition.safeParse(withField('submissionId')).error!.issues.find(
      (i) => i.code === 'custom',
    )!;
    expect(issue.params).toEqual({ problem: 'reservedName', name: 'submissionId' });
    const named = FormDefinition.parse(withField('other'));
    const texts = LANGUAGES.map((lang) => problemText(translator(lang), issue, named));
    expect(texts[0]).toBe(
      'sections.0.fields.1.name: the short name “submissionId” is used by the form itself; choose another.',
    );
    for (const text of texts) {
      expect(text).toContain('submissionId');
      expect(text).not.toContain('admin.formEditor');
    }
    expect(new Set(texts).size).toBe(LANGUAGES.length);
  });

  it('is still allowed inside a longer name', () => {
    expect(FormDefinition.safeParse(withField('language')).success).toBe(true);
    expect(FormDefinition.safeParse(withField('langs')).success).toBe(true);
  });
});

describe('answers keyed by field name', () => {
  const form = FormDefinition.parse(withField('name'));

  it('refuse a posted __proto__ as a field the form does not have, rather than dropping it', () => {
    // A form body arrives without a prototype; spreading it keeps `__proto__` as a plain key.
    const body = JSON.parse('{"__proto__": "x", "name": "Ada"}') as Record<string, unknown>;
    const result = parseSubmission(form, { ...body });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.formErrors).toEqual(['The form does not have these fields: __proto__.']);
  });

  it('never read an inherited property as an answer', () => {
    const body = JSON.parse('{"__proto__": {"name": "Eve"}, "goal": "x"}') as Record<string, unknown>;
    const inherited = Object.create(body.__proto__ as object) as Record<string, unknown>;
    inherited.goal = 'x';
    const result = parseSubmission(form, inherited);
    expect(!result.ok && result.errors).toEqual({ name: 'Please fill in “Anything”.' });
    expect(typedValues(form, inherited)).toEqual({ goal: 'x' });
    const view = formView(form, inherited as never);
    expect(view.sections[0]!.fields.map((f) => f.value)).toEqual(['x', '']);
  });

  it('work for a definition that did not pass the meta-schema (built in code, or checked by an older one)', () => {
    const old = {
      ...form,
      sections: [{ title: 'S', fields: [{ ...form.sections[0]!.fields[1]!, name: 'toString' }] }],
    };
    const missing = parseSubmission(old, {});
    expect(!missing.ok && missing.errors).toEqual({ toString: 'Please fill in “Anything”.' });
    const view = formView(old, {}, {});
    expect(view.errors).toEqual([]);
    expect(view.sections[0]!.fields[0]).toMatchObject({ value: '', error: undefined });
    expect(parseSubmission(old, { toString: 'fine' })).toEqual({ ok: true, values: { toString: 'fine' } });
  });
});
