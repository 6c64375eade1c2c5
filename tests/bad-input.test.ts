/**
 * Bad input gets a clear 4xx page that names the problem, keeps what the person typed where there is
 * something to keep, and writes nothing: no participant, no application, no workflow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT } from '../api/app.js';
import { Browser, encode, hiddenValue, menteeAnswers, type Page } from './helpers/http.js';
import { backends, startStack, type Stack } from './helpers/stack.js';

describe.each(backends())('bad input on the application form (database: %s)', (backend) => {
  let stack: Stack;
  let applyUrl: string;
  const browser = new Browser();

  beforeAll(async () => {
    stack = await startStack(backend);
    applyUrl = `${stack.baseUrl}/programs/${stack.programId}/apply`;
  });
  afterAll(async () => {
    // Nothing half-written, whatever was sent.
    const [counts] = await stack.sql`
      select (select count(*)::int from participants) as participants, (select count(*)::int from applications) as applications`;
    expect(counts).toEqual({ participants: 0, applications: 0 });
    expect((await stack.client.workflow.count(`ProgramId = "${stack.programId}"`)).count).toBe(0);
    await stack?.close();
  });

  async function submissionId() {
    return hiddenValue(await browser.get(applyUrl), 'submissionId');
  }

  function expectClientError(page: Page, status: number) {
    expect(page.status).toBe(status);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.doc.querySelector('h1')?.textContent?.trim().length).toBeGreaterThan(0);
  }

  it('an empty form names every required field', async () => {
    const page = await browser.post(applyUrl, { submissionId: await submissionId() });
    expectClientError(page, 400);
    const summary = page.doc.querySelector('.error-summary')!;
    expect(summary).toBeTruthy();
    for (const label of [
      'Your name',
      'Your work email',
      'Department or unit',
      'Your level in the organisation',
      'Why do you want a mentor now?',
    ]) {
      expect(summary.textContent).toContain(label);
    }
    // Messages sit beside their fields and are tied to them for screen readers.
    const name = page.doc.querySelector('#f-name')!;
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(
      page.doc.querySelector(`#${name.getAttribute('aria-describedby')!.split(' ')[0]}`)?.textContent,
    ).toContain('Please fill in');
  });

  it('keeps everything typed when one field is wrong', async () => {
    const page = await browser.post(applyUrl, {
      ...menteeAnswers({ email: 'not-an-address', goals: 'Lead "teams" <script>alert(1)</script>' }),
      submissionId: await submissionId(),
    });
    expectClientError(page, 400);
    expect(page.doc.querySelector('.error-summary')?.textContent).toContain('must be an email address');
    expect(page.doc.querySelector('#f-email')?.getAttribute('value')).toBe('not-an-address');
    expect(page.doc.querySelector('#f-name')?.getAttribute('value')).toBe('Ada Lovelace');
    expect(page.doc.querySelector('#f-goals')?.textContent).toBe('Lead "teams" <script>alert(1)</script>');
    expect(page.html).not.toContain('<script>alert(1)</script>');
    expect(page.doc.querySelector('#f-level option[selected]')?.getAttribute('value')).toBe('2');
    expect(
      page.doc.querySelectorAll('input[name=languages][checked]').map((e) => e.getAttribute('value')),
    ).toEqual(['en', 'nl']);
    expect(page.doc.querySelector('#f-consent')?.hasAttribute('checked')).toBe(true);
  });

  it('an oversized field is refused with its limit and the text kept', async () => {
    const long = 'x'.repeat(5000);
    const page = await browser.post(applyUrl, {
      ...menteeAnswers({ reasons: long }),
      submissionId: await submissionId(),
    });
    expectClientError(page, 400);
    expect(page.text).toContain('is too long: 2000 characters at most');
    expect(page.doc.querySelector('#f-reasons')?.textContent).toBe(long);
  });

  it('a body over the size limit gets 413 with the limit named', async () => {
    const page = await browser.post(applyUrl, {
      ...menteeAnswers({ reasons: 'y'.repeat(BODY_LIMIT) }),
      submissionId: await submissionId(),
    });
    expectClientError(page, 413);
    expect(page.text).toContain(`${BODY_LIMIT / 1024} KB`);
  });

  it('unknown fields are refused by name', async () => {
    const page = await browser.post(applyUrl, {
      ...menteeAnswers(),
      isAdmin: 'true',
      salary: '1',
      submissionId: await submissionId(),
    });
    expectClientError(page, 400);
    expect(page.text).toContain('The form does not have these fields: isAdmin, salary');
    expect(page.doc.querySelector('#f-name')?.getAttribute('value')).toBe('Ada Lovelace');
  });

  it('values outside the options and repeated single fields are refused', async () => {
    const page = await browser.post(applyUrl, [
      ...Object.entries(menteeAnswers({ level: '99', languages: ['en', 'klingon'] })),
      ['name', 'Second name'],
      ['submissionId', await submissionId()],
    ] as [string, string][]);
    expectClientError(page, 400);
    expect(page.text).toContain('Choose one of the options for “Your level in the organisation”');
    expect(page.text).toContain('Choose only from the options for “Languages you can be mentored in”');
    expect(page.text).toContain('“Your name” must be text');
  });

  it('a missing or forged submission code is refused, answers kept', async () => {
    const page = await browser.post(applyUrl, { ...menteeAnswers(), submissionId: 'relationship-x' });
    expectClientError(page, 400);
    expect(page.text).toContain('missing its submission code');
    expect(page.doc.querySelector('#f-name')?.getAttribute('value')).toBe('Ada Lovelace');
  });

  it.each([
    ['application/json', JSON.stringify(menteeAnswers())],
    ['text/plain', encode(menteeAnswers())],
    [
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nAda\r\n--x--',
    ],
    ['application/xml', '<a/>'],
  ])('a %s body gets 415 naming the expected format', async (contentType, body) => {
    const page = await browser.post(applyUrl, {}, { contentType, body });
    expectClientError(page, 415);
    expect(page.text).toContain('application/x-www-form-urlencoded');
  });

  it('malformed urlencoding and odd bytes never cause a 5xx', async () => {
    for (const body of ['%', 'name=%E0%A4%A', 'a=1&&&=&b', '\u0000=\u0000', 'submissionId[]=1&name[x]=2']) {
      const page = await browser.post(applyUrl, {}, { body });
      expect(page.status, body).toBeGreaterThanOrEqual(400);
      expect(page.status, body).toBeLessThan(500);
    }
  });

  it('an invisible control character is refused by field, the rest of the text kept', async () => {
    // PostgreSQL cannot store U+0000: accepted, the answer would fail every write after the page said it was in.
    const page = await browser.post(applyUrl, {
      ...menteeAnswers({ name: 'Ada\u0000 Lovelace', reasons: 'Growth\u0007 and reach' }),
      submissionId: await submissionId(),
    });
    expectClientError(page, 400);
    expect(page.text).toContain('“Your name” held an invisible control character');
    expect(page.text).toContain('“Why do you want a mentor now?” held an invisible control character');
    expect(page.doc.querySelector('#f-name')?.getAttribute('value')).toBe('Ada Lovelace');
    expect(page.doc.querySelector('#f-reasons')?.textContent).toBe('Growth and reach');
  });

  it('a link longer than any signed one gets the invalid-link page, not the router’s JSON', async () => {
    for (const path of ['f', 's']) {
      const page = await browser.get(`${stack.baseUrl}/${path}/${'x'.repeat(1500)}`);
      expectClientError(page, 414);
      expect(page.doc.querySelector('h1')?.textContent).toBe('This link is not valid');
    }
    const page = await browser.get(`${stack.baseUrl}/f/${'x'.repeat(1500)}?lang=nb`);
    expect(page.doc.querySelector('html')?.getAttribute('lang')).toBe('nb');
  });

  it('an unknown programme and a malformed programme id are 4xx pages', async () => {
    expectClientError(await browser.get(`${stack.baseUrl}/programs/no-such-programme/apply`), 404);
    expectClientError(await browser.get(`${stack.baseUrl}/programs/${'%27;drop%20table'}/apply`), 400);
  });

  it('tampered, wrong-purpose and expired status links are refused', async () => {
    const { signer } = stack.shared;
    const wf = `relationship-${stack.programId}-00000000-0000-4000-8000-000000000000`;
    const valid = signer.sign({ p: 'status', wf, step: 'status', role: 'mentee', ttlSeconds: 60 });
    const tampered = valid.slice(0, -2) + (valid.endsWith('AA') ? 'BB' : 'AA');
    expectClientError(await browser.get(`${stack.baseUrl}/s/${tampered}`), 404);
    const formToken = signer.sign({ p: 'form', wf, step: 'status', role: 'mentee', ttlSeconds: 60 });
    expectClientError(await browser.get(`${stack.baseUrl}/s/${formToken}`), 404);
    const expired = signer.sign(
      { p: 'status', wf, step: 'status', role: 'mentee', ttlSeconds: 60 },
      Date.now() - 120_000,
    );
    expectClientError(await browser.get(`${stack.baseUrl}/s/${expired}`), 410);
    // Valid signature, but no such workflow.
    expectClientError(await browser.get(`${stack.baseUrl}/s/${valid}`), 404);
  });
});
