/**
 * Property-style checks of the validation each form definition derives: for every form the programmes
 * use, and for a sample that has every field kind and a conditional question, generated valid
 * submissions are accepted (and keep only what was asked), and a submission with one field spoiled is
 * rejected with a message on exactly that field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  choicesOf,
  fieldsOf,
  FormDefinition,
  parseSubmission,
  visibleFields,
  type Field,
} from '../domain/forms/definition.js';
import { allForms } from '../domain/forms/index.js';
import { everyKind } from './helpers/forms.js';

const forms = [...allForms, everyKind];

/**
 * Text of `min` to `max` characters as the browser's maxlength counts them (UTF-16 code units, which the
 * server counts too): a grapheme such as "Ố" can be several of them.
 */
const printable = (min: number, max: number) =>
  fc
    .string({ unit: 'grapheme', minLength: min, maxLength: max })
    .filter((s) => s.trim().length >= min && s.trim().length <= max);

/** A valid raw answer (as a browser would send it) for one field. */
function validAnswer(field: Field): fc.Arbitrary<string | string[] | undefined> {
  const optional = <T>(a: fc.Arbitrary<T>) =>
    field.required ? a : fc.oneof(a, fc.constant(undefined as T | undefined));
  const values = choicesOf(field).map((o) => o.value);
  switch (field.kind) {
    case 'short-text':
    case 'long-text':
      return optional(printable(1, Math.min(field.maxLength ?? 200, 60)));
    case 'email':
      // The addresses people type, not every form RFC 5322 allows (which the server refuses on purpose).
      return optional(
        fc.stringMatching(/^[a-z0-9]{1,12}(\.[a-z0-9]{1,8})?@[a-z0-9]{2,10}\.(org|com|no|dk|se|nl)$/),
      );
    case 'number':
      return optional(fc.integer({ min: field.min ?? -1000, max: field.max ?? 1000 }).map(String));
    case 'date':
      return optional(
        fc
          .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10)),
      );
    case 'date-time':
      return optional(
        fc
          .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 16)),
      );
    case 'single-choice':
    case 'rating':
    case 'likert':
    case 'yes-no':
      return optional(fc.constantFrom(...values));
    case 'multiple-choice':
      return field.required
        ? fc.subarray(values, { minLength: 1 })
        : fc.subarray(values).map((v) => (v.length ? v : undefined));
    case 'consent':
      return optional(fc.constant('yes'));
    case 'info':
      return fc.constant(undefined);
  }
}

/** A raw answer that this field must refuse, with the reason it is wrong. */
function invalidAnswer(field: Field): fc.Arbitrary<string | string[] | undefined> | undefined {
  const max = field.maxLength;
  switch (field.kind) {
    case 'short-text':
    case 'long-text':
      return max ? fc.constant('x'.repeat(max + 1)) : field.required ? fc.constant('   ') : undefined;
    case 'email':
      return fc.constantFrom('not-an-address', 'a@', '@b.org');
    case 'number':
      return fc.oneof(
        fc.constantFrom('twelve', '1e3', '1,5'),
        ...(field.max !== undefined ? [fc.constant(String(field.max + 1))] : []),
        ...(field.min !== undefined ? [fc.constant(String(field.min - 1))] : []),
      );
    case 'date':
      return fc.constantFrom('2027-13-01', '14/03/2027', 'tomorrow');
    case 'date-time':
      return fc.constantFrom('2027-03-14', '2027-03-14T25:00', '14/03/2027 09:00', 'at nine');
    case 'single-choice':
    case 'rating':
    case 'likert':
    case 'yes-no':
      return fc.constantFrom('not-an-option', '0', '6');
    case 'multiple-choice':
      return fc.constant(['not-an-option']);
    case 'consent':
      return fc.constantFrom('no', 'on');
    case 'info':
      return undefined;
  }
}

/** A whole valid submission: every field answered as allowed (hidden ones may carry leftovers). */
function validSubmission(form: FormDefinition) {
  const fields = fieldsOf(form).filter((f) => f.kind !== 'info');
  return fc.record(Object.fromEntries(fields.map((f) => [f.name, validAnswer(f)]))).map((answers) => {
    const raw: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(answers)) if (value !== undefined) raw[name] = value;
    return raw;
  });
}

describe.each(forms.map((f) => [`${f.id} v${f.version}`, f] as const))('%s', (_name, form) => {
  it('accepts generated valid submissions and keeps only the questions that were asked', () => {
    fc.assert(
      fc.property(validSubmission(form), (raw) => {
        const result = parseSubmission(form, raw);
        expect(result.ok, JSON.stringify(result)).toBe(true);
        if (!result.ok) return;
        expect(Object.keys(result.values).sort()).toEqual([...visibleFields(form, raw)].sort());
      }),
      { numRuns: 150 },
    );
  });

  const spoilable = fieldsOf(form).filter((f) => invalidAnswer(f) !== undefined);
  it.each(spoilable.map((f) => [f.name, f] as const))(
    'rejects a submission whose %s is wrong, naming that field',
    (name, field) => {
      fc.assert(
        fc.property(validSubmission(form), invalidAnswer(field)!, (raw, bad) => {
          const spoiled = { ...raw, [name]: bad! };
          // Spoil only a question that is asked: make its condition hold.
          if (field.showWhen) spoiled[field.showWhen.field] = field.showWhen.equals[0]!;
          if (!visibleFields(form, spoiled).has(name)) return; // its condition's own condition is off
          const result = parseSubmission(form, spoiled);
          expect(result.ok).toBe(false);
          if (result.ok) return;
          expect(Object.keys(result.errors)).toEqual([name]);
          expect(result.errors[name]).toContain(field.label);
        }),
        { numRuns: 60 },
      );
    },
  );

  it('rejects a field the form does not have', () => {
    fc.assert(
      fc.property(
        validSubmission(form),
        fc.stringMatching(/^[a-z]{3,12}$/).filter((n) => !fieldsOf(form).some((f) => f.name === n)),
        (raw, extra) => {
          const result = parseSubmission(form, { ...raw, [extra]: 'x' });
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.formErrors.join(' ')).toContain(extra);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('a conditional question', () => {
  it('is ignored, not checked, when its condition does not hold', () => {
    const base = { name: 'Ada', hours: '4', form: 'video', useful: '4', again: 'yes', consent: 'yes' };
    const r = parseSubmission(everyKind, { ...base, room: '', why: 'x'.repeat(5000) });
    expect(r.ok && r.values).toMatchObject({ form: 'video' });
    expect(r.ok && 'room' in r.values).toBe(false);
    const asked = parseSubmission(everyKind, { ...base, form: 'room', room: '' });
    expect(!asked.ok && asked.errors).toEqual({ room: 'Please fill in “Which room”.' });
  });

  it('must depend on an earlier choice field', () => {
    const broken = {
      id: 'broken',
      version: 1,
      title: 'Broken',
      sections: [
        {
          title: 'S',
          fields: [
            { name: 'a', kind: 'short-text', label: 'A', showWhen: { field: 'b', equals: ['yes'] } },
            { name: 'b', kind: 'yes-no', label: 'B' },
          ],
        },
      ],
    };
    expect(() => FormDefinition.parse(broken)).toThrow(/a depends on b/);
  });
});
