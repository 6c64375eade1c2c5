/**
 * A learning network run through the pages alone, and its member organisations through their emails:
 * the administrator makes the programme with the demo preset, the coordinator sets the cohort's timings,
 * opens a cohort of two gatherings a few seconds apart, approves two organisations, records who came;
 * one organisation answers everything, the other's project leader answers nothing, whose homework and
 * final evaluation are reminded once and then reported as missing without holding the report back.
 * Nothing here calls the project's modules, its database or Temporal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, hiddenValue, type Page } from './helpers/http.js';
import {
  answeringPeople,
  coordinatorAdded,
  formFields,
  mailsOf,
  mailWith,
  send,
  type Answering,
} from './helpers/journey.js';
import { backends, makeUser, signIn, startStack, type Stack } from './helpers/stack.js';

const PROGRAMME = 'network-2027';
const COORDINATOR = 'network.coordinator@journey.example';
const COORDINATOR_PASSWORD = 'the network coordinator’s password';
/** Seconds from the cohort's start to its two gatherings; homework is due five seconds before the second. */
const FIRST = 30;
const SECOND = 60;

const ORGANISATIONS = ['a', 'b'] as const;
const address = (org: string, who: 'owner' | 'leader' | 'member') => `${org}.${who}@network.example`;

const answersTo: Answering = (subject): Record<string, string> | undefined => {
  if (subject.startsWith('Evaluation of gathering')) return { useful: '4' };
  if (subject.startsWith('Homework before gathering')) return { report: 'We met twice.' };
  if (subject.startsWith('Guidance session before gathering')) return { held: 'yes' };
  if (subject === 'Final evaluation of the learning network') return { overall: '5', programme: 'running' };
  return undefined;
};

describe('a coordinator runs a learning network through the pages alone', () => {
  const backend = backends()[0]!;
  let stack: Stack;
  let base: string;
  let coordinator: Browser;
  let people: ReturnType<typeof answeringPeople>;
  let started: number;
  const programUrl = () => `${base}/admin/programs/${PROGRAMME}`;
  const cohortUrl = () => `${programUrl()}/cohorts/1`;

  beforeAll(async () => {
    stack = await startStack(backend, { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
    base = stack.baseUrl;
    const everyone = new Map<string, Answering>();
    // B's project leader never answers a form; B's other members evaluate the gatherings.
    for (const org of ORGANISATIONS)
      for (const who of ['owner', 'leader', 'member'] as const)
        if (!(org === 'b' && who === 'leader')) everyone.set(address(org, who), answersTo);
    people = answeringPeople(stack.smtp, everyone);
  });
  afterAll(async () => {
    await people?.stop();
    await stack?.close();
  });

  async function cohortPage(ready: (page: Page) => boolean, timeoutMs = 60_000): Promise<Page> {
    const deadline = Date.now() + timeoutMs;
    let page = await coordinator.get(cohortUrl());
    while (!ready(page) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      page = await coordinator.get(cohortUrl());
    }
    expect(ready(page), page.text.slice(0, 3000)).toBe(true);
    return page;
  }
  const at = (seconds: number) => new Date(started + seconds * 1000).toISOString().slice(0, 19);

  it('the administrator makes the network with the demo preset; its page shows what a network has', async () => {
    const admin = await signIn(
      base,
      await makeUser(stack, 'admin@network.example', [{ role: 'administrator' }]),
    );
    const form = await admin.get(`${base}/admin/programs/new`);
    const created = await send(admin, form, '/admin/programs', {
      template: 'learning-network',
      id: PROGRAMME,
      name: 'Network journey',
      language: 'en',
      coordinatorEmail: COORDINATOR,
      preset: 'demo',
    });
    expect(created.status, created.text).toBe(303);
    coordinator = await coordinatorAdded(admin, base, {
      email: COORDINATOR,
      password: COORDINATOR_PASSWORD,
      programId: PROGRAMME,
    });

    const page = await coordinator.get(programUrl());
    expect(page.text).toContain('The enrolment form:');
    expect(page.text).not.toContain('The pool');
    expect(page.text).not.toContain('Application round');
    expect(page.html).not.toContain('/apply');
    const settings = await coordinator.get(`${programUrl()}/settings`);
    expect(formFields(settings, '/settings')).toMatchObject({ cohortHomeworkDueBefore: 'PT20S' });
    expect(settings.html).not.toContain('name="meetingCadence"');
  });

  it('the coordinator sets the cohort’s timings on the settings page', async () => {
    const page = await coordinator.get(`${programUrl()}/settings`);
    const wrong = await send(coordinator, page, '/settings', { cohortFormReminders: 'twice' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain(
      'Reminders before a form counts as missing: enter a whole number from 0 to 10.',
    );
    expect(formFields(wrong, '/settings').cohortFormReminders).toBe('twice');
    const saved = await send(coordinator, wrong, '/settings', {
      cohortReminderBefore: 'PT3S',
      cohortHomeworkDueBefore: 'PT5S',
      cohortFormReminderAfter: 'PT6S',
      cohortFormReminders: '1',
    });
    expect(saved.status, saved.text).toBe(303);
  });

  it('a cohort whose gatherings leave no time for homework is refused; two gatherings seconds apart are opened', async () => {
    const list = await coordinator.get(`${programUrl()}/cohorts`);
    started = Date.now();
    const rows: Record<string, string> = {};
    for (let n = 3; n <= 7; n++)
      Object.assign(rows, { [`date-${n}`]: '', [`place-${n}`]: '', [`theme-${n}`]: '' });
    const tooClose = await send(coordinator, list, '/cohorts', {
      ...rows,
      'date-1': at(FIRST),
      'place-1': 'Town hall',
      'date-2': at(FIRST + 3),
      'place-2': 'Town hall',
    });
    expect(tooClose.status).toBe(400);
    expect(tooClose.text).toContain(
      'Gathering 2 comes too soon after gathering 1: homework given at a gathering is due PT5S before the next',
    );
    const opened = await send(coordinator, list, '/cohorts', {
      ...rows,
      'date-1': at(FIRST),
      'place-1': 'Town hall',
      'date-2': at(SECOND),
      'place-2': 'Library',
    });
    expect(opened.status, opened.text).toBe(303);
    await mailWith(stack.smtp, COORDINATOR, 'Cohort 1 is open for enrolment');
  });

  it('two organisations enrol through the public form and the coordinator approves them', async () => {
    for (const org of ORGANISATIONS) {
      const browser = new Browser();
      const url = `${base}/programs/${PROGRAMME}/enrol`;
      const form = await browser.get(url);
      expect(form.status, form.text).toBe(200);
      const sent = await browser.post(url, {
        organisation: `Municipality ${org.toUpperCase()}`,
        ownerName: `Owner ${org}`,
        ownerEmail: address(org, 'owner'),
        leaderName: `Leader ${org}`,
        leaderEmail: address(org, 'leader'),
        members: `Member ${org}, ${address(org, 'member')}`,
        motivation: 'New nurses leave within a year; mentors could help them stay.',
        consent: 'yes',
        submissionId: hiddenValue(form, 'submissionId'),
      });
      expect(sent.status, sent.text).toBe(200);
    }
    for (const org of ORGANISATIONS) {
      const page = await cohortPage((p) => p.text.includes(`Municipality ${org.toUpperCase()}`));
      const form = page.doc
        .querySelectorAll('form[action$="/enrolment"]')
        .find((f) => f.querySelector('legend')?.text.includes(`Municipality ${org.toUpperCase()}`))!;
      const done = await coordinator.post(`${cohortUrl()}/enrolment`, {
        _csrf: hiddenValue(page, '_csrf'),
        organisationId: form.querySelector('input[name=organisationId]')!.getAttribute('value')!,
        decision: 'approve',
        reason: '',
      });
      expect(done.status, done.text).toBe(303);
      await mailWith(
        stack.smtp,
        address(org, 'leader'),
        'Your organisation has a place in the learning network',
      );
    }
  });

  /** The coordinator ticks everyone present at gathering `n`, once the page asks for it. */
  async function everyoneCame(n: number) {
    const page = await cohortPage(
      (p) => !!p.doc.querySelector('form[action$="/attendance"]'),
      (SECOND + 20) * 1000,
    );
    const present = page.doc
      .querySelectorAll('form[action$="/attendance"] input[name=present]')
      .map((i) => i.getAttribute('value')!);
    expect(present).toHaveLength(6);
    const done = await coordinator.post(`${cohortUrl()}/attendance`, {
      _csrf: hiddenValue(page, '_csrf'),
      gathering: String(n),
      present,
    });
    expect(done.status, done.text).toBe(303);
  }

  it('gathering 1: everyone came; homework is due before gathering 2, not before it was given', async () => {
    await mailWith(stack.smtp, COORDINATOR, 'Record who came to gathering 1', 1, (FIRST + 20) * 1000);
    await everyoneCame(1);
    const page = await cohortPage((p) =>
      (p.doc.querySelector('#open-forms')?.text ?? '').includes('Homework'),
    );
    const homework = page.doc.querySelectorAll('#homework tbody tr');
    expect(homework).toHaveLength(2);
    for (const row of homework) expect(row.text).not.toContain('overdue');
    // B's leader is reminded once; then the homework counts as missing, in the open forms and in the list.
    await mailWith(stack.smtp, address('b', 'leader'), 'Reminder: Homework before gathering 2');
    const missing = await cohortPage((p) =>
      (p.doc.querySelector('#open-forms')?.text ?? '').includes('Missing: reminded, no answer'),
    );
    expect(missing.doc.querySelector('#open-forms')!.text).toContain('Leader b, Municipality B');
  });

  it('gathering 2 and the closing: B’s final evaluation is reminded once, then the report comes without it', async () => {
    await mailWith(stack.smtp, COORDINATOR, 'Record who came to gathering 2', 1, (SECOND + 20) * 1000);
    await everyoneCame(2);
    await mailWith(stack.smtp, address('b', 'leader'), 'Reminder: Final evaluation of the learning network');
    await mailWith(stack.smtp, COORDINATOR, 'Cohort 1 has closed: its report', 1, 30_000);
    const page = await cohortPage((p) => !!p.doc.querySelector('#report-gatherings'));
    expect(page.text).toContain('Municipality A');
    const csv = await coordinator.get(`${cohortUrl()}/report.csv`);
    const rows = csv.html.trim().split('\n');
    // organisation, state, joined, attended, on time, late, missing, guidance, final score
    expect(rows.find((r) => r.startsWith('organisation,Municipality A'))).toMatch(
      /^organisation,Municipality A,approved,1,2,1,0,0,1,5,/,
    );
    expect(rows.find((r) => r.startsWith('organisation,Municipality B'))).toMatch(
      /^organisation,Municipality B,approved,1,2,0,0,1,0,,/,
    );
    expect(people.problems).toEqual([]);
    // Exactly the emails each person got, whatever order they came in.
    const received = (to: string) =>
      mailsOf(stack.smtp, to)
        .map((m) => m.subject)
        .sort();
    const gatherings = [1, 2].flatMap((n) => [
      `Invitation: gathering ${n} of the learning network`,
      `Reminder: gathering ${n} of the learning network`,
      `Evaluation of gathering ${n}`,
    ]);
    const leader = [
      ...gatherings,
      'We have received your enrolment in the learning network',
      'Your organisation has a place in the learning network',
      'Homework before gathering 2',
      'Guidance session before gathering 2',
      'Final evaluation of the learning network',
    ];
    const expected: Record<string, string[]> = {
      [address('a', 'owner')]: gatherings,
      [address('a', 'member')]: gatherings,
      [address('a', 'leader')]: leader,
      [address('b', 'owner')]: gatherings,
      [address('b', 'member')]: gatherings,
      // Every form once reminded, none answered.
      [address('b', 'leader')]: [
        ...leader,
        ...[
          'Evaluation of gathering 1',
          'Evaluation of gathering 2',
          'Homework before gathering 2',
          'Guidance session before gathering 2',
          'Final evaluation of the learning network',
        ].map((form) => `Reminder: ${form}`),
      ],
      [COORDINATOR]: [
        'Cohort 1 is open for enrolment',
        'A new organisation has enrolled in cohort 1',
        'A new organisation has enrolled in cohort 1',
        'Record who came to gathering 1',
        'Record who came to gathering 2',
        'Cohort 1 has closed: its report',
      ],
    };
    for (const [to, subjects] of Object.entries(expected)) expect(received(to), to).toEqual(subjects.sort());
    const addressed = new Set(
      stack.smtp.messages.flatMap((m) => [m.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address))),
    );
    expect([...addressed].sort()).toEqual(Object.keys(expected).sort());
  });
});
