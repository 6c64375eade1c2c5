/**
 * Security issue 20, a mentor's side: a previous mentor's links after a rematch open and act on nothing
 * of the pair that followed (links already sent without the mentor's id work for the mentor they were
 * sent to and no one else); erasing a mentor removes their answers and emails kept under their mentees'
 * relationships, which their data export includes while they exist; and a round or a mentor pairs only
 * within its own programme, also when another programme's id begins with its own.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusalType } from '../api/refusals.js';
import { buildExport } from '../services/data-export.js';
import { eraseParticipant } from '../services/erasure.js';
import { LinkSigner } from '../platform/links.js';
import {
  admitApplicant,
  assignMentee,
  endWithoutFault,
  mentorStatus,
  proposeMatches,
  recordInterview,
  rematchPair,
  relationshipStatus,
  roundStatus,
} from '../workflows/messages.js';
import {
  AGREEMENT,
  applyAsMentee,
  applyAsMentor,
  COORDINATOR,
  linkIn,
  mailTo,
  matchedMentee,
  pooledMentor,
  signedPair,
  subjectIs,
  useSettings,
  waitForMail,
} from './helpers/flows.js';
import { Browser } from './helpers/http.js';
import { COORDINATOR_EMAIL, startStack, type Stack } from './helpers/stack.js';

describe("a mentor's links, erasure and programme", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('pglite', { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
    await useSettings(stack, {
      managerEndorsement: false,
      formReminderAfter: 'PT10M',
      meetingCadence: 'PT1H',
    });
  });
  afterAll(async () => stack?.close());

  /** The newest email with this subject to `address`, once it has come. */
  async function latest(address: string, subject: string) {
    await waitForMail(stack, address, subject);
    return (await mailTo(stack, address, 1)).filter((m) => subjectIs(m.subject, subject)).at(-1)!;
  }
  const participantId = async (email: string) =>
    (await stack.sql<{ id: string }[]>`select id from participants where email = ${email}`)[0]!.id;
  const phaseOf = async (handle: WorkflowHandle) => (await handle.query(relationshipStatus)).phase;
  /** The refusal type an Update came back with, or 'accepted'. */
  async function refusalOf(update: Promise<unknown>) {
    try {
      await update;
      return 'accepted';
    } catch (err) {
      if (!(err instanceof WorkflowUpdateFailedError)) throw err;
      return refusalType(err);
    }
  }
  const title = (page: { doc: { querySelector(s: string): { text: string } | null } }) =>
    page.doc.querySelector('main h1')?.text.trim();

  /**
   * A mentee matched with a first mentor, rematched by the coordinator and matched with a second: the
   * first mentor's status and agreement links, the second's status link, and both participant ids.
   */
  async function rematched(name: string) {
    const [before, after] = [`${name}.first@example.org`, `${name}.next@example.org`];
    const first = await pooledMentor(stack, before, `${name} First`);
    const second = await pooledMentor(stack, after, `${name} Next`);
    const relationship = await matchedMentee(stack, `${name}.mentee@example.org`, first);
    const firstStatus = linkIn(await latest(before, 'You have a mentee'), 's');
    const firstAgreement = linkIn(await latest(before, 'Your mentoring agreement'), 'f');
    expect((await new Browser().get(firstStatus)).status).toBe(200);
    await expect.poll(() => phaseOf(relationship)).toBe('kickoff');
    // The mentor reads the pair from their side.
    const mentorsPage = await new Browser().get(firstStatus);
    expect(mentorsPage.text).toContain('You have a mentee. Agree on your goals together');
    expect(mentorsPage.text).not.toContain('You have a mentor');
    await relationship.executeUpdate(rematchPair, { args: [{ reason: 'A new mentor.', by: COORDINATOR }] });
    await expect.poll(() => phaseOf(relationship)).toBe('matching');
    await second.executeUpdate(assignMentee, {
      args: [{ relationshipId: relationship.workflowId, by: COORDINATOR }],
    });
    await expect.poll(() => phaseOf(relationship)).toBe('kickoff');
    return {
      relationship,
      firstStatus,
      firstAgreement,
      secondStatus: linkIn(await latest(after, 'You have a mentee'), 's'),
      firstId: await participantId(before),
      secondId: await participantId(after),
    };
  }

  it("after a rematch, the previous mentor's status link opens and acts on nothing of the new pair", async () => {
    const { relationship, firstStatus, secondStatus, secondId } = await rematched('ola');

    // A clear page that the pair has ended, whatever the link is asked to do.
    const page = await new Browser().get(firstStatus);
    expect(page.status).toBe(410);
    expect(title(page)).toBe('This pair has ended');
    expect(page.text).not.toContain('ola Next');
    for (const [action, fields] of [
      ['end', { confirm: 'yes' }],
      ['export', {}],
      ['language', { lang: 'da' }],
    ] as const) {
      const refused = await new Browser().post(`${firstStatus}/${action}`, fields);
      expect(refused.status, action).toBe(410);
      expect(title(refused), action).toBe('This pair has ended');
    }
    const now = await relationship.query(relationshipStatus);
    expect(now.phase).toBe('kickoff');
    expect(now.mentor?.mentorParticipantId).toBe(secondId);
    expect(await stack.sql`select 1 from email_outbox where idempotency_key like 'export-%'`).toHaveLength(0);
    expect(
      (await stack.sql`select language from participants where id = ${secondId}`)[0]!.language,
    ).toBeNull();

    // The mentor now still opens the page and may end the pair.
    expect((await new Browser().get(secondStatus)).status).toBe(200);
    const ended = await new Browser().post(`${secondStatus}/end`, { confirm: 'yes' });
    expect(ended.status, ended.text).toBe(200);
    expect(title(ended)).toBe('Your pair has ended');
    await expect.poll(() => phaseOf(relationship)).toBe('matching');
  }, 60_000);

  it("after a rematch, the previous mentor's form links answer none of the new pair's steps", async () => {
    const { relationship, firstAgreement } = await rematched('kai');
    // Step ids name their pairing: the first mentor's agreement closed with it.
    const form = await new Browser().get(firstAgreement);
    expect(form.status).toBe(410);
    expect(title(form)).toBe('This form is no longer open');
    const sent = await new Browser().post(firstAgreement, { ...AGREEMENT, submissionId: randomUUID() });
    expect(sent.status).toBe(410);
    expect(
      await stack.sql`select 1 from form_submissions where workflow_id = ${relationship.workflowId}`,
    ).toHaveLength(0);
  }, 60_000);

  it('the workflow ends a pair only for someone in it', async () => {
    const { relationship, firstId, secondId } = await rematched('lea');
    const end = (role: 'mentee' | 'mentor', who: string) =>
      refusalOf(relationship.executeUpdate(endWithoutFault, { args: [{ role, participantId: who }] }));
    expect(await end('mentor', firstId)).toBe('NotInThePair');
    expect(await end('mentee', firstId)).toBe('NotInThePair');
    expect(await end('mentor', '')).toBe('NotInThePair');
    expect(await relationship.query(relationshipStatus)).toMatchObject({
      phase: 'kickoff',
      mentor: { mentorParticipantId: secondId },
    });
    expect(await end('mentor', secondId)).toBe('accepted');
    await expect.poll(() => phaseOf(relationship)).toBe('matching');
  }, 60_000);

  it('status links sent before they named the mentor work for the mentor they were sent to, only', async () => {
    const { relationship, firstStatus, secondStatus } = await rematched('max');
    const wf = relationship.workflowId;
    const signer = new LinkSigner(stack.config.linkSecret);
    const legacy = () => signer.sign({ p: 'status', wf, step: 'status', role: 'mentor', ttlSeconds: 3600 });
    const tokenOf = (link: string) => link.slice(link.lastIndexOf('/') + 1);
    /** As if the match email had carried `token`, signed before links named their holder. */
    const sentIn = (pairing: number, link: string, token: string) => stack.sql`
      update email_outbox set text_body = replace(text_body, ${tokenOf(link)}, ${token})
      where idempotency_key = ${`${wf}/pairing-${pairing}/matching/mentor`}`;
    const open = async (token: string) => (await new Browser().get(`${stack.baseUrl}/s/${token}`)).status;

    expect(await open(legacy())).toBe(410); // in no email at all
    const seconds = legacy();
    await sentIn(2, secondStatus, seconds);
    expect(await open(seconds)).toBe(200);
    const firsts = legacy();
    await sentIn(1, firstStatus, firsts);
    expect(await open(firsts)).toBe(410);
    const end = await new Browser().post(`${stack.baseUrl}/s/${firsts}/end`, { confirm: 'yes' });
    expect(end.status).toBe(410);
    expect(await phaseOf(relationship)).toBe('kickoff');
  }, 60_000);

  it("a mentor's data export includes their answers under their mentees' relationships", async () => {
    const { relationship } = await signedPair(stack, 'nils@example.org', 'petra@example.org', 'Petra Dahl');
    const wf = relationship.workflowId;
    await expect
      .poll(async () => stack.sql`select role from form_submissions where workflow_id = ${wf} order by role`)
      .toEqual([{ role: 'mentee' }, { role: 'mentor' }]);
    const exported = await buildExport(stack.sql, await participantId('petra@example.org'));
    expect(exported.forms).toEqual([
      expect.objectContaining({
        step_id: 'pairing-1/agreement/mentor',
        role: 'mentor',
        answers: expect.objectContaining({ goals: AGREEMENT.goals }),
      }),
    ]);
  }, 60_000);

  it("erasing a mentor removes their answers and emails under the mentees' relationships", async () => {
    const { mentor, relationship } = await signedPair(
      stack,
      'otto@example.org',
      'rut@example.org',
      'Rut Holm',
    );
    const wf = relationship.workflowId;
    const rut = await participantId('rut@example.org');
    await expect
      .poll(async () => stack.sql`select role from form_submissions where workflow_id = ${wf} order by role`)
      .toEqual([{ role: 'mentee' }, { role: 'mentor' }]);
    // The pair ends (a mentor still mentoring is not erased); then she is erased.
    await relationship.executeUpdate(rematchPair, { args: [{ reason: 'Moving on.', by: COORDINATOR }] });
    await expect.poll(async () => (await mentor.query(mentorStatus)).relationships).toEqual([]);
    await waitForMail(stack, 'rut@example.org', 'Your mentoring pair ends');
    const outbox = async () =>
      (
        await stack.sql<{ key: string }[]>`
          select idempotency_key as key from email_outbox
          where split_part(idempotency_key, '/', 1) = ${wf} order by 1`
      ).map((r) => r.key);
    // The coordinator's notice of this ended pair goes out last; the erasure below comes after it. (The
    // coordinator's mailbox already holds such notices of other tests' pairs: the outbox names this one.)
    await expect.poll(outbox).toContain(`${wf}/pairing-1/pair-ended/coordinator`);
    const before = await outbox();
    expect(before).toContain(`${wf}/pairing-1/matching/mentee`);
    const toHer = (k: string) => k.endsWith('/mentor') || k.includes('/mentor/');

    const result = await eraseParticipant(stack.sql, stack.client, { participantId: rut, rule: 'request' });
    // Her answer went, Otto's stays; no email to her, naming her or giving her address is left, and
    // the rest of Otto's are (checked together, so each shows on its own).
    const left = {
      answers: await stack.sql`select role from form_submissions where workflow_id = ${wf}`,
      aboutHer: await stack.sql`
        select idempotency_key from email_outbox
        where recipient = 'rut@example.org' or strpos(text_body, 'rut@example.org') > 0
           or strpos(text_body, 'Rut Holm') > 0`,
      emails: await outbox(),
    };
    expect(left).toEqual({
      answers: [{ role: 'mentee' }],
      aboutHer: [],
      emails: before.filter((k) => !toHer(k) && !k.endsWith('/matching/mentee')),
    });
    expect(result.pairingsMentored).toBe(1);
    expect((await buildExport(stack.sql, rut)).forms).toEqual([]);
  }, 60_000);

  it("a mentor takes no mentee of another programme, though its id begins with the mentor's", async () => {
    const other = `${stack.programId}-one`;
    await stack.sql`
      insert into programs (id, name, coordinator_email, settings)
      select ${other}, 'Another programme', coordinator_email, settings from programs where id = ${stack.programId}`;
    const { workflowId } = await applyAsMentor(
      stack,
      { email: 'uma@example.org', name: 'Uma Other', capacity: '2' },
      other,
    );
    expect(workflowId.startsWith(`mentor-${stack.programId}-`)).toBe(true);
    const uma = stack.client.workflow.getHandle(workflowId);
    await expect.poll(async () => (await uma.query(mentorStatus)).phase).toBe('interview');
    await uma.executeUpdate(recordInterview, {
      args: [{ outcome: 'accepted', reason: '', by: COORDINATOR }],
    });
    await expect.poll(async () => (await uma.query(mentorStatus)).phase).toBe('pool');
    const mentee = await applyAsMentee(stack, { email: 'ivo@example.org', name: 'Ivo Lind' });
    const ivo = stack.client.workflow.getHandle(mentee.workflowId);
    await expect.poll(() => phaseOf(ivo)).toBe('interview');
    await ivo.executeUpdate(recordInterview, {
      args: [{ outcome: 'accepted', reason: '', by: COORDINATOR }],
    });
    await expect.poll(() => phaseOf(ivo)).toBe('matching');

    // Uma mentors in her own programme only.
    expect(
      await refusalOf(
        uma.executeUpdate(assignMentee, { args: [{ relationshipId: ivo.workflowId, by: COORDINATOR }] }),
      ),
    ).toBe('NotInProgramme');
    expect((await uma.query(mentorStatus)).relationships).toEqual([]);
  }, 60_000);

  it("a round admits and pairs none of another programme's people, though its id begins with this one's", async () => {
    const roundProgram = `${stack.programId}r`;
    await stack.sql`
      insert into programs (id, name, coordinator_email, settings)
      select ${roundProgram}, 'Round programme', ${COORDINATOR_EMAIL}, settings from programs where id = ${stack.programId}`;
    const round = await stack.client.workflow.start('programRoundWorkflow', {
      taskQueue: stack.taskQueue,
      workflowId: `round-${roundProgram}-1`,
      args: [
        {
          programId: roundProgram,
          round: 1,
          deadline: new Date(Date.now() + 4_000).toISOString(),
          places: 5,
          openedBy: COORDINATOR,
        },
      ],
    });
    const ours = { relationshipId: `relationship-${roundProgram}-${randomUUID()}` };
    const theirs = {
      mentor: `mentor-${roundProgram}-one-${randomUUID()}`,
      mentee: `relationship-${roundProgram}-one-${randomUUID()}`,
    };
    await expect.poll(async () => (await round.query(roundStatus)).phase).toBe('open');
    const admitted = [];
    for (const [workflowId, role] of [
      [theirs.mentor, 'mentor'],
      [theirs.mentee, 'mentee'],
    ] as const)
      admitted.push(await refusalOf(round.executeUpdate(admitApplicant, { args: [{ workflowId, role }] })));
    await expect
      .poll(async () => (await round.query(roundStatus)).phase, { timeout: 15_000 })
      .toBe('matching');
    const pairs = [{ ...ours, mentorWorkflowId: theirs.mentor }];
    const proposed = await refusalOf(
      round.executeUpdate(proposeMatches, { args: [{ pairs, by: COORDINATOR }] }),
    );
    // Each of the three on its own: the admissions and the proposal are checked apart.
    expect({ admitted, proposed }).toEqual({
      admitted: ['NotInProgramme', 'NotInProgramme'],
      proposed: 'NotInProgramme',
    });
    expect(await round.query(roundStatus)).toMatchObject({ phase: 'matching', mentees: [], mentors: [] });
    await round.terminate('test done');
  }, 120_000);
});
