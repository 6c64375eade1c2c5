/**
 * The admin door, route by route: every registered admin route refuses a visitor without a session,
 * a user without the right role, and a state-changing request without a valid CSRF token, and none
 * of those refusals changes anything.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminRoute } from '../api/admin/index.js';
import type { AppConfig } from '../platform/config.js';
import { Browser, hiddenValue } from './helpers/http.js';
import { backends, extraApi, makeUser, signIn, startStack, type Stack } from './helpers/stack.js';

type Account = { email: string; password: string };

describe.each(backends())('admin access (database: %s)', (backend) => {
  let stack: Stack;
  let otherProgram: string;
  const accounts: Record<string, Account> = {};

  beforeAll(async () => {
    stack = await startStack(backend);
    otherProgram = `${stack.programId}-other`;
    await stack.sql`insert into programs (id, name, coordinator_email) values (${otherProgram}, 'Other', 'x@example.org')`;
    accounts.administrator = await makeUser(stack, 'admin@example.org', [{ role: 'administrator' }]);
    accounts.auditor = await makeUser(stack, 'auditor@example.org', [{ role: 'auditor' }]);
    accounts.coordinator = await makeUser(stack, 'coord@example.org', [
      { role: 'coordinator', programId: stack.programId },
    ]);
    accounts.otherCoordinator = await makeUser(stack, 'other@example.org', [
      { role: 'coordinator', programId: otherProgram },
    ]);
    accounts.noRole = await makeUser(stack, 'norole@example.org', []);
  });
  afterAll(async () => stack?.close());

  const urlOf = (route: AdminRoute) =>
    `${stack.baseUrl}${route.url
      .replace(':programId', stack.programId)
      .replace(':formId', 'mentoring-agreement')
      .replace(':participantId', '00000000-0000-4000-8000-000000000001')
      .replace(':workflowId', 'relationship-00000000-0000-4000-8000-000000000001')
      .replace(':runId', '00000000-0000-4000-8000-000000000002')
      .replace(':tokenId', '00000000-0000-4000-8000-000000000003')
      .replace(':number', '1')}`;
  const guarded = () => stack.adminRoutes.filter((r) => r.access !== 'public');

  /** Who holds a role that the route does not accept. */
  function wrongRoles(route: AdminRoute): string[] {
    switch (route.access) {
      case 'administrator':
        return ['auditor', 'coordinator', 'noRole'];
      case 'auditor':
        return ['coordinator', 'otherCoordinator', 'noRole'];
      case 'program-reader':
        return ['otherCoordinator', 'noRole'];
      case 'program-coordinator':
        return ['auditor', 'otherCoordinator', 'noRole'];
      default:
        return ['noRole'];
    }
  }
  const rightRole = (route: AdminRoute) =>
    route.access === 'program-reader' || route.access === 'program-coordinator'
      ? 'coordinator'
      : 'administrator';

  async function snapshot() {
    return stack.sql`
      select (select json_agg(u order by email) from (select email, password_hash from users) u) as users,
             (select json_agg(r order by role, program_id) from user_roles r) as roles,
             (select json_agg(p order by id) from programs p) as programs,
             (select count(*)::int from applications) as applications,
             (select json_agg(t order by id) from api_tokens t) as tokens`;
  }

  it('knows the admin routes it guards', () => {
    const seen = stack.adminRoutes.map((r) => `${r.method} ${r.url} ${r.access}`);
    expect(seen).toEqual(
      expect.arrayContaining([
        'GET /admin/login public',
        'POST /admin/login public',
        'POST /admin/logout any-role',
        'GET /admin any-role',
        `GET /admin/programs/:programId program-reader`,
        `POST /admin/programs/:programId/rounds program-coordinator`,
        `POST /admin/programs/:programId/interviews program-coordinator`,
        `POST /admin/programs/:programId/forms/:formId program-coordinator`,
        'GET /admin/programs/new administrator',
        'POST /admin/programs administrator',
        `POST /admin/programs/:programId/rounds/proposal program-coordinator`,
        `POST /admin/programs/:programId/rounds/decision program-coordinator`,
        'GET /admin/users administrator',
        'POST /admin/users administrator',
        'POST /admin/programs/:programId/participants/:participantId/erase administrator',
        'POST /admin/codec/decode auditor',
        'POST /admin/codec/encode administrator',
        'GET /admin/programs/:programId/dashboard program-reader',
        'GET /admin/programs/:programId/relationships/:workflowId program-reader',
        ...['resend', 'decide', 'pause', 'resume', 'end', 'rematch'].map(
          (action) =>
            `POST /admin/programs/:programId/relationships/:workflowId/${action} program-coordinator`,
        ),
        'GET /admin/programs/:programId/relationships.csv program-reader',
        'GET /admin/audit auditor',
        'GET /admin/audit/workflows/:workflowId auditor',
        'GET /admin/audit/workflows/:workflowId/runs/:runId/history.json auditor',
        'GET /admin/programs/:programId/cohorts program-reader',
        'POST /admin/programs/:programId/cohorts program-coordinator',
        'GET /admin/programs/:programId/cohorts/:number program-reader',
        'GET /admin/programs/:programId/cohorts/:number/report.csv program-reader',
        ...['enrolment', 'withdraw', 'move', 'attendance', 'decide'].map(
          (action) => `POST /admin/programs/:programId/cohorts/:number/${action} program-coordinator`,
        ),
        'GET /admin/api-tokens administrator',
        'POST /admin/api-tokens administrator',
        'POST /admin/api-tokens/:tokenId/revoke administrator',
      ]),
    );
    expect(guarded().length).toBeGreaterThanOrEqual(5);
  });

  it('refuses every guarded route without a session, with the wrong role, or without a CSRF token, changing nothing', async () => {
    const before = await snapshot();
    const anonymous = new Browser();
    const sessions: Record<string, Browser> = {};
    for (const name of Object.keys(accounts)) sessions[name] = await signIn(stack.baseUrl, accounts[name]!);
    const body = { email: 'intruder@example.org', password: 'intruder-password-1', role: 'administrator' };

    for (const route of guarded()) {
      const url = urlOf(route);
      const send = (b: Browser, fields: Record<string, string> = body) =>
        route.method === 'GET' ? b.get(url) : b.post(url, fields);

      const noSession = await send(anonymous);
      if (route.method === 'GET') {
        expect(noSession.status, `${route.method} ${route.url} without a session`).toBe(303);
        expect(noSession.location).toMatch(/\/admin\/login\?next=/);
      } else {
        expect(noSession.status, `${route.method} ${route.url} without a session`).toBe(401);
      }

      for (const role of wrongRoles(route)) {
        const b = sessions[role]!;
        const token = hiddenValue(await b.get(`${stack.baseUrl}/admin/login`), '_csrf');
        const res = await send(b, { ...body, _csrf: token });
        expect(res.status, `${route.method} ${route.url} as ${role}`).toBe(403);
      }

      // Only routes that change nothing may go without a token, and they are named here.
      if (!route.csrf) expect(['/admin/codec/decode', '/admin/codec/encode']).toContain(route.url);
      if (route.method !== 'GET' && route.csrf) {
        const b = sessions[rightRole(route)]!;
        expect((await send(b)).status, `${route.method} ${route.url} without a token`).toBe(403);
        expect(
          (await send(b, { ...body, _csrf: 'forged-token' })).status,
          `${route.method} ${route.url} forged token`,
        ).toBe(403);
        // A token from another user's session is no good either.
        const otherToken = hiddenValue(await sessions.auditor!.get(`${stack.baseUrl}/admin`), '_csrf');
        expect(
          (await send(b, { ...body, _csrf: otherToken })).status,
          `${route.method} ${route.url} foreign token`,
        ).toBe(403);
      }
    }
    // Sign-in itself needs its form's token.
    expect((await new Browser().post(`${stack.baseUrl}/admin/login`, accounts.administrator!)).status).toBe(
      403,
    );
    expect(await snapshot()).toEqual(before);
  });

  it('lets the right roles through (so the refusals above are not everything failing)', async () => {
    const admin = await signIn(stack.baseUrl, accounts.administrator!);
    const users = await admin.get(`${stack.baseUrl}/admin/users`);
    expect(users.status).toBe(200);
    const created = await admin.post(`${stack.baseUrl}/admin/users`, {
      email: 'new.coordinator@example.org',
      password: 'a-long-enough-password',
      role: 'coordinator',
      programId: stack.programId,
      _csrf: hiddenValue(users, '_csrf'),
    });
    expect(created.status).toBe(303);
    const [row] =
      await stack.sql`select r.role, r.program_id from users u join user_roles r on r.user_id = u.id
      where u.email = 'new.coordinator@example.org'`;
    expect(row).toEqual({ role: 'coordinator', program_id: stack.programId });

    const coordinator = await signIn(stack.baseUrl, accounts.coordinator!);
    const home = await coordinator.get(`${stack.baseUrl}/admin`);
    expect(home.status).toBe(200);
    expect(home.text).toContain('Test programme');
    expect(home.text).not.toContain('Other');
    expect((await coordinator.get(`${stack.baseUrl}/admin/programs/${stack.programId}`)).status).toBe(200);
    const auditor = await signIn(stack.baseUrl, accounts.auditor!);
    expect((await auditor.get(`${stack.baseUrl}/admin/programs/${otherProgram}`)).status).toBe(200);

    const out = await coordinator.post(`${stack.baseUrl}/admin/logout`, {
      _csrf: hiddenValue(home, '_csrf'),
    });
    expect(out.status).toBe(303);
    expect((await coordinator.get(`${stack.baseUrl}/admin`)).status).toBe(303);
  });

  it('gives a new session id at sign-in and sets safe cookie attributes', async () => {
    // No session exists before sign-in; one planted in the browser (someone else's own) is not taken over.
    const before = (await signIn(stack.baseUrl, accounts.auditor!)).cookies.get('admin_session');
    expect(before).toBeTruthy();
    const browser = new Browser();
    const login = await browser.get(`${stack.baseUrl}/admin/login`);
    expect(browser.cookies.has('admin_session')).toBe(false);
    const signInCookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${stack.baseUrl}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `admin_session=${before}; ${signInCookie}`,
      },
      body: new URLSearchParams({ ...accounts.coordinator!, _csrf: hiddenValue(login, '_csrf') }).toString(),
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('admin_session='))!;
    expect(cookie.split(';')[0]).not.toBe(`admin_session=${before}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('uses a __Host- Secure cookie behind HTTPS, and ends idle and old sessions', async () => {
    const appWith = (patch: Partial<AppConfig>) => extraApi(stack, patch);
    const https = await appWith({
      publicUrl: new URL('https://mentoring.example.org/'),
      trustProxy: ['127.0.0.1'],
    });
    const res = await fetch(`${https.url}/admin/login`, { headers: { 'x-forwarded-proto': 'https' } });
    // The sign-in form's cookie, then the session that signing in begins: both __Host- and Secure.
    const formCookie = res.headers.getSetCookie().join('\n');
    expect(formCookie).toMatch(/^__Host-sign-in=.*; Secure/im);
    expect(res.headers.get('strict-transport-security')).toContain('max-age=');
    const html = await res.text();
    const signedIn = await fetch(`${https.url}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'x-forwarded-proto': 'https',
        'content-type': 'application/x-www-form-urlencoded',
        cookie: formCookie.split(';')[0]!,
      },
      body: new URLSearchParams({
        ...accounts.administrator!,
        _csrf: /name="_csrf" value="([^"]+)"/.exec(html)![1]!,
      }).toString(),
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.getSetCookie().join('\n')).toMatch(/^__Host-session=.*; Secure/im);
    await https.app.close();

    // Time passes by moving the session's own clock back: the code reads Date.now() and the database's
    // now() with no seam to set them, so every time the session holds (signed in, last seen, the row's
    // and the cookie's expiry) moves back by `ms`, as if `ms` had passed. Limits of a minute keep the
    // steps before that well inside them however slow the machine is; no wait.
    const age = async (browser: Browser, ms: number) => {
      const id = decodeURIComponent(browser.cookies.get('admin_session')!).split('.')[0]!;
      const idHash = createHash('sha256').update(id).digest('base64url');
      const [row] = await stack.sql<{ data: Record<string, unknown> & { cookie?: { expires?: string } } }[]>`
        select data from admin_sessions where id_hash = ${idHash}`;
      const data = row!.data;
      for (const key of ['loginAt', 'lastSeenAt']) data[key] = Number(data[key]) - ms;
      if (data.cookie?.expires)
        data.cookie.expires = new Date(Date.parse(data.cookie.expires) - ms).toISOString();
      const updated = await stack.sql`
        update admin_sessions set data = ${stack.sql.json(data as never)},
          expires_at = expires_at - ${ms} * interval '1 millisecond'
        where id_hash = ${idHash} returning 1`;
      expect(updated).toHaveLength(1);
    };
    const minute = 60_000;
    for (const adminSession of [
      { idleMs: minute, absoluteMs: 3_600_000 },
      { idleMs: 3_600_000, absoluteMs: minute },
    ]) {
      const short = await appWith({ adminSession });
      const browser = await signIn(short.url, accounts.administrator!);
      expect((await browser.get(`${short.url}/admin`)).status).toBe(200);
      // Half the limit later the session goes on (the aging itself breaks nothing); past it, it ends.
      await age(browser, minute / 2);
      expect((await browser.get(`${short.url}/admin`)).status, JSON.stringify(adminSession)).toBe(200);
      await age(browser, minute + 1000);
      const after = await browser.get(`${short.url}/admin`);
      expect(after.status, JSON.stringify(adminSession)).toBe(303);
      await short.app.close();
    }
  });

  it('rate-limits sign-in attempts per address and account', async () => {
    const browser = new Browser();
    await makeUser(stack, 'target@example.org', [{ role: 'auditor' }]);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const login = await browser.get(`${stack.baseUrl}/admin/login`);
      const res = await browser.post(`${stack.baseUrl}/admin/login`, {
        email: 'target@example.org',
        password: `wrong-${i}`,
        _csrf: hiddenValue(login, '_csrf'),
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    // Another account from the same address can still sign in.
    await signIn(stack.baseUrl, accounts.auditor!);
  });
});
