/**
 * The one renderer draws every field kind from its definition: each input has its label, errors and
 * conditions are tied to their field with aria-describedby, and what the person typed comes back.
 */
import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { parseSubmission } from '../domain/forms/definition.js';
import { allForms } from '../domain/forms/index.js';
import { formView } from '../domain/forms/view-model.js';
import { Views } from '../platform/views.js';
import { everyKind } from './helpers/forms.js';

const views = new Views();
function render(form: typeof everyKind, input: Record<string, string | string[]> = {}) {
  const parsed = parseSubmission(form, input);
  const view = formView(form, parsed.values, parsed.ok ? {} : parsed.errors);
  return parse(views.page('form', { title: form.title, form: view, action: '/f/x', hidden: [] }));
}

describe('the form renderer', () => {
  it.each([...allForms, everyKind].map((f) => [f.id, f] as const))(
    'labels every input of %s',
    (_id, form) => {
      const doc = render(form, { unknownField: 'x' });
      const inputs = doc.querySelectorAll('form input:not([type=hidden]), form select, form textarea');
      expect(inputs.length).toBeGreaterThan(0);
      for (const input of inputs) {
        const id = input.getAttribute('id');
        expect(id, input.outerHTML).toBeTruthy();
        expect(doc.querySelectorAll(`label[for="${id}"]`), `label for ${id}`).toHaveLength(1);
        for (const ref of (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean))
          expect(doc.getElementById(ref), `${id} describedby ${ref}`).toBeTruthy();
      }
    },
  );

  it('draws each kind with its own control, keeps what was typed, and says when a question applies', () => {
    const doc = render(everyKind, {
      name: '<b>Ada</b>',
      hours: 'lots',
      form: 'room',
      again: 'no',
      topics: ['career'],
    });
    expect(doc.querySelector('#f-intro')?.text).toContain('Read this first.');
    expect(doc.querySelector('#f-hours')?.getAttribute('inputmode')).toBe('decimal');
    expect(doc.querySelector('#f-hours')?.getAttribute('value')).toBe('lots');
    expect(doc.toString()).toContain('value="&lt;b&gt;Ada&lt;/b&gt;"');
    expect(doc.querySelectorAll('input[name=useful][type=radio]')).toHaveLength(5);
    expect(doc.querySelectorAll('input[name=agree][type=radio]')).toHaveLength(5);
    expect(doc.querySelector('input[name=again][value=no]')?.hasAttribute('checked')).toBe(true);
    expect(doc.querySelector('input[name=topics][value=career]')?.hasAttribute('checked')).toBe(true);
    expect(doc.querySelector('#f-room-when')?.text).toBe('Answer only if you chose “In a room” for “Form”.');
    expect(doc.querySelector('#f-room')?.getAttribute('aria-describedby')).toContain('f-room-when');
    expect(doc.querySelector('#f-hours-error')?.text).toContain('must be a number');
    expect(doc.querySelectorAll('.error-summary li')).toHaveLength(4); // hours, room, useful, consent
  });
});
