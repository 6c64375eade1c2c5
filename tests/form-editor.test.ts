/**
 * A coordinator edits the mentoring agreement in the admin pages: a bad edit is refused by the
 * meta-schema with what was typed kept; a good one becomes the next version (3: the built-in agreement
 * is at version 2), which a relationship started after the edit gets, while one started before keeps
 * version 2 (its form, its validation).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relationshipStatus } from '../workflows/messages.js';
import {
  AGREEMENT,
  linkIn,
  mailTo,
  matchedMentee,
  pooledMentor,
  useSettings,
  subjectIs,
} from './helpers/flows.js';
import { Browser, currentFields, hiddenValue } from './helpers/http.js';
import { backends, makeUser, signIn, startStack, type Stack } from './helpers/stack.js';

describe.each(backends())('editing a form (database: %s)', (backend) => {
  let stack: Stack;
  let coordinator: Browser;
  let editorUrl: string;

  beforeAll(async () => {
    stack = await startStack(backend);
    await useSettings(stack, { managerEndorsement: false, formReminderAfter: 'PT10M' });
    coordinator = await signIn(
      stack.baseUrl,
      await makeUser(stack, 'coord@example.org', [{ role: 'coordinator', programId: stack.programId }]),
    );
    editorUrl = `${stack.baseUrl}/admin/programs/${stack.programId}/forms/mentoring-agreement`;
  });
  afterAll(async () => stack?.close());

  /** The agreement page a mentee reaches from the emailed link. */
  async function agreementPage(email: string, count: number) {
    const mail = (await mailTo(stack, email, count)).find((m) =>
      subjectIs(m.subject, 'Your mentoring agreement'),
    )!;
    const link = linkIn(mail, 'f');
    return { link, page: await new Browser().get(link) };
  }

  it('saves an edit as a new version that only relationships started after it get', async () => {
    const mentor = await pooledMentor(stack, 'mira@example.org', 'Mira Nair', '2');
    const before = await matchedMentee(stack, 'anna@example.org', mentor);
    await expect.poll(async () => (await before.query(relationshipStatus)).open.length).toBe(2);

    const editor = await coordinator.get(editorUrl);
    expect(editor.status).toBe(200);
    expect(editor.text).toContain('Save as version 3');
    const fields = currentFields(editor);
    expect(fields['label.0']).toBe('What the mentee wants to achieve');

    // A new question needs a proper short name: refused, and everything typed is still there.
    const bad = await coordinator.post(editorUrl, {
      ...fields,
      'label.0': 'Your goal for this year',
      'new.name': 'First topic',
      'new.kind': 'short-text',
      'new.label': 'First topic to discuss',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/sections\.\d+\.fields\.\d+\.name/);
    expect(currentFields(bad)).toMatchObject({
      'label.0': 'Your goal for this year',
      'new.name': 'First topic',
    });
    // A short name the form page posts itself (its language) would swallow the answer: refused by name.
    const reserved = await coordinator.post(editorUrl, {
      ...currentFields(bad),
      'new.name': 'lang',
      _csrf: hiddenValue(bad, '_csrf'),
    });
    expect(reserved.status).toBe(400);
    expect(reserved.text).toContain('the short name “lang” is used by the form itself; choose another.');

    const saved = await coordinator.post(editorUrl, {
      ...currentFields(bad),
      'new.name': 'firstTopic',
      'new.required': 'yes',
      _csrf: hiddenValue(bad, '_csrf'),
    });
    expect(saved.status, saved.text).toBe(303);
    expect((await coordinator.get(editorUrl)).text).toContain('Save as version 4');

    // Started after the edit: version 3, with the new label and the new required question.
    const after = await matchedMentee(stack, 'bo@example.org', mentor);
    await expect.poll(async () => (await after.query(relationshipStatus)).open.length).toBe(2);
    expect((await after.query(relationshipStatus)).open.map((s) => s.formVersion)).toEqual([3, 3]);
    const newer = await agreementPage('bo@example.org', 4);
    expect(newer.page.text).toContain('Your goal for this year');
    expect(newer.page.text).toContain('First topic to discuss');
    const missing = await new Browser().post(newer.link, {
      ...AGREEMENT,
      submissionId: hiddenValue(newer.page, 'submissionId'),
    });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Please fill in “First topic to discuss”.');

    // Started before: still version 2, which takes the old answers as they were.
    expect((await before.query(relationshipStatus)).open.map((s) => s.formVersion)).toEqual([2, 2]);
    const older = await agreementPage('anna@example.org', 4);
    expect(older.page.text).toContain('What the mentee wants to achieve');
    expect(older.page.text).not.toContain('First topic to discuss');
    const answered = await new Browser().post(older.link, {
      ...AGREEMENT,
      submissionId: hiddenValue(older.page, 'submissionId'),
    });
    expect(answered.status, answered.text).toBe(200);
    // The answer is stored just after its receipt (in the task that gave it): read it once it is there.
    const storedVersion = async () =>
      (
        await stack.sql`
          select form_version from form_submissions where workflow_id = ${before.workflowId} and step_id like '%agreement/mentee'`
      )[0]?.form_version;
    await expect.poll(storedVersion).toBe(2);
  }, 90_000);

  it('keeps the translations of what was not changed, and drops those of a changed text', async () => {
    const url = `${stack.baseUrl}/admin/programs/${stack.programId}/forms/mentee-application`;
    const editor = await coordinator.get(url);
    const fields = currentFields(editor);
    expect(fields['label.0']).toBe('Your name');
    // The email is a question the programme needs: asking to remove it changes nothing.
    const saved = await coordinator.post(url, { ...fields, 'label.0': 'Your full name', 'remove.1': 'yes' });
    expect(saved.status, saved.text).toBe(303);
    // A second save from the same (now old) page would mix two edits: refused, the newest shown.
    const stale = await coordinator.post(url, { ...fields, 'label.0': 'Name' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Someone saved version 2 after you opened this page');
    expect(currentFields(stale)['label.0']).toBe('Your full name');
    const nb = await new Browser().get(`${stack.baseUrl}/programs/${stack.programId}/apply?lang=nb`);
    expect(nb.text).toContain('Your full name'); // changed: shown in English until translated again
    expect(nb.text).not.toContain('Navnet ditt');
    expect(nb.text).toContain('E-postadressen din på jobb'); // unchanged: still Norwegian
    expect(nb.doc.querySelector('#f-email')).toBeTruthy();
  });
});
