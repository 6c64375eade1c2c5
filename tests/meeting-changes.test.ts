/**
 * A meeting moved and a meeting cancelled, through the links in the emails alone: the mentor moves the
 * first meeting on their own clock (Oslo); the mentee gets the same calendar event again, updated, as a
 * calendar library reads it; then the mentee cancels it, and both get its cancellation with a link to
 * move the next one. Mistakes are named and keep what was typed.
 */
import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDate } from '../platform/views.js';
import { wallClock } from '../workflows/local-time.js';
import { relationshipStatus } from '../workflows/messages.js';
import { expectReplays, linkIn, signedPair, useSettings, waitForMail, csvRowOf } from './helpers/flows.js';
import { Browser } from './helpers/http.js';
import { makeUser, signIn, startStack, type Stack } from './helpers/stack.js';

const addressed = (m: ParsedMail, address: string) =>
  [m.to ?? []].flat().some((to) => to.value.some((v) => v.address === address));

/** The calendar attachment of an email, read by a calendar library. */
function calendarOf(mail: ParsedMail) {
  const file = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  expect(file, `a calendar entry in "${mail.subject}"`).toBeTruthy();
  const calendar = new ICAL.Component(ICAL.parse(file!.content.toString('utf8')));
  const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
  return {
    method: String(calendar.getFirstPropertyValue('method')),
    uid: event.uid,
    sequence: event.sequence ?? 0,
    start: event.startDate.toJSDate().getTime(),
    summary: event.summary,
    description: event.description,
    status: String(event.component.getFirstPropertyValue('status') ?? ''),
  };
}

describe('moving and cancelling a meeting', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('pglite');
    await useSettings(stack, {
      timeZone: 'Europe/Oslo',
      duration: 'P3M',
      meetingCadence: 'P1M',
      managerEndorsement: false,
    });
  });
  afterAll(async () => stack?.close());

  async function mailOnce(address: string, subject: string): Promise<ParsedMail> {
    const all = await waitForMail(stack, address, subject);
    return all.filter((m) => addressed(m, address) && m.subject?.startsWith(subject)).at(-1)!;
  }

  it('the mentor moves the first meeting; the mentee cancels it; both calendars follow', async () => {
    const { relationship } = await signedPair(stack, 'ola@example.org', 'kari@example.org', 'Kari Nordmann');
    const kickoff = await mailOnce('kari@example.org', 'Your mentoring pair is under way');
    const entry = calendarOf(kickoff);
    expect(entry.method).toBe('REQUEST');
    expect(entry.summary).toBe('Mentoring: Kari Nordmann and Mentee ola@example.org');
    expect(entry.description).toBe(
      'Mentoring meeting of Kari Nordmann and Mentee ola@example.org in Test programme.',
    );
    const first = Date.parse((await relationship.query(relationshipStatus)).meetings!.nextAt!);
    expect(entry.start).toBe(Math.floor(first / 1000) * 1000);

    // The mentor's link opens the meeting, on the Oslo clock.
    const kari = new Browser();
    const moveUrl = linkIn(kickoff, 'm');
    const page = await kari.get(moveUrl);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Meeting 1 is on ${formatDate(new Date(first), 'en', 'Europe/Oslo')}.`);
    const clock = wallClock(first, 'Europe/Oslo');
    expect(page.doc.querySelector('#time')?.getAttribute('value')).toBe(
      `${String(clock.hour).padStart(2, '0')}:${String(clock.minute).padStart(2, '0')}`,
    );

    const action = (name: string) => new URL(`${new URL(moveUrl).pathname}/${name}`, stack.baseUrl).href;
    // The mentor says she will be there; the mentee sees it on his page of the same meeting.
    const confirmed = await kari.post(action('confirm'), {});
    expect(confirmed.status).toBe(303);
    const thanked = await kari.get(new URL(confirmed.headers.get('location')!, stack.baseUrl).href);
    expect(thanked.text).toContain('You have said you will be there.');
    expect(thanked.doc.querySelector(`form[action$="/confirm"]`)).toBeNull();
    const olaKickoff = await mailOnce('ola@example.org', 'Your mentoring pair is under way');
    const olaSees = await new Browser().get(linkIn(olaKickoff, 'm'));
    expect(olaSees.text).toContain('The mentor has said they will be there.');
    expect(olaSees.doc.querySelector(`form[action$="/confirm"]`)).not.toBeNull();

    // Mistakes: a time that is no time, a day past the next meeting.
    const noTime = await kari.post(action('move'), { date: '2027-01-20', time: '9' });
    expect(noTime.status).toBe(400);
    expect(noTime.text).toContain('New time: enter a time such as 09:00.');
    expect(noTime.doc.querySelector('#time')?.getAttribute('value')).toBe('9');
    const tooLate = new Date(first + 45 * 86_400_000).toISOString().slice(0, 10);
    const late = await kari.post(action('move'), { date: tooLate, time: '09:00' });
    expect(late.status).toBe(400);
    expect(late.text).toContain('New date: choose a time ahead of now, before the meeting after this one');
    expect(late.doc.querySelector('#date')?.getAttribute('value')).toBe(tooLate);

    // Moved to two days later at 09:00 in Oslo.
    const two = (n: number) => String(n).padStart(2, '0');
    const day = wallClock(first + 2 * 86_400_000, 'Europe/Oslo');
    const date = `${day.year}-${two(day.month)}-${two(day.day)}`;
    const moved = await kari.post(action('move'), { date, time: '09:00' });
    expect(moved.status).toBe(303);
    const after = await kari.get(new URL(moved.headers.get('location')!, stack.baseUrl).href);
    expect(after.text).toContain('Moved. You both get the updated calendar entry.');
    const movedAt = Date.parse((await relationship.query(relationshipStatus)).meetings!.nextAt!);
    expect(wallClock(movedAt, 'Europe/Oslo')).toMatchObject({ hour: 9, minute: 0 });
    expect(after.text).toContain(`Meeting 1 is on ${formatDate(new Date(movedAt), 'en', 'Europe/Oslo')}.`);

    // The mentee hears who moved it, and gets the same event again, updated.
    const told = await mailOnce('ola@example.org', 'Moved: mentoring meeting 1');
    expect(told.text).toContain(
      `the mentor has moved your mentoring meeting 1 in Test programme to ${formatDate(new Date(movedAt), 'en', 'Europe/Oslo')}`,
    );
    const update = calendarOf(told);
    expect(update).toMatchObject({ method: 'REQUEST', uid: entry.uid, start: movedAt });
    expect(update.sequence).toBeGreaterThan(entry.sequence);

    // Said for the old time: after the move nobody has confirmed the new one yet.
    const ola = new Browser();
    const olaUrl = linkIn(told, 'm');
    expect((await ola.get(olaUrl)).text).not.toContain('has said they will be there');

    // The mentee cancels it from their own link: a box to tick first.
    const olaAction = (name: string) => new URL(`${new URL(olaUrl).pathname}/${name}`, stack.baseUrl).href;
    expect((await ola.get(olaUrl)).status).toBe(200);
    expect((await ola.post(olaAction('cancel'), {})).status).toBe(400);
    const cancelled = await ola.post(olaAction('cancel'), { confirm: 'yes' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.text).toContain('The meeting is cancelled');
    for (const address of ['ola@example.org', 'kari@example.org']) {
      const mail = await mailOnce(address, 'Cancelled: mentoring meeting 1');
      const cancellation = calendarOf(mail);
      expect(cancellation).toMatchObject({ method: 'CANCEL', uid: entry.uid, status: 'CANCELLED' });
      expect(cancellation.sequence).toBeGreaterThan(update.sequence);
      // The pair picks the next date from here: the link opens meeting 2.
      const next = await new Browser().get(linkIn(mail, 'm'));
      expect(next.status).toBe(200);
      expect(next.text).toContain('Meeting 2 is on');
    }
    // The old link now explains that this meeting can no longer change.
    const gone = await kari.get(moveUrl);
    expect(gone.status).toBe(409);
    expect(gone.text).toContain('This meeting can no longer be changed');
    expect((await relationship.query(relationshipStatus)).meetings).toMatchObject({ cancelled: 1, moved: 1 });
    // The coordinator's page of the relationship counts what the pair changed.
    const coordinator = await signIn(
      stack.baseUrl,
      await makeUser(stack, 'meetings@example.org', [{ role: 'coordinator', programId: stack.programId }]),
    );
    const admin = await coordinator.get(
      `${stack.baseUrl}/admin/programs/${stack.programId}/relationships/${relationship.workflowId}`,
    );
    expect(admin.text).toContain('Moved by the pair: 1. Cancelled by the pair: 1.');
    // So do the programme's dashboard and its CSV (read from what the workflow published, a moment later).
    const dashboardUrl = `${stack.baseUrl}/admin/programs/${stack.programId}/dashboard`;
    const cell = async (what: string) =>
      (await coordinator.get(dashboardUrl)).doc.querySelector(`[data-meetings="${what}"] td`)?.textContent;
    await expect.poll(() => cell('moved'), { timeout: 20_000 }).toBe('1');
    expect(await cell('cancelled')).toBe('1');
    expect(await cell('missed')).toBe('0');
    const column = await csvRowOf(coordinator, stack, relationship.workflowId);
    expect([column('meetings_moved'), column('meetings_cancelled'), column('meetings_missed')]).toEqual([
      '1',
      '1',
      '0',
    ]);
    // Its history replays, and is kept among the recorded ones (RECORD_HISTORIES=1).
    await expectReplays(stack, relationship.workflowId, 'meeting-moved-and-cancelled');
  });
});
