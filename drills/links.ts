/**
 * Drill: bad form links, opened (GET) and sent (POST) as a person or an attacker would: forged
 * (signature altered, signed with another secret, claims moved to another workflow), expired, of the
 * wrong kind (a status link used as a form link), already used, naming another participant's step,
 * and a step that is closed (the coordinator ended the relationship). None may be accepted; each must
 * answer with a page that says what is wrong. `npm run drill:links [-- --short]`
 */
import { randomBytes } from 'node:crypto';
import { Browser, hiddenValue, type Page } from '../tests/helpers/http.js';
import { LinkSigner } from '../lib/links.js';
import { endRelationship } from '../workflows/messages.js';
import { linkIn } from './support/mailbox.js';
import {
  acceptAtInterview,
  AGREEMENT,
  applyAsMentee,
  applyAsMentor,
  assign,
  COORDINATOR,
  HttpLog,
  sendForm,
} from './support/people.js';
import { main, progress } from './support/run.js';
import { startStack, type Stack } from './support/stack.js';
import { verdict } from './support/verdict.js';

const TITLES = {
  invalid: 'This link is not valid',
  expired: 'This link has expired',
  closed: 'This form is no longer open',
  already: 'We already have your answer',
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
      stack.mailbox.to(to).find((x) => x.subject === 'Your mentoring agreement'),
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
  const [a, b] = await Promise.all([pairInKickoff(http, stack, 'anna'), pairInKickoff(http, stack, 'bo')]);
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

  // Nothing but the one good answer reached the database.
  const stored = await stack.sql<{ workflow_id: string; step_id: string; submission_id: string }[]>`
    select workflow_id, step_id, submission_id from form_submissions`;
  if (stored.length !== 1 || stored[0]!.step_id !== aClaims.step)
    problems.push(`stored answers: ${stored.map((s) => `${s.workflow_id} ${s.step_id}`).join('; ')}`);
  const accepted = problems.filter((p) => p.endsWith('was accepted')).length;
  return verdict(
    'links',
    `${cases.length} kinds of bad link, ${requests} requests (GET and POST): ${accepted} accepted, ` +
      `${clear} answered with the page that says why, ${stored.length - 1} answers stored beside the one good one`,
    problems.length === 0,
    [...problems, ...http.serverErrors],
    stack,
  );
});
