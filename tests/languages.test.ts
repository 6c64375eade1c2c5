/**
 * Participant form pages in the five languages: a person's choice (a link, then the form they send),
 * else the programme's language; the form's own texts, the page's words and the validation messages
 * all follow, and every catalogue has every key English has.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { menteeAnswers, Browser, currentFields } from './helpers/http.js';
import { startStack, type Stack } from './helpers/stack.js';
import { mailTo } from './helpers/flows.js';
import { catalogue, LANGUAGES } from '../platform/i18n.js';
import { allForms } from '../domain/forms/index.js';
import { fieldsOf } from '../domain/forms/definition.js';

const keysOf = (o: unknown, prefix = ''): string[] =>
  Object.entries(o as Record<string, unknown>).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keysOf(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );

describe('languages', () => {
  let stack: Stack;
  let url: string;
  beforeAll(async () => {
    stack = await startStack('pglite');
    url = `${stack.baseUrl}/programs/${stack.programId}/apply`;
  });
  afterAll(async () => stack?.close());

  it('has every English key in every catalogue, and every form in every language', () => {
    const english = keysOf(catalogue('en')).sort();
    for (const lang of LANGUAGES) expect(keysOf(catalogue(lang)).sort(), lang).toEqual(english);
    // A translated form is translated whole: every field and section, in every language.
    for (const form of allForms)
      for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
        const t = form.translations?.[lang];
        const names = fieldsOf(form).map((f) => f.name);
        expect(Object.keys(t?.fields ?? {}).sort(), `${form.id} ${lang}`).toEqual(names.sort());
        expect(t?.sections, `${form.id} ${lang}`).toHaveLength(form.sections.length);
      }
  });

  it('shows the application form in the chosen language, and its errors in the language it was sent in', async () => {
    const browser = new Browser();
    const nb = await browser.get(`${url}?lang=nb`);
    expect(nb.doc.querySelector('html')?.getAttribute('lang')).toBe('nb');
    expect(nb.doc.querySelector('h1')?.text).toBe('Søk om mentor');
    expect(nb.text).toContain('Navnet ditt (må fylles ut)');
    expect(nb.doc.querySelector('button[type=submit]')?.text).toBe('Send søknaden');

    const sv = await browser.get(`${url}?lang=sv`);
    expect(sv.doc.querySelector('h1')?.text).toBe('Ansök om en mentor');

    const da = await browser.get(`${url}?lang=da`);
    const sent = await browser.post(url, {
      ...currentFields(da),
      ...menteeAnswers({ name: '', email: 'nope' }),
      consent: [],
    });
    expect(sent.status).toBe(400);
    expect(sent.doc.querySelector('html')?.getAttribute('lang')).toBe('da');
    expect(sent.text).toContain('Ret venligst disse 3 ting');
    expect(sent.text).toContain('Udfyld venligst »Dit navn«.');
    expect(sent.text).toContain('»Din arbejdsmail« skal være en e-mailadresse');
    expect(sent.doc.querySelector('#f-email')?.getAttribute('value')).toBe('nope');
  });

  it('keeps the language a person applied in for their emails and status page; managers get the programme’s', async () => {
    const form = await new Browser().get(`${url}?lang=sv`);
    const sent = await new Browser().post(url, {
      ...currentFields(form),
      ...menteeAnswers({ email: 'sara@example.org', name: 'Sara Ek', managerEmail: 'chef@example.org' }),
    });
    expect(sent.status).toBe(200);
    expect(sent.doc.querySelector('h1')?.text).toBe('Tack, vi har tagit emot din ansökan');
    const [person] = await stack.sql`select language from participants where email = 'sara@example.org'`;
    expect(person!.language).toBe('sv');
    const [received] = await mailTo(stack, 'sara@example.org', 1);
    expect(received!.subject).toBe('Vi har tagit emot din ansökan om mentor');
    expect(received!.html).toContain('<html lang="sv">');
    const [endorse] = await mailTo(stack, 'chef@example.org', 1);
    expect(endorse!.subject).toMatch(/^Please endorse a mentoring application: /);

    // The status link opens in Swedish; a Danish link shows the page in Danish, and only keeping
    // Danish there (a POST) is kept for what comes next.
    const statusUrl = /https?:\/\/\S+\/s\/\S+/.exec(received!.text ?? '')![0];
    const status = await new Browser().get(statusUrl);
    expect(status.doc.querySelector('html')?.getAttribute('lang')).toBe('sv');
    expect(status.text).toContain('Din chef har ombetts');
    const danish = await new Browser().get(`${statusUrl}?lang=da`);
    expect(danish.doc.querySelector('html')?.getAttribute('lang')).toBe('da');
    const [viewed] = await stack.sql`select language from participants where email = 'sara@example.org'`;
    expect(viewed!.language).toBe('sv');
    const kept = await new Browser().post(`${statusUrl}/language`, { lang: 'da' });
    expect(kept.status).toBe(303);
    const [after] = await stack.sql`select language from participants where email = 'sara@example.org'`;
    expect(after!.language).toBe('da');
    expect((await new Browser().get(statusUrl)).doc.querySelector('html')?.getAttribute('lang')).toBe('da');
  });

  it('falls back to the programme’s language, and from an unknown one to English', async () => {
    // The language is changed behind the pages' back (SQL): the API is told, as an admin change tells it.
    const setLanguage = async (language: string) => {
      await stack.sql`update programs set language = ${language} where id = ${stack.programId}`;
      stack.app.memory.programmes.forget();
    };
    await setLanguage('nl');
    const nl = await new Browser().get(url);
    expect(nl.doc.querySelector('h1')?.text).toBe('Aanmelden voor een mentor');
    expect((await new Browser().get(`${url}?lang=en`)).doc.querySelector('h1')?.text).toBe(
      'Apply for a mentor',
    );
    await setLanguage('xx');
    expect((await new Browser().get(url)).doc.querySelector('h1')?.text).toBe('Apply for a mentor');
    await setLanguage('en');
  });
});
