/**
 * Drill: bad form links, opened (GET) and sent (POST) as a person or an attacker would: forged
 * (signature altered, signed with another secret, claims moved to another workflow), expired, of the
 * wrong kind (a status link used as a form link), already used, naming another participant's step,
 * and a step that is closed (the coordinator ended the relationship); and a previous mentor's status
 * link after a rematch, which must neither open the page nor end, export or change anything of the pair
 * that followed. None may be accepted; each must answer with a page that says what is wrong.
 * `npm run drill:links [-- --short]`
 */
import { randomBytes } from 'node:crypto';
import { Browser, hiddenValue, type Page } from '../tests/helpers/http.js';
import { LinkSigner } from '../platform/links.js';
import { endRelationship, rematchPair, relationshipStatus } from '../workflows/messages.js';
import { statusOf } from '../services/workflow-status.js';
import { linkIn } from './support/mailbox.js';
import {
  acceptAtInterview,
  AGREEMENT,
  applyAsMentee,
  applyAsMentor,
  assign,
  COORDINATOR,
  coordinatorUpdate,
  HttpLog,
  phaseOf,
  sendForm,
  waitForPhase,
} from './support/people.js';
import { main, progress } from './support/run.js';
import { startStack, type Stack } from './support/stack.js';
import { verdict } from './support/verdict.js';

const TITLES = {
  invalid: 'This link is not valid',
  expired: 'This link has expired',
  closed: 'This form is no longer open',
  already: 'We already have your answer',
  pairOver: 'This pair has ended',
};

/** A pair in kickoff: both have an open agreement form; returns their form links and the mentee's status link. */
async function pairInKickoff(http: HttpLog, stack: Stack, name: string) {
  const mentee = `${name}-mentee@example.org`;
  const mentor = `${name}-mentor@example.org`;
  const [m, r] = await Promise.all([
    applyAsMentor(http, stack, mentor, `${name} mentor`),
    applyAsMentee(http, stack, mentee, `${name} mentee`),
  ]);
  await Promise.all([acceptAtInterview(m), acceptAtInterview(r)]);
  await assign(m, r);
  const agreement = (to: string) =>
    stack.mailbox.waitFor(`agreement to ${to}`, () =>
      // A mentor's subject ends with the mentee's name in brackets.
      stack.mailbox.to(to).find((x) => x.subject?.startsWith('Your mentoring agreement')),
    );
  const status = await stack.mailbox.waitFor(`confirmation to ${mentee}`, () =>
    stack.mailbox.to(mentee).find((x) => x.subject === 'Your mentoring application is received'),
  );
  return {
    handle: r,
    menteeLink: linkIn(await agreement(mentee), 'f'),
    mentorLink: linkIn(await agreement(mentor), 'f'),
    statusLink: linkIn(status, 's'),
  };
}

/**
 * A pair whose mentor was replaced: matched, rematched by the coordinator, and matched again with a
 * second mentor. Returns the first mentor's status link (from the match email) and the second's.
 */
async function rematchedPair(http: HttpLog, stack: Stack, name: string) {
  const mentee = `${name}-mentee@example.org`;
  const [before, after] = [`${name}-mentor@example.org`, `${name}-next-mentor@example.org`];
  const [m1, m2, r] = await Promise.all([
    applyAsMentor(http, stack, before, `${name} mentor`),
    applyAsMentor(http, stack, after, `${name} next mentor`),
    applyAsMentee(http, stack, mentee, `${name} mentee`),
  ]);
  await Promise.all([acceptAtInterview(m1), acceptAtInterview(m2), acceptAtInterview(r)]);
  const matchTo = (to: string) =>
    stack.mailbox.waitFor(`match email to ${to}`, () =>
      stack.mailbox.to(to).find((x) => x.subject?.startsWith('You have a mentee')),
    );
  await assign(m1, r);
  const first = await matchTo(before);
  await waitForPhase(r, 'kickoff');
  await coordinatorUpdate(
    `rematch of ${r.workflowId}`,
    () =>
      r.executeUpdate(rematchPair, {
        updateId: `drill-rematch-${r.workflowId}`,
        args: [{ reason: 'Drill: a new mentor.', by: COORDINATOR }],
      }),
    async () => (await phaseOf(r)) === 'matching',
  );
  await assign(m2, r);
  const second = await matchTo(after);
  await waitForPhase(r, 'kickoff');
  return { handle: r, staleLink: linkIn(first, 's'), currentLink: linkIn(second, 's'), mentor: after };
}

const tokenOf = (link: string) => link.slice(link.lastIndexOf('/') + 1);
const claimsOf = (link: string) =>
  JSON.parse(Buffer.from(tokenOf(link).split('.')[0]!, 'base64url').toString()) as {
    wf: string;
    step: string;
    role: 'mentee' | 'mentor';
  };

main(async () => {
  const stack = await startStack({
    settings: {
      managerEndorsement: false,
      formReminderAfter: 'PT10M',
      duration: 'PT1H',
      meetingCadence: 'PT20M',
    },
  });
  const http = new HttpLog();
  const [a, b, cy] = await Promise.all([
    pairInKickoff(http, stack, 'anna'),
    pairInKickoff(http, stack, 'bo'),
    rematchedPair(http, stack, 'cy'),
  ]);
  const base = `${stack.baseUrl}/f/`;
  const signer = new LinkSigner(stack.linkSecret);
  const aClaims = claimsOf(a.menteeLink);
  const [body, mac] = tokenOf(a.menteeLink).split('.') as [string, string];
  const bBody = tokenOf(b.menteeLink).split('.')[0]!;

  // The one good answer: Anna signs her agreement; the same link must then refuse a second answer.
  const first = await sendForm(http, a.menteeLink, AGREEMENT, 'good answer');
  if (first.status !== 200) throw new Error(`the good answer was refused: ${first.status} ${first.text}`);
  // Bo's pair is ended by the coordinator: both their agreement forms close.
  await b.handle.executeUpdate(endRelationship, {
    args: [{ reason: 'Drill: a closed step.', by: COORDINATOR }],
  });
  await b.handle.result();

  const cases: { name: string; link: string; title: string }[] = [
    {
      name: 'forged: signature altered',
      link: `${base}${body}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`,
      title: TITLES.invalid,
    },
    {
      name: 'forged: signed with another secret',
      link: `${base}${new LinkSigner(randomBytes(32).toString('hex')).sign({ ...aClaims, p: 'form', ttlSeconds: 3600 })}`,
      title: TITLES.invalid,
    },
    {
      name: "forged: Anna's signature on Bo's claims",
      link: `${base}${bBody}.${mac}`,
      title: TITLES.invalid,
    },
    {
      name: 'expired',
      link: `${base}${signer.sign({ ...aClaims, p: 'form', step: 'pairing-1/agreement/mentor', role: 'mentor', ttlSeconds: 60 }, Date.now() - 3_600_000)}`,
      title: TITLES.expired,
    },
    {
      name: 'a status link used as a form link',
      link: `${base}${tokenOf(a.statusLink)}`,
      title: TITLES.invalid,
    },
    { name: 'already used', link: a.menteeLink, title: TITLES.already },
    {
      name: "another participant's step (the mentor's, in a link signed for the mentee)",
      link: `${base}${signer.sign({ ...aClaims, p: 'form', step: 'pairing-1/agreement/mentor', role: 'mentee', ttlSeconds: 3600 })}`,
      title: TITLES.closed,
    },
    { name: 'a closed step (the relationship was ended)', link: b.menteeLink, title: TITLES.closed },
    { name: 'a closed step, the other side', link: b.mentorLink, title: TITLES.closed },
  ];

  const problems: string[] = [];
  let requests = 0;
  let clear = 0;
  for (const c of cases) {
    const browser = new Browser();
    const pages: [string, Page][] = [['GET', http.count(await browser.get(c.link), c.name)]];
    // The POST carries a complete, valid agreement and a fresh submission id: only the link is wrong.
    const valid = await new Browser().get(a.mentorLink);
    const submissionId = valid.status === 200 ? hiddenValue(valid, 'submissionId') : crypto.randomUUID();
    pages.push(['POST', http.count(await browser.post(c.link, { ...AGREEMENT, submissionId }), c.name)]);
    for (const [method, page] of pages) {
      requests++;
      const title = page.doc.querySelector('main h1')?.text.trim();
      const accepted = page.status < 300 && /your answer is in/i.test(page.text);
      if (accepted) problems.push(`${c.name}: ${method} was accepted`);
      else if (title !== c.title || page.status >= 500)
        problems.push(`${c.name}: ${method} answered ${page.status} "${title}", expected "${c.title}"`);
      else clear++;
    }
    progress(
      `${c.name}: ${pages.map(([m, p]) => `${m} ${p.status} "${p.doc.querySelector('main h1')?.text.trim()}"`).join(', ')}`,
    );
  }

  // Cy's first mentor still holds the status link of the match email; the second mentor has the pair now.
  const pairBefore = await statusOf(cy.handle, relationshipStatus);
  const stale: [string, () => Promise<Page>][] = [
    ['open the page', () => new Browser().get(cy.staleLink)],
    ['end the pair', () => new Browser().post(`${cy.staleLink}/end`, { confirm: 'yes' })],
    ['email me my data', () => new Browser().post(`${cy.staleLink}/export`, {})],
    ['keep a language', () => new Browser().post(`${cy.staleLink}/language`, { lang: 'da' })],
  ];
  for (const [what, act] of stale) {
    const name = `a previous mentor's status link after a rematch: ${what}`;
    const page = http.count(await act(), name);
    requests++;
    const title = page.doc.querySelector('main h1')?.text.trim();
    if (page.status < 300) problems.push(`${name} (${page.status} "${title}") was accepted`);
    else if (title !== TITLES.pairOver || page.status >= 500)
      problems.push(`${name}: answered ${page.status} "${title}", expected "${TITLES.pairOver}"`);
    else clear++;
    progress(`${name}: ${page.status} "${title}"`);
  }
  const pairAfter = await statusOf(cy.handle, relationshipStatus);
  if (
    pairAfter.phase !== 'kickoff' ||
    pairAfter.mentor?.mentorParticipantId !== pairBefore.mentor?.mentorParticipantId
  )
    problems.push(
      `the pair after the rematch changed: ${pairAfter.phase}, ${pairAfter.mentor?.mentorWorkflowId}`,
    );
  const [kept] = await stack.sql<{ language: string | null }[]>`
    select language from participants where email = ${cy.mentor}`;
  if (kept?.language) problems.push(`the new mentor's language became ${kept.language}`);
  const exported = await stack.sql`select 1 from email_outbox where idempotency_key like 'export-%'`;
  if (exported.length) problems.push(`${exported.length} data export(s) started by a previous mentor's link`);
  // The new mentor's link opens the page: the refusal is about the holder, not about mentor links.
  const current = http.count(await new Browser().get(cy.currentLink), "the new mentor's status link");
  if (current.status !== 200) problems.push(`the new mentor's status link answered ${current.status}`);

  // Nothing but the one good answer reached the database.
  const stored = await stack.sql<{ workflow_id: string; step_id: string; submission_id: string }[]>`
    select workflow_id, step_id, submission_id from form_submissions`;
  if (stored.length !== 1 || stored[0]!.step_id !== aClaims.step)
    problems.push(`stored answers: ${stored.map((s) => `${s.workflow_id} ${s.step_id}`).join('; ')}`);
  const accepted = problems.filter((p) => p.endsWith('was accepted')).length;
  return verdict(
    'links',
    `${cases.length + 1} kinds of bad link, ${requests} requests (GET and POST): ${accepted} accepted, ` +
      `${clear} answered with the page that says why, ${stored.length - 1} answers stored beside the one good one`,
    problems.length === 0,
    [...problems, ...http.serverErrors],
    stack,
  );
});
