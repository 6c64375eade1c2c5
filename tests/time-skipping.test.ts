/**
 * Real month-long timers, skipped: on the time-skipping test server a relationship with the default
 * monthly cadence and weekly form reminders reaches its first meeting a calendar month after the
 * agreement, and an unanswered meeting log is reminded a week later; a pair in Oslo that agrees on
 * Tuesdays at nine every two weeks gets calendar entries at nine, Oslo time, before and after summer
 * time ends. (The test server does not take update-with-start, so the applications here arrive as a
 * start followed by the Update.)
 */
import protos from '@temporalio/proto';
import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import { pinForms } from '../services/form-store.js';
import { wallClock } from '../workflows/local-time.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTestServer } from '../platform/temporal/temporal-cli.js';
import { DEFAULT_SETTINGS } from '../workflows/program-settings.js';
import { searchAttributes } from '../workflows/search-attributes.js';
import {
  assignMentee,
  endRelationship,
  mentorStatus,
  recordInterview,
  relationshipStatus,
  submitApplication,
} from '../workflows/messages.js';
import {
  AGREEMENT,
  answerForm,
  answerLatest,
  COORDINATOR as by,
  expectReplays,
  linkIn,
  mailTo,
  subjectIs,
  waitForMail,
} from './helpers/flows.js';
import { Browser } from './helpers/http.js';
import { startStack, type Stack } from './helpers/stack.js';

const testServer = findTestServer();
if (process.env.CI && !testServer)
  throw new Error('CI must run this test: `npm run setup` installs the test server');

describe.skipIf(!testServer)('month-long timers under time skipping', () => {
  let env: TestWorkflowEnvironment;
  let stack: Stack;
  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testServer! } },
    });
    // Like the dev server, the test server must know the search attributes the workflows set.
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: Object.fromEntries(
        searchAttributes.map((key) => [
          key.name,
          protos.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
        ]),
      ),
    });
    stack = await startStack('pglite', {}, env.address);
  });
  afterAll(async () => {
    await stack?.close();
    await env?.teardown();
  });

  async function enrol(
    kind: 'relationship' | 'mentor',
    email: string,
    answers: Record<string, unknown>,
    programme: Partial<typeof DEFAULT_SETTINGS> = {},
  ) {
    const [row] = await stack.sql<{ id: string }[]>`
      insert into participants (program_id, email, name) values (${stack.programId}, ${email}, ${email}) returning id`;
    // The forms pinned as the API pins them when someone applies: the newest versions.
    const forms = await pinForms(stack.sql, stack.programId);
    const settings = { ...DEFAULT_SETTINGS, managerEndorsement: false, forms, ...programme };
    const handle = await stack.client.workflow.start(
      kind === 'mentor' ? 'mentorWorkflow' : 'relationshipWorkflow',
      {
        workflowId: `${kind}-${stack.programId}-${row!.id}`,
        taskQueue: stack.taskQueue,
        args: [{ programId: stack.programId, participantId: row!.id, settings }],
      },
    );
    const formId = kind === 'mentor' ? 'mentor-application' : 'mentee-application';
    await handle.executeUpdate(submitApplication, {
      args: [
        {
          submissionId: crypto.randomUUID(),
          formId,
          formVersion: 1,
          answers: answers as Record<string, string>,
        },
      ],
    });
    const phase = async () =>
      (kind === 'mentor' ? await handle.query(mentorStatus) : await handle.query(relationshipStatus)).phase;
    await expect.poll(phase).toBe('interview');
    await handle.executeUpdate(recordInterview, { args: [{ outcome: 'accepted', reason: '', by }] });
    return handle;
  }

  it('meets a calendar month after the agreement and reminds an unanswered log a week later', async () => {
    const mentor = await enrol('mentor', 'mentor@example.org', { capacity: '1' });
    await expect.poll(async () => (await mentor.query(mentorStatus)).phase).toBe('pool');
    const relationship = await enrol('relationship', 'mentee@example.org', { managerEmail: 'm@example.org' });
    await expect.poll(async () => (await relationship.query(relationshipStatus)).phase).toBe('matching');
    await mentor.executeUpdate(assignMentee, { args: [{ relationshipId: relationship.workflowId, by }] });
    await waitForMail(stack, 'mentee@example.org', 'Your mentoring agreement');
    await answerLatest(stack, 'mentee@example.org', 'Your mentoring agreement', AGREEMENT, 1);
    await waitForMail(stack, 'mentor@example.org', 'Your mentoring agreement');
    await answerLatest(stack, 'mentor@example.org', 'Your mentoring agreement', AGREEMENT, 1);
    await expect.poll(async () => (await relationship.query(relationshipStatus)).phase).toBe('meetings');
    const kickoff = await env.currentTimeMs();

    await env.sleep('32 days');
    await waitForMail(stack, 'mentee@example.org', 'Mentoring meeting 1 of 12');
    const reminder = (await mailTo(stack, 'mentee@example.org', 1)).find(
      (m) => m.subject === 'Mentoring meeting 1 of 12',
    )!;
    const start = /DTSTART:(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(
      reminder.attachments[0]!.content.toString(),
    )!;
    const meeting = Date.UTC(+start[1]!, +start[2]! - 1, +start[3]!, +start[4]!, +start[5]!, +start[6]!);
    const expected = new Date(kickoff);
    expected.setUTCMonth(expected.getUTCMonth() + 1);
    expect(Math.abs(meeting - expected.getTime())).toBeLessThan(2000);
    await waitForMail(stack, 'mentee@example.org', 'Log of meeting 1');

    await env.sleep('8 days');
    await waitForMail(stack, 'mentee@example.org', 'Reminder: Log of meeting 1');
    expect((await relationship.query(relationshipStatus)).meetings?.number).toBe(1);

    await relationship.executeUpdate(endRelationship, { args: [{ reason: 'End of test.', by }] });
    expect(await relationship.result()).toBe('ended-by-coordinator');
  }, 120_000);

  it('keeps a pair that agreed on Tuesdays at nine every two weeks at nine in Oslo across the end of summer time', async () => {
    // The Tuesday twelve days before the last Sunday of October (when summer time ends), within two years.
    const now = new Date(await env.currentTimeMs());
    const year = now.getUTCFullYear() + 1;
    const lastSunday = new Date(Date.UTC(year, 9, 31 - new Date(Date.UTC(year, 9, 31)).getUTCDay()));
    const tuesday = new Date(lastSunday.getTime() - 12 * 86_400_000).toISOString().slice(0, 10);
    const oslo = { timeZone: 'Europe/Oslo', duration: 'P24M', meetingCadence: 'P1M' };
    const mentor = await enrol('mentor', 'ane@example.org', { capacity: '1' }, oslo);
    await expect.poll(async () => (await mentor.query(mentorStatus)).phase).toBe('pool');
    const relationship = await enrol(
      'relationship',
      'odd@example.org',
      { managerEmail: 'm@example.org' },
      oslo,
    );
    await expect.poll(async () => (await relationship.query(relationshipStatus)).phase).toBe('matching');
    await mentor.executeUpdate(assignMentee, { args: [{ relationshipId: relationship.workflowId, by }] });

    // The mentor signs first, proposing the plan; the page says on which clock its time is.
    const addressed = (m: ParsedMail, address: string) =>
      [m.to ?? []].flat().some((to) => to.value.some((v) => v.address === address));
    const latest = async (address: string, subject: string) =>
      (await waitForMail(stack, address, subject))
        .filter((m) => subjectIs(m.subject, subject) && addressed(m, address))
        .at(-1)!;
    const agreement = (address: string) => latest(address, 'Your mentoring agreement');
    const mentorLink = linkIn(await agreement('ane@example.org'), 'f');
    const proposing = await new Browser().get(mentorLink);
    expect(proposing.doc.querySelector('#f-firstMeeting')?.getAttribute('type')).toBe('datetime-local');
    expect(proposing.text).toContain('Times on the Europe/Oslo clock.');
    const rhythms = [...proposing.doc.querySelectorAll('input[name=frequency]')].map((i) =>
      i.getAttribute('value'),
    );
    expect(rhythms).toEqual(['P1W', 'P2W', 'P1M']);
    const plan = {
      frequency: 'P2W',
      firstMeeting: `${tuesday}T09:00`,
      meetingMinutes: '60',
      place: 'Room 4',
    };
    // A first meeting that has passed is refused by name, what was typed kept.
    const past = await answerForm(mentorLink, { ...AGREEMENT, ...plan, firstMeeting: '2020-01-07T09:00' });
    expect(past.status).toBe(400);
    expect(past.text).toContain('“Your first meeting” must lie ahead');
    expect(past.doc.querySelector('#f-firstMeeting')?.getAttribute('value')).toBe('2020-01-07T09:00');
    expect((await answerForm(mentorLink, { ...AGREEMENT, ...plan })).status).toBe(200);

    // The mentee finds it filled in, and confirms it by signing as it stands.
    const menteeLink = linkIn(await agreement('odd@example.org'), 'f');
    const confirming = await new Browser().get(menteeLink);
    expect(confirming.text).toContain('Your mentor has signed and proposed the plan below.');
    expect(confirming.doc.querySelector('#f-firstMeeting')?.getAttribute('value')).toBe(plan.firstMeeting);
    expect(confirming.doc.querySelector('input[name=frequency][value=P2W]')?.hasAttribute('checked')).toBe(
      true,
    );
    expect(confirming.doc.querySelector('#f-place')?.getAttribute('value')).toBe('Room 4');
    const shown = Object.fromEntries(
      ['firstMeeting', 'place'].map((name) => [
        name,
        confirming.doc.querySelector(`#f-${name}`)!.getAttribute('value')!,
      ]),
    );
    const confirmed = { ...AGREEMENT, ...shown, frequency: 'P2W', meetingMinutes: '60' };
    expect((await answerForm(menteeLink, confirmed)).status).toBe(200);
    await expect
      .poll(async () => (await relationship.query(relationshipStatus)).meetings?.nextAt)
      .toBeTruthy();

    /** Meeting n's reminder to the mentee, and the start its calendar file gives, read by a calendar library. */
    const { planned } = (await relationship.query(relationshipStatus)).meetings!;
    const reminder = async (n: number) => {
      const mail = await latest('odd@example.org', `Mentoring meeting ${n} of ${planned}`);
      const ics = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'))!;
      const event = new ICAL.Event(
        new ICAL.Component(ICAL.parse(ics.content.toString('utf8'))).getFirstSubcomponent('vevent')!,
      );
      return { start: event.startDate.toJSDate().getTime(), uid: event.uid, location: event.location };
    };
    for (const n of [1, 2]) {
      const at = Date.parse((await relationship.query(relationshipStatus)).meetings!.nextAt!);
      await env.sleep(at - (await env.currentTimeMs()) - 2 * 86_400_000);
      const { start, location } = await reminder(n);
      expect(wallClock(start, 'Europe/Oslo')).toMatchObject({ hour: 9, minute: 0 });
      expect(location).toBe('Room 4');
      // Tuesday before summer time ends (07:00 UTC), then two weeks on in winter time (08:00 UTC).
      expect(new Date(start).toISOString().slice(0, 13)).toBe(
        n === 1
          ? `${tuesday}T07`
          : `${new Date(lastSunday.getTime() + 2 * 86_400_000).toISOString().slice(0, 10)}T08`,
      );
      await env.sleep(3 * 86_400_000);
    }

    await relationship.executeUpdate(endRelationship, { args: [{ reason: 'End of test.', by }] });
    expect(await relationship.result()).toBe('ended-by-coordinator');
    // The first date agreed, a meeting across the change of clocks, a log asked once the meeting ended.
    await expectReplays(stack, relationship.workflowId, 'agreed-tuesdays-across-summer-time');
  }, 180_000);
});
