/**
 * The admin door against guessing and flooding (issue 20): the codec endpoint takes codec tokens, never
 * passwords, and encodes for administrators only; its CORS preflight passes for the Web UI; sign-in is
 * limited per account, per address and overall, and signing in is not counted; a visitor who has not
 * signed in leaves no session row, and expired rows go; the integration API counts requests without a
 * valid token against their address.
 *
 * Requests "from another address" leave from another loopback address (127.0.0.x), so the app sees a
 * different client without believing any forwarded header.
 */
import { request as httpRequest } from 'node:http';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInLimiter } from '../api/admin/sign-in-limits.js';
import { createApiToken } from '../services/api-tokens.js';
import type { AppConfig } from '../platform/config.js';
import { Browser, hiddenValue } from './helpers/http.js';
import { extraApi, makeUser, signIn, startStack, type Stack } from './helpers/stack.js';

type Account = { email: string; password: string };
type Answer = { status: number; headers: Record<string, string | string[] | undefined>; text: string };

/** One HTTP request leaving from `from`, a loopback address of the test's choosing. */
function send(
  url: string,
  opts: { from: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: opts.method ?? 'GET', headers: opts.headers, localAddress: opts.from },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('the admin door against guessing and flooding', () => {
  let stack: Stack;
  let admin: Account;
  let auditor: Account;
  let coordinator: Account;
  /** A decode request's body: one payload sealed with a workflow's data key. */
  let sealedBody: string;
  const apps: { close(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    stack = await startStack('pglite');
    admin = await makeUser(stack, 'admin@example.org', [{ role: 'administrator' }]);
    auditor = await makeUser(stack, 'auditor@example.org', [{ role: 'auditor' }]);
    coordinator = await makeUser(stack, 'coord@example.org', [
      { role: 'coordinator', programId: stack.programId },
    ]);
    const [sealed] = await stack.shared.codec.encode(
      [{ metadata: { encoding: utf8('json/plain') }, data: utf8('"Sensitive answer"') }],
      { type: 'workflow', namespace: 'default', workflowId: 'wf-security-admin' },
    );
    sealedBody = JSON.stringify({
      payloads: [
        {
          metadata: Object.fromEntries(
            Object.entries(sealed!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
          ),
          data: Buffer.from(sealed!.data!).toString('base64'),
        },
      ],
    });
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await stack?.close();
  });

  /** Another API instance on the same database, with a fresh memory (rate limits, sweeps). */
  async function anotherApi(patch: Partial<AppConfig> = {}): Promise<string> {
    const { app, url } = await extraApi(stack, patch);
    apps.push(app);
    return url;
  }

  const decode = (headers: Record<string, string>) =>
    fetch(`${stack.baseUrl}/admin/codec/decode`, {
      method: 'POST',
      body: sealedBody,
      headers: { 'content-type': 'application/json', ...headers },
    });
  const decoded = async (res: Response) => {
    const { payloads } = (await res.json()) as { payloads: { data: string }[] };
    return Buffer.from(payloads[0]!.data, 'base64').toString('utf8');
  };
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  /** Makes a token on the admin page as an administrator; the page's answer, and the token it showed. */
  async function tokenFromPage(fields: Record<string, string>) {
    const browser = await signIn(stack.baseUrl, admin);
    const list = await browser.get(`${stack.baseUrl}/admin/api-tokens`);
    const made = await browser.post(`${stack.baseUrl}/admin/api-tokens`, {
      programId: '',
      ...fields,
      _csrf: hiddenValue(list, '_csrf'),
    });
    return { made, token: made.doc.querySelector('#new-token')?.getAttribute('value') ?? '', browser };
  }

  it('takes no password at the codec endpoint: a right password without the role answers as a wrong one', async () => {
    const rightNoRole = await decode({ authorization: basic(coordinator.email, coordinator.password) });
    const wrong = await decode({ authorization: basic(coordinator.email, 'wrong-password-1') });
    expect(rightNoRole.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await rightNoRole.text()).toBe(await wrong.text());
    // Not even an auditor's own password: tools use a codec token.
    expect((await decode({ authorization: basic(auditor.email, auditor.password) })).status).toBe(401);
  });

  it('decodes with a codec token made on the API tokens page; the token decodes only, and stops when revoked', async () => {
    // A codec token is for no single programme.
    const scoped = await tokenFromPage({ name: 'CLI', kind: 'codec', programId: stack.programId });
    expect(scoped.made.status).toBe(400);
    expect(scoped.made.doc.querySelector('#programId-error')?.text).toBe(
      'A codec token reaches no single programme: choose "Every programme".',
    );

    const { made, token, browser } = await tokenFromPage({ name: 'Auditor CLI', kind: 'codec' });
    expect(made.status, made.text).toBe(200);
    expect(token).toMatch(/^mfc_[A-Za-z0-9_-]{43}$/);
    expect(made.text).toContain('Temporal CLI, decode only');

    // The CLI's way: --codec-auth "Bearer …"; and for tools that only speak Basic, the token as password.
    const bearer = await decode({ authorization: `Bearer ${token}` });
    expect(bearer.status).toBe(200);
    expect(bearer.headers.get('set-cookie')).toBeNull();
    expect(await decoded(bearer)).toBe('"Sensitive answer"');
    expect(await decoded(await decode({ authorization: basic('cli', token) }))).toBe('"Sensitive answer"');

    // It encodes nothing, and is no integration API token; nor is an integration token a codec token.
    const encode = await fetch(`${stack.baseUrl}/admin/codec/encode`, {
      method: 'POST',
      body: sealedBody,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    });
    expect(encode.status).toBe(403);
    const api = await fetch(`${stack.baseUrl}/api/v1/programs/${stack.programId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(api.status).toBe(401);
    const [adminRow] = await stack.sql<{ id: string }[]>`select id from users where email = ${admin.email}`;
    const integration = await createApiToken(stack.sql, { name: 'HR', by: adminRow!.id });
    expect((await decode({ authorization: `Bearer ${integration.token}` })).status).toBe(401);

    // Revoked: refused from the next request on.
    const [row] = await stack.sql<{ id: string }[]>`select id from api_tokens where name = 'Auditor CLI'`;
    const list = await browser.get(`${stack.baseUrl}/admin/api-tokens`);
    const revoked = await browser.post(`${stack.baseUrl}/admin/api-tokens/${row!.id}/revoke`, {
      _csrf: hiddenValue(list, '_csrf'),
    });
    expect(revoked.status).toBe(303);
    expect((await decode({ authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it('encodes for administrators only: an auditor decodes but cannot encode', async () => {
    const encodeAs = async (account: Account) => {
      const browser = await signIn(stack.baseUrl, account);
      const json = { contentType: 'application/json', body: sealedBody };
      return {
        decode: await browser.post(`${stack.baseUrl}/admin/codec/decode`, {}, json),
        encode: await browser.post(`${stack.baseUrl}/admin/codec/encode`, {}, json),
      };
    };
    const byAuditor = await encodeAs(auditor);
    expect(byAuditor.decode.status).toBe(200);
    expect(byAuditor.encode.status).toBe(403);
    expect((await encodeAs(admin)).encode.status).toBe(200);
  });

  it("lets the Web UI's preflight through, with CORS headers for a configured origin only", async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.baseUrl}/admin/codec/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-namespace',
        },
      });
    const ui = await preflight('http://localhost:8233');
    expect(ui.status).toBe(204);
    expect(ui.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
    expect(ui.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ui.headers.get('access-control-allow-methods')).toContain('POST');
    expect(ui.headers.get('access-control-allow-headers')).toContain('x-namespace');
    expect(ui.headers.get('set-cookie')).toBeNull();
    const elsewhere = await preflight('https://evil.example');
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    // A refusal carries the headers too, so the Web UI can read that it must sign in.
    const refused = await decode({ origin: 'http://localhost:8233' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
  });

  it('keeps no session row for a visitor who has not signed in, and sweeps expired rows', async () => {
    const rows = async () =>
      (await stack.sql<{ n: number }[]>`select count(*)::int as n from admin_sessions`)[0]!.n;
    const before = await rows();
    const visitor = new Browser();
    const login = await visitor.get(`${stack.baseUrl}/admin/login`);
    expect(login.status).toBe(200);
    expect((await visitor.get(`${stack.baseUrl}/admin/login?lang=nb`)).status).toBe(200);
    expect((await new Browser().get(`${stack.baseUrl}/admin?lang=da`)).status).toBe(303);
    const refused = await visitor.post(`${stack.baseUrl}/admin/login`, {
      email: 'nobody@example.org',
      password: 'not-a-password',
      _csrf: hiddenValue(login, '_csrf'),
    });
    expect(refused.status).toBe(401);
    expect(await rows()).toBe(before);

    // The language picked before signing in is kept by the session sign-in begins.
    const nb = new Browser();
    const form = await nb.get(`${stack.baseUrl}/admin/login?lang=nb`);
    const action = form.doc.querySelector('main form')!.getAttribute('action')!;
    expect(action).toMatch(/\/admin\/login\?lang=nb$/);
    const signedIn = await nb.post(new URL(action, stack.baseUrl).href, {
      ...auditor,
      _csrf: hiddenValue(form, '_csrf'),
    });
    expect(signedIn.status).toBe(303);
    expect(await rows()).toBe(before + 1);
    expect((await nb.get(`${stack.baseUrl}/admin`)).html).toContain('<html lang="nb">');

    // Sessions nobody ended go with the next writes.
    for (let i = 0; i < 3; i++)
      await stack.sql`
        insert into admin_sessions (id_hash, data, expires_at)
        values (${`expired-${i}`}, ${stack.sql.json({ userId: 'gone' })}, now() - interval '1 hour')`;
    expect((await nb.get(`${stack.baseUrl}/admin`)).status).toBe(200);
    expect(await stack.sql`select 1 from admin_sessions where expires_at < now()`).toHaveLength(0);
  });

  it('does not count sign-ins that succeed', async () => {
    const browser = new Browser();
    for (let i = 0; i < 12; i++) {
      const login = await browser.get(`${stack.baseUrl}/admin/login`);
      const res = await browser.post(`${stack.baseUrl}/admin/login`, {
        ...coordinator,
        _csrf: hiddenValue(login, '_csrf'),
      });
      expect(res.status, `sign-in ${i + 1}`).toBe(303);
    }
  });

  it('limits failed sign-ins per account from any address, and per address over any account', async () => {
    const target = await makeUser(stack, 'target@example.org', [{ role: 'auditor' }]);
    // The sign-in form's cookie and token, which any address may send.
    const visitor = new Browser();
    const csrf = hiddenValue(await visitor.get(`${stack.baseUrl}/admin/login`), '_csrf');
    const cookie = [...visitor.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const attempt = (from: string, email: string, password: string) =>
      send(`${stack.baseUrl}/admin/login`, {
        from,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({ email, password, _csrf: csrf }).toString(),
      });

    // One account from twenty addresses, once each: the account's own limit.
    for (let i = 0; i < 20; i++)
      expect((await attempt(`127.0.0.${10 + i}`, target.email, `guess-${i}`)).status, `guess ${i}`).toBe(401);
    const blocked = await attempt('127.0.0.30', target.email, 'guess-20');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Even the right password waits, or the limit would tell a guesser when it guessed right.
    expect((await attempt('127.0.0.31', target.email, target.password)).status).toBe(429);

    // One address trying forty accounts: the address's own limit; other addresses are not held up.
    for (let i = 0; i < 40; i++)
      expect((await attempt('127.0.0.50', `someone-${i}@example.org`, 'Summer2026!')).status, `${i}`).toBe(
        401,
      );
    expect((await attempt('127.0.0.50', 'someone-else@example.org', 'Summer2026!')).status).toBe(429);
    expect((await attempt('127.0.0.51', auditor.email, auditor.password)).status).toBe(303);
  }, 120_000);

  it('caps failed sign-ins of everyone together, and counts parallel attempts one by one', async () => {
    const limits = { windowMs: 60_000, accountFromAddress: 3, account: 5, address: 5, everyone: 6 };
    // A secret of its own: these buckets are not the app's.
    const limiter = signInLimiter(stack.sql, randomBytes(32).toString('hex'), limits);
    // Parallel guesses at one account from one address: exactly the limit get through.
    const parallel = await Promise.all(
      Array.from({ length: 8 }, () => limiter.reserve({ email: 'one@example.org', address: '192.0.2.1' })),
    );
    expect(parallel.filter((r) => !r.refused)).toHaveLength(3);
    // Different accounts from different addresses still meet the ceiling of everyone together.
    const spread = [];
    for (let i = 0; i < 4; i++)
      spread.push(await limiter.reserve({ email: `p${i}@example.org`, address: `192.0.2.${10 + i}` }));
    expect(spread.map((r) => r.refused)).toEqual([false, false, false, true]);
    // A successful sign-in gives its place back.
    const last = spread[2]!;
    if (!last.refused) await last.giveBack();
    expect((await limiter.reserve({ email: 'p9@example.org', address: '192.0.2.99' })).refused).toBe(false);
  });

  it('counts requests without a valid integration API token against their address', async () => {
    const base = await anotherApi();
    const [adminRow] = await stack.sql<{ id: string }[]>`select id from users where email = ${admin.email}`;
    const valid = (await createApiToken(stack.sql, { name: 'HR system', by: adminRow!.id })).token;
    const get = (from: string, token: string) =>
      send(`${base}/api/v1/programs/${stack.programId}`, {
        from,
        headers: { authorization: `Bearer ${token}` },
      });
    // Made-up tokens, each new: sixty are refused as unknown, then the address must wait. The API counts
    // in fixed one-minute windows of the clock (and builds its counter itself: no clock to set), so a
    // burst that straddled a minute boundary proves nothing and is sent again from a fresh address; the
    // burst takes far less than a minute, so the second one fits in one window. No wait for the clock.
    const window = () => Math.floor(Date.now() / 60_000);
    const madeUp = () => `mf_${randomBytes(32).toString('base64url')}`;
    const statuses: number[] = [];
    let waiting!: Awaited<ReturnType<typeof get>>;
    for (let attempt = 0; ; attempt++) {
      const address = `127.0.0.${70 + 2 * attempt}`;
      const began = window();
      statuses.length = 0;
      for (let i = 0; i < 60; i++) statuses.push((await get(address, madeUp())).status);
      waiting = await get(address, madeUp());
      if (window() === began) break;
      expect(attempt, 'two bursts in a row straddled a minute boundary').toBe(0);
    }
    expect(statuses.every((s) => s === 401)).toBe(true);
    expect(waiting.status).toBe(429);
    expect(Number(waiting.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(waiting.text)).toMatchObject({ error: 'Too Many Requests' });
    // Another address with a valid token goes on, and its requests never count against its address.
    for (let i = 0; i < 65; i++) expect((await get('127.0.0.71', valid)).status, `request ${i}`).toBe(200);
  }, 120_000);
});
