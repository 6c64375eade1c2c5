/**
 * User management on /admin/users, through the pages alone: an administrator deactivates an account
 * (its sessions end at once, it cannot sign in) and reactivates it, moves a coordinator to another
 * programme, gives an account a new password shown once, and cannot remove the last administrator.
 * A signed-in person refused a page still has the navigation and can sign out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, hiddenValue, type Page } from './helpers/http.js';
import { backends, makeUser, signIn, startStack, type Stack } from './helpers/stack.js';

type Account = { email: string; password: string };

describe.each(backends())('user management (database: %s)', (backend) => {
  let stack: Stack;
  let otherProgram: string;
  let admin: Browser;
  let administrator: Account;

  beforeAll(async () => {
    stack = await startStack(backend);
    otherProgram = `${stack.programId}-other`;
    // Setup only: a second programme to move a coordinator to.
    await stack.sql`insert into programs (id, name, coordinator_email) values (${otherProgram}, 'Other programme', 'x@example.org')`;
    administrator = await makeUser(stack, 'admin@example.org', [{ role: 'administrator' }]);
    admin = await signIn(stack.baseUrl, administrator);
  });
  afterAll(async () => stack?.close());

  const url = (path: string) => `${stack.baseUrl}${path}`;
  const coordinatorOf = (email: string, programId = stack.programId) =>
    makeUser(stack, email, [{ role: 'coordinator', programId }]);

  /** The users page's row for the account, as the administrator sees it. */
  async function rowOf(email: string, page?: Page) {
    page ??= await admin.get(url('/admin/users'));
    expect(page.status, page.text).toBeLessThan(500);
    const row = page.doc
      .querySelectorAll('tbody tr')
      .find((tr) => tr.querySelector('th')?.text.trim() === email);
    if (!row) throw new Error(`no row for ${email} on the users page: ${page.text.slice(0, 300)}`);
    return row;
  }

  /** Presses one of the account's buttons (deactivate, reactivate, password, role) on the users page. */
  async function act(email: string, action: string, fields: Record<string, string> = {}, by = admin) {
    const page = await by.get(url('/admin/users'));
    const form = (await rowOf(email, page))
      .querySelectorAll('form[method=post]')
      .find((f) => f.getAttribute('action')!.endsWith(`/${action}`));
    if (!form) throw new Error(`no ${action} form for ${email}`);
    const token = form.querySelector('input[name=_csrf]')!.getAttribute('value')!;
    return by.post(url(form.getAttribute('action')!), { _csrf: token, ...fields });
  }

  /** Follows a post/redirect/get answer. */
  async function followed(res: Page, by = admin) {
    expect(res.status, res.text).toBe(303);
    expect(res.location).toMatch(/\/admin\/users\?/);
    return by.get(new URL(res.location!, res.url).href);
  }

  async function tryToSignIn(account: Account) {
    const browser = new Browser();
    const login = await browser.get(url('/admin/login'));
    return browser.post(url('/admin/login'), { ...account, _csrf: hiddenValue(login, '_csrf') });
  }

  it('deactivates an account: its session ends at once and it cannot sign in, without telling guessers who exists', async () => {
    const account = await coordinatorOf('dora.deactivated@example.org');
    const coordinator = await signIn(stack.baseUrl, account);
    expect((await coordinator.get(url('/admin'))).status).toBe(200);

    const done = await followed(await act(account.email, 'deactivate'));
    expect(done.doc.querySelector('.notice')?.text).toBe(
      'The account dora.deactivated@example.org is deactivated: signed out everywhere, and it cannot sign in until it is reactivated.',
    );
    expect((await rowOf(account.email, done)).text).toContain('Deactivated on');

    // The very next request with the old session cookie is signed out.
    const next = await coordinator.get(url('/admin'));
    expect(next.status).toBe(303);
    expect(next.location).toMatch(/\/admin\/login\?next=/);
    const home = await coordinator.get(url('/admin/login'));
    const post = await coordinator.post(url(`/admin/programs/${stack.programId}/rounds`), {
      _csrf: hiddenValue(home, '_csrf'),
    });
    expect(post.status).toBe(401);

    const refused = await tryToSignIn(account);
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('This account is not active. Ask an administrator to reactivate it.');
    // Without the right password the answer is the same as for an email that has no account.
    const wrong = await tryToSignIn({ ...account, password: 'not-the-password-at-all' });
    const unknown = await tryToSignIn({ email: 'nobody@example.org', password: 'not-the-password-at-all' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('The email or the password is not right.');
    expect(wrong.text).not.toContain('not active');
    expect(unknown.text).toBe(wrong.text.replace(account.email, 'nobody@example.org'));
  });

  it('reactivates an account, which can then sign in again', async () => {
    const account = await coordinatorOf('rea.reactivated@example.org');
    await followed(await act(account.email, 'deactivate'));
    expect((await tryToSignIn(account)).status).toBe(401);

    const done = await followed(await act(account.email, 'reactivate'));
    expect(done.doc.querySelector('.notice')?.text).toBe(
      'The account rea.reactivated@example.org is active and can sign in.',
    );
    expect((await rowOf(account.email, done)).querySelectorAll('td')[1]?.text).toBe('Active');
    // An address that names no account changes nothing and says so.
    const nobody = await admin.post(url('/admin/users/00000000-0000-4000-8000-000000000009/reactivate'), {
      _csrf: hiddenValue(done, '_csrf'),
    });
    expect(nobody.status).toBe(404);
    const again = await signIn(stack.baseUrl, account);
    expect((await again.get(url(`/admin/programs/${stack.programId}`))).status).toBe(200);
  });

  it('moves a coordinator to another programme (losing the first at once), then makes them an auditor', async () => {
    const account = await coordinatorOf('mo.moved@example.org');
    const coordinator = await signIn(stack.baseUrl, account);
    expect((await coordinator.get(url(`/admin/programs/${stack.programId}`))).status).toBe(200);
    expect((await coordinator.get(url(`/admin/programs/${otherProgram}`))).status).toBe(403);

    // A coordinator without a programme is refused, in the administrator's words, and nothing changes.
    const missing = await act(account.email, 'role', { role: 'coordinator', programId: '' });
    expect(missing.status).toBe(400);
    expect(missing.doc.querySelector('.error-summary')?.text).toContain(
      'mo.moved@example.org: A coordinator needs a programme.',
    );
    expect((await coordinator.get(url(`/admin/programs/${stack.programId}`))).status).toBe(200);

    const moved = await followed(
      await act(account.email, 'role', { role: 'coordinator', programId: otherProgram }),
    );
    expect(moved.doc.querySelector('.notice')?.text).toBe(
      'The account mo.moved@example.org is now: coordinator of Other programme.',
    );
    // The same session, the next request: the first programme is gone, the new one is there.
    expect((await coordinator.get(url(`/admin/programs/${stack.programId}`))).status).toBe(403);
    expect((await coordinator.get(url(`/admin/programs/${otherProgram}`))).status).toBe(200);

    const auditor = await followed(await act(account.email, 'role', { role: 'auditor' }));
    expect(auditor.doc.querySelector('.notice')?.text).toBe(
      'The account mo.moved@example.org is now: auditor.',
    );
    expect((await coordinator.get(url('/admin/audit'))).status).toBe(200);
    expect((await coordinator.get(url(`/admin/programs/${stack.programId}`))).status).toBe(200);
    expect(
      (await coordinator.post(url(`/admin/programs/${stack.programId}/rounds`), {})).status,
      'an auditor only reads',
    ).toBe(403);
  });

  it('gives an account a new password, shown once, that works where the old one no longer does', async () => {
    const account = await coordinatorOf('pia.password@example.org');
    const coordinator = await signIn(stack.baseUrl, account);

    const shown = await act(account.email, 'password');
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('New password for pia.password@example.org');
    expect(shown.text).toContain('it is shown only this once and is not kept');
    const password = shown.doc.querySelector('#new-password')?.getAttribute('value') ?? '';
    expect(password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){4}$/);

    // Only this answer holds it: the users page afterwards does not.
    const later = await admin.get(url('/admin/users'));
    expect(later.html).not.toContain(password);
    expect(later.doc.querySelector('#new-password')).toBeNull();

    // Whoever was signed in with the old password is signed out.
    expect((await coordinator.get(url('/admin'))).status).toBe(303);
    expect((await tryToSignIn(account)).status).toBe(401);
    const fresh = await signIn(stack.baseUrl, { email: account.email, password });
    expect((await fresh.get(url(`/admin/programs/${stack.programId}`))).status).toBe(200);

    // A second reset makes another password; the first then fails.
    const again = await act(account.email, 'password');
    const second = again.doc.querySelector('#new-password')?.getAttribute('value');
    expect(second).toBeTruthy();
    expect(second).not.toBe(password);
    expect((await tryToSignIn({ email: account.email, password })).status).toBe(401);
  });

  it('keeps the last active administrator: neither deactivated nor demoted, with a page that says why', async () => {
    const deactivate = await act(administrator.email, 'deactivate');
    expect(deactivate.status).toBe(409);
    expect(deactivate.doc.querySelector('.error-summary')?.text).toContain(
      'admin@example.org is the last active administrator and cannot be deactivated. Make another account an administrator first.',
    );
    const demote = await act(administrator.email, 'role', { role: 'auditor' });
    expect(demote.status).toBe(409);
    expect(demote.doc.querySelector('.error-summary')?.text).toContain(
      'admin@example.org is the last active administrator and cannot lose the administrator role.',
    );
    // The refusal keeps the page, its navigation and the administrator's rights.
    expect(demote.doc.querySelector('header nav form[action$="/admin/logout"]')).toBeTruthy();
    expect((await admin.get(url('/admin/users'))).status).toBe(200);

    // A second administrator may be deactivated; the first is then the last active one again.
    const second = await coordinatorOf('second.admin@example.org');
    await followed(await act(second.email, 'role', { role: 'administrator' }));
    const secondAdmin = await signIn(stack.baseUrl, second);
    expect((await secondAdmin.get(url('/admin/users'))).status).toBe(200);
    await followed(await act(second.email, 'deactivate'));
    expect((await act(administrator.email, 'deactivate')).status).toBe(409);
    expect((await admin.get(url('/admin/users'))).status).toBe(200);
  });

  it('shows the refusal of a page with the navigation and a sign-out that works, in the person’s language', async () => {
    const account = await coordinatorOf('nora.notallowed@example.org');
    const coordinator = await signIn(stack.baseUrl, account);

    const refused = await coordinator.get(url('/admin/users'));
    expect(refused.status).toBe(403);
    expect(refused.doc.querySelector('h1')?.text).toBe('Not allowed');
    const nav = refused.doc.querySelector('header nav');
    expect(nav?.querySelector(`a[href="/admin"]`)?.text).toBe('Programmes');
    expect(
      nav?.querySelector('a[href="/admin/users"]'),
      'no link to what the role does not allow',
    ).toBeNull();
    const signOut = nav?.querySelector('form[action="/admin/logout"]');
    expect(signOut?.querySelector('button')?.text).toBe('Sign out nora.notallowed@example.org');

    const norsk = await coordinator.get(url('/admin/users?lang=nb'));
    expect(norsk.status).toBe(403);
    expect(norsk.doc.querySelector('h1')?.text).toBe('Ikke tilgang');
    expect(norsk.doc.querySelector('header nav button')?.text).toBe('Logg ut nora.notallowed@example.org');

    // The form on the refusal signs out.
    const token = signOut!.querySelector('input[name=_csrf]')!.getAttribute('value')!;
    const out = await coordinator.post(url('/admin/logout'), { _csrf: token });
    expect(out.status).toBe(303);
    expect((await coordinator.get(url('/admin'))).status).toBe(303);
  });

  it('speaks the administrator’s language on the users page', async () => {
    const norsk = await admin.get(url('/admin/users?lang=nb'));
    expect(norsk.status).toBe(200);
    const row = await rowOf(administrator.email, norsk);
    expect(row.text).toContain('Deaktiver');
    expect(row.text).toContain('Nytt passord');
    expect(row.text).toContain('Endre rolle');
    const refused = await act(administrator.email, 'deactivate');
    expect(refused.doc.querySelector('.error-summary')?.text).toContain(
      'admin@example.org er den siste aktive administratoren og kan ikke deaktiveres.',
    );
    await admin.get(url('/admin/users?lang=en'));
  });
});
