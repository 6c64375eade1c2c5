/**
 * Dates on the reader's clock: the coordinator gives the programme a time zone on its settings page;
 * the pair's emails and pages then show every date in it, naming it; a participant who chooses a zone
 * of their own on their status page reads their dates in that one, while the other of the pair and the
 * coordinator keep the programme's.
 */
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDate } from '../platform/views.js';
import { pauseRelationship, resumeRelationship, relationshipStatus } from '../workflows/messages.js';
import { COORDINATOR, linkIn, signedPair, useSettings, waitForMail } from './helpers/flows.js';
import { Browser, hiddenValue, type Page } from './helpers/http.js';
import { makeUser, signIn, startStack, type Stack } from './helpers/stack.js';

const addressed = (m: ParsedMail, address: string) =>
  [m.to ?? []].flat().some((to) => to.value.some((v) => v.address === address));

describe('time zones', () => {
  let stack: Stack;
  let coordinator: Browser;
  let settingsUrl: string;

  beforeAll(async () => {
    stack = await startStack('pglite');
    coordinator = await signIn(
      stack.baseUrl,
      await makeUser(stack, 'zones@example.org', [{ role: 'coordinator', programId: stack.programId }]),
    );
    settingsUrl = `${stack.baseUrl}/admin/programs/${stack.programId}/settings`;
  });
  afterAll(async () => stack?.close());

  /** The settings form's fields as a browser sends them (a box only when ticked). */
  const settingsFields = (page: Page) =>
    Object.fromEntries(
      [...page.doc.querySelectorAll('form[action$="/settings"] input')].map((i) => [
        i.getAttribute('name')!,
        i.getAttribute('type') === 'checkbox'
          ? i.hasAttribute('checked')
            ? 'on'
            : ''
          : (i.getAttribute('value') ?? ''),
      ]),
    );

  async function saveZone(zone: string) {
    const page = await coordinator.get(settingsUrl);
    const fields = settingsFields(page);
    return coordinator.post(settingsUrl, { ...fields, timeZone: zone, _csrf: hiddenValue(page, '_csrf') });
  }

  it('the coordinator sets the programme’s zone; a zone that does not exist is named and kept as typed', async () => {
    const wrong = await saveZone('Mars/Olympus');
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Time zone: “Mars/Olympus” is not a time zone such as Europe/Oslo or UTC.');
    expect(wrong.doc.querySelector('#timeZone')?.getAttribute('value')).toBe('Mars/Olympus');
    const saved = await saveZone('europe/oslo');
    expect([200, 303]).toContain(saved.status);
    const shown = await coordinator.get(settingsUrl);
    expect(shown.doc.querySelector('#timeZone')?.getAttribute('value')).toBe('Europe/Oslo');
  });

  it('the coordinator names who logs each meeting; a value that is none of the choices is named', async () => {
    const page = await coordinator.get(settingsUrl);
    const choices = [...page.doc.querySelectorAll('#meetingLogBy option')].map((o) => o.textContent);
    expect(choices).toEqual(['The mentee', 'The mentor', 'Both']);
    expect(page.doc.querySelector('#meetingLogBy option[selected]')?.getAttribute('value')).toBe('mentee');
    const fields = settingsFields(page);
    const wrong = await coordinator.post(settingsUrl, { ...fields, meetingLogBy: 'everyone' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Who logs each meeting: choose one of the options.');
    const saved = await coordinator.post(settingsUrl, {
      ...fields,
      meetingLogBy: 'both',
      _csrf: hiddenValue(wrong, '_csrf'),
    });
    expect([200, 303]).toContain(saved.status);
    const shown = await coordinator.get(settingsUrl);
    expect(shown.doc.querySelector('#meetingLogBy option[selected]')?.getAttribute('value')).toBe('both');
  });

  it('a pair’s dates are on the programme’s clock, and a mentee’s own zone is theirs alone', async () => {
    // Meetings a month apart, in the zone saved above; the rest as every test's programme has it.
    await useSettings(stack, {
      timeZone: 'Europe/Oslo',
      duration: 'P3M',
      meetingCadence: 'P1M',
      managerEndorsement: false,
    });
    const { relationship } = await signedPair(stack, 'ola@example.org', 'kari@example.org', 'Kari Nordmann');
    await expect
      .poll(async () => (await relationship.query(relationshipStatus)).meetings?.nextAt)
      .toBeTruthy();
    const first = new Date((await relationship.query(relationshipStatus)).meetings!.nextAt!);

    // The kickoff names the first meeting on the Oslo clock, to both.
    const all = await waitForMail(stack, 'kari@example.org', 'Your mentoring pair is under way');
    const kickoff = (address: string) =>
      all.find((m) => addressed(m, address) && m.subject?.startsWith('Your mentoring pair is under way'));
    await waitForMail(stack, 'ola@example.org', 'Your mentoring pair is under way');
    const oslo = formatDate(first, 'en', 'Europe/Oslo');
    expect(oslo).toMatch(/ Europe\/Oslo$/);
    expect(oslo).not.toBe(formatDate(first, 'en', 'UTC').replace(/UTC$/, 'Europe/Oslo'));
    expect(kickoff('kari@example.org')?.text).toContain(oslo);

    // Ola's status page shows the same, and lets him choose his own zone.
    const matched = await waitForMail(stack, 'ola@example.org', 'You have a mentor');
    const statusUrl = linkIn(
      matched.find((m) => addressed(m, 'ola@example.org') && m.subject?.startsWith('You have a mentor'))!,
      's',
    );
    const ola = new Browser();
    const page = await ola.get(statusUrl);
    expect(page.text).toContain(oslo);
    expect(page.doc.querySelector('#kept-time-zone option')?.textContent).toBe(
      "The programme's: Europe/Oslo",
    );
    const action = page.doc.querySelector('form[action$="/time-zone"]')!.getAttribute('action')!;
    const refused = await ola.post(new URL(action, stack.baseUrl).href, { timeZone: 'Mars/Olympus' });
    expect(refused.status).toBe(400);
    expect(
      (await ola.post(new URL(action, stack.baseUrl).href, { timeZone: 'America/New_York' })).status,
    ).toBe(303);
    const kept = await ola.get(statusUrl);
    const newYork = formatDate(first, 'en', 'America/New_York');
    expect(kept.text).toContain(newYork);
    expect(kept.doc.querySelector('#kept-time-zone option[selected]')?.textContent).toBe('America/New_York');

    // The coordinator's page of the relationship keeps the programme's clock.
    const admin = await coordinator.get(
      `${stack.baseUrl}/admin/programs/${stack.programId}/relationships/${relationship.workflowId}`,
    );
    expect(admin.text).toContain(oslo);

    // Emails from now on: Ola's on his clock, Kari's on the programme's.
    await relationship.executeUpdate(pauseRelationship, { args: [{ reason: 'Leave', by: COORDINATOR }] });
    await relationship.executeUpdate(resumeRelationship, { args: [{ by: COORDINATOR }] });
    const resumed = async (address: string) =>
      (await waitForMail(stack, address, 'Your mentoring relationship goes on')).find(
        (m) => addressed(m, address) && m.subject?.startsWith('Your mentoring relationship goes on'),
      )!;
    const next = new Date((await relationship.query(relationshipStatus)).meetings!.nextAt!);
    expect((await resumed('ola@example.org')).text).toContain(formatDate(next, 'en', 'America/New_York'));
    expect((await resumed('kari@example.org')).text).toContain(formatDate(next, 'en', 'Europe/Oslo'));
  });
});
