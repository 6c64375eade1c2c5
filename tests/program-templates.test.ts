/**
 * An administrator starts programmes from the seeds' templates: the programme gets the template's
 * model and durations, bad input is named and kept, a taken id is refused, and the new programme's
 * relationships pin its settings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAM_TEMPLATES } from '../domain/program-templates.js';
import { programSettings } from '../services/program-settings.js';
import { Browser, currentFields } from './helpers/http.js';
import { makeUser, signIn, startStack, type Stack } from './helpers/stack.js';

describe('programmes from templates', () => {
  let stack: Stack;
  let admin: Browser;
  beforeAll(async () => {
    stack = await startStack('pglite');
    admin = await signIn(
      stack.baseUrl,
      await makeUser(stack, 'root@example.org', [{ role: 'administrator' }]),
    );
  });
  afterAll(async () => stack?.close());

  it('offers the four shapes the seeds describe', () => {
    expect(PROGRAM_TEMPLATES.map((t) => t.id)).toEqual([
      'one-to-one-12',
      'one-to-one-24',
      'group-mentoring',
      'learning-network',
    ]);
    expect(PROGRAM_TEMPLATES.find((t) => t.id === 'learning-network')?.gatherings).toHaveLength(7);
  });

  it('creates a 24-month programme, names bad input and keeps it, and refuses a taken id', async () => {
    const url = `${stack.baseUrl}/admin/programs`;
    const form = await admin.get(`${url}/new`);
    expect(form.status).toBe(200);
    const fields = currentFields(form);

    const bad = await admin.post(url, {
      ...fields,
      id: 'Mentoring 2028',
      name: 'Mentoring 2028',
      coordinatorEmail: 'x',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Use 2–63 small letters');
    expect(bad.text).toContain('coordinator’s email address');
    expect(currentFields(bad)).toMatchObject({ id: 'Mentoring 2028', name: 'Mentoring 2028' });

    const ok = await admin.post(url, {
      ...currentFields(bad),
      id: 'mentoring-2028',
      template: 'one-to-one-24',
      language: 'nb',
      coordinatorEmail: 'Koordinator@Example.no',
    });
    expect(ok.status, ok.text).toBe(303);
    const [program] = await stack.sql<
      {
        model: string;
        language: string;
        coordinator_email: string;
        settings: unknown;
        applications_open: boolean;
      }[]
    >`
      select model, language, coordinator_email, settings, applications_open from programs where id = 'mentoring-2028'`;
    expect(program).toMatchObject({
      model: 'one-to-one',
      language: 'nb',
      coordinator_email: 'koordinator@example.no',
      applications_open: false,
    });
    expect(programSettings(program!.settings)).toMatchObject({ duration: 'P24M', meetingCadence: 'P1M' });
    expect((await admin.get(`${stack.baseUrl}/admin/programs/mentoring-2028`)).status).toBe(200);

    const again = await admin.post(url, {
      ...currentFields(bad),
      id: 'mentoring-2028',
      coordinatorEmail: 'a@example.org',
    });
    expect(again.status).toBe(409);
    expect(again.text).toContain('A programme with this id exists');
  });
});
