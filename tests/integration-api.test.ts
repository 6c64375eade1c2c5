/**
 * The integration API for HR systems, over real HTTP against the real stack: an administrator makes a
 * token on the admin page (shown once, stored hashed); the token creates a programme from a template,
 * invites people (emails over real SMTP, in each person's language, naming no one in Temporal) and
 * reads the relationships with their phase. Every API route refuses a missing, unknown or revoked token
 * and a token of another programme, changing nothing; the OpenAPI document lists every route.
 */
import { readable } from './helpers/privacy.js';
import { createHash, randomBytes } from 'node:crypto';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiRoute } from '../api/integration/index.js';
import { buildApi } from '../api/app.js';
import { createApiToken } from '../services/api-tokens.js';
import { decodeHistoryJson } from '../platform/temporal/history-codec.js';
import { relationshipStatus } from '../workflows/messages.js';
import type { InvitationsResult } from '../workflows/invitations.js';
import { applyAsMentee, mailTo, waitForMail } from './helpers/flows.js';
import { hiddenValue, type Browser } from './helpers/http.js';
import { backends, COORDINATOR_EMAIL, makeUser, signIn, startStack, type Stack } from './helpers/stack.js';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

const TOKEN_SHAPE = /^mf_[A-Za-z0-9_-]{43}$/;

const people = [
  { name: 'Kari Nordmann', email: 'kari.nordmann@example.org', role: 'mentee', language: 'nb' },
  { name: 'Jan de Vries', email: 'Jan.de.Vries@example.org', role: 'mentor', language: 'nl' },
  { name: 'Alice Example', email: 'alice.example@example.org', role: 'mentee' },
];

describe.each(backends())('the integration API (database: %s)', (backend) => {
  let stack: Stack;
  let admin: Browser;
  let adminId: string;
  let otherProgram: string;
  /** Tokens by purpose, as the admin page showed them. */
  const tokens: Record<'all' | 'otherProgram' | 'revoked', string> = {
    all: '',
    otherProgram: '',
    revoked: '',
  };

  beforeAll(async () => {
    stack = await startStack(backend);
    otherProgram = `${stack.programId}-other`;
    await stack.sql`
      insert into programs (id, name, coordinator_email) values (${otherProgram}, 'Other', 'other@example.org')`;
    const account = await makeUser(stack, 'api.admin@example.org', [{ role: 'administrator' }]);
    const [user] = await stack.sql<{ id: string }[]>`select id from users where email = ${account.email}`;
    adminId = user!.id;
    admin = await signIn(stack.baseUrl, account);
  });
  afterAll(async () => stack?.close());

  async function api(method: string, path: string, token?: string, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${stack.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Not JSON: the test looking at it says so.
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  /**
   * The table of API routes, collected as an app on this stack's services registers them (the stack's own
   * app does not collect them).
   */
  async function apiRoutes(): Promise<ApiRoute[]> {
    const routes: ApiRoute[] = [];
    const app = await buildApi(
      {
        config: stack.config,
        sql: stack.sql,
        temporal: stack.client,
        taskQueue: stack.taskQueue,
        views: stack.shared.views,
        signer: stack.shared.signer,
        codec: stack.shared.codec,
      },
      { devMailbox: false, logger: false, apiRoutes: routes },
    );
    await app.ready();
    await app.close();
    return routes;
  }

  /** Makes a token on the admin page and returns the plaintext the page showed. */
  async function tokenFromAdminPage(name: string, programId = ''): Promise<string> {
    const list = await admin.get(`${stack.baseUrl}/admin/api-tokens`);
    expect(list.status).toBe(200);
    const made = await admin.post(`${stack.baseUrl}/admin/api-tokens`, {
      name,
      programId,
      _csrf: hiddenValue(list, '_csrf'),
    });
    expect(made.status, made.text).toBe(200);
    const token = made.doc.querySelector('#new-token')?.getAttribute('value') ?? '';
    expect(token).toMatch(TOKEN_SHAPE);
    return token;
  }

  it('lets an administrator make a token, shows it once and stores only its hash', async () => {
    tokens.all = await tokenFromAdminPage('HR system');
    tokens.otherProgram = await tokenFromAdminPage('Other programme only', otherProgram);
    tokens.revoked = await tokenFromAdminPage('Old HR system');

    // Listed by name and scope, never with the token again.
    const list = await admin.get(`${stack.baseUrl}/admin/api-tokens`);
    expect(list.text).toContain('HR system');
    expect(list.text).toContain('Every programme');
    expect(list.text).toContain(otherProgram);
    for (const token of Object.values(tokens)) expect(list.html).not.toContain(token);

    // The database holds SHA-256 hashes and no plaintext anywhere in the row.
    const rows = await stack.sql`select * from api_tokens order by created_at`;
    expect(rows).toHaveLength(3);
    const stored = JSON.stringify(rows);
    for (const token of Object.values(tokens)) {
      expect(stored).not.toContain(token);
      expect(stored).not.toContain(token.slice(3));
    }
    const sha256 = (t: string) => createHash('sha256').update(t).digest('hex');
    expect(rows.map((r) => r.token_hash).sort()).toEqual(Object.values(tokens).map(sha256).sort());
    expect(rows.find((r) => r.name === 'Other programme only')?.program_id).toBe(otherProgram);
    expect(rows.every((r) => r.created_by === adminId)).toBe(true);

    // A refused form keeps what was typed and names the problem, and makes nothing.
    const bad = await admin.post(`${stack.baseUrl}/admin/api-tokens`, {
      name: ' ',
      programId: 'no-such-programme',
      _csrf: hiddenValue(list, '_csrf'),
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Give the token a name.');
    const unknownProgram = await admin.post(`${stack.baseUrl}/admin/api-tokens`, {
      name: 'Typed name',
      programId: 'no-such-programme',
      _csrf: hiddenValue(list, '_csrf'),
    });
    expect(unknownProgram.status).toBe(400);
    expect(unknownProgram.text).toContain('Choose a programme from the list.');
    expect(unknownProgram.doc.querySelector('#name')?.getAttribute('value')).toBe('Typed name');
    expect(await stack.sql`select 1 from api_tokens`).toHaveLength(3);

    // The token works until it is revoked; then it is refused at once.
    expect((await api('GET', `/api/v1/programs/${stack.programId}`, tokens.revoked)).status).toBe(200);
    const [old] = await stack.sql<{ id: string }[]>`select id from api_tokens where name = 'Old HR system'`;
    const revoked = await admin.post(`${stack.baseUrl}/admin/api-tokens/${old!.id}/revoke`, {
      _csrf: hiddenValue(list, '_csrf'),
    });
    expect(revoked.status).toBe(303);
    expect((await api('GET', `/api/v1/programs/${stack.programId}`, tokens.revoked)).status).toBe(401);
    const after = await admin.get(`${stack.baseUrl}/admin/api-tokens`);
    expect(after.text).toContain('Revoked ');
    // Use is noted (at most once a minute).
    const [used] = await stack.sql`select last_used_at from api_tokens where id = ${old!.id}`;
    expect(used!.last_used_at).toBeInstanceOf(Date);
  });

  it('creates a programme from a template: 201, then 409 for the same id, and 400 naming a bad field', async () => {
    const id = `${stack.programId}-hr`;
    const body = {
      id,
      name: 'Mentoring from HR',
      template: 'one-to-one-24',
      language: 'nb',
      coordinatorEmail: 'HR.Coordinator@example.org',
    };
    const created = await api('POST', '/api/v1/programs', tokens.all, body);
    expect(created.status, created.text).toBe(201);
    expect(created.json).toEqual({
      id,
      name: 'Mentoring from HR',
      model: 'one-to-one',
      language: 'nb',
      applicationsOpen: false,
      template: 'one-to-one-24',
      settings: expect.objectContaining({ duration: 'P24M', meetingCadence: 'P1M', takesMentors: true }),
    });
    expect(created.headers.get('location')).toBe(`${stack.baseUrl}/api/v1/programs/${id}`);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const [row] = await stack.sql`select coordinator_email, settings from programs where id = ${id}`;
    expect(row!.coordinator_email).toBe('hr.coordinator@example.org');
    expect(row!.settings).toMatchObject({ template: 'one-to-one-24', duration: 'P24M' });

    expect((await api('GET', `/api/v1/programs/${id}`, tokens.all)).json).toEqual(created.json);

    const again = await api('POST', '/api/v1/programs', tokens.all, { ...body, name: 'Another' });
    expect(again.status).toBe(409);
    expect(again.json.error).toBe('Conflict');

    const cases: [unknown, string][] = [
      [{ ...body, id: `${id}-2`, coordinatorEmail: 'not an address' }, 'coordinatorEmail'],
      [{ ...body, id: 'Not A Slug' }, 'id'],
      [{ ...body, id: `${id}-2`, template: 'no-such-template' }, 'template'],
      [{ ...body, id: `${id}-2`, language: 'de' }, 'language'],
      [{ ...body, id: `${id}-2`, langauge: 'nb' }, 'langauge'],
      [{ id: `${id}-2`, name: 'No template', language: 'en', coordinatorEmail: 'c@example.org' }, 'template'],
      [{ ...body, id: `${id}-2`, name: '   ' }, 'name'],
    ];
    for (const [bad, field] of cases) {
      const res = await api('POST', '/api/v1/programs', tokens.all, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.json.field, JSON.stringify(bad)).toBe(field);
      expect(String(res.json.message)).toContain(field);
    }
    expect((await api('POST', '/api/v1/programs', tokens.all, '{"id": ')).status).toBe(400);
    expect((await api('POST', '/api/v1/programs', tokens.all, '[]')).status).toBe(400);
    const text = await fetch(`${stack.baseUrl}/api/v1/programs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.all}`, 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(text.status).toBe(415);
    expect(await stack.sql`select 1 from programs where id like ${`${id}-2%`}`).toHaveLength(0);
    expect((await api('GET', `/api/v1/programs/no-such-programme`, tokens.all)).status).toBe(404);

    // The admin page makes programmes through the same function.
    const form = await admin.get(`${stack.baseUrl}/admin/programs/new`);
    const made = await admin.post(`${stack.baseUrl}/admin/programs`, {
      id: `${id}-admin`,
      name: 'From the admin page',
      template: 'group-mentoring',
      language: 'sv',
      coordinatorEmail: 'Coordinator@Example.org',
      _csrf: hiddenValue(form, '_csrf'),
    });
    expect(made.status, made.text).toBe(303);
    const fromAdmin = await api('GET', `/api/v1/programs/${id}-admin`, tokens.all);
    expect(fromAdmin.json).toMatchObject({ model: 'group', language: 'sv', template: 'group-mentoring' });
  });

  it('invites people once each, by email in their language with the right form, naming no one in Temporal', async () => {
    const repeated = { ...people[0]!, email: 'KARI.NORDMANN@example.org' };
    const res = await api('POST', `/api/v1/programs/${stack.programId}/invitations`, tokens.all, {
      participants: [...people, repeated],
    });
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ invited: 3, alreadyInvited: 1 });
    const workflowId = String(res.json.workflowId);
    expect(workflowId).toMatch(
      new RegExp(
        `^invitations-${stack.programId}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`,
      ),
    );

    const base = `${stack.baseUrl}/programs/${stack.programId}`;
    const [kari] = await mailTo(stack, 'kari.nordmann@example.org', 1);
    expect(kari!.subject).toBe('Du er invitert til et mentorprogram');
    expect(kari!.text).toContain('Hei Kari Nordmann');
    expect(kari!.text).toContain(`${base}/apply\n`);
    expect(kari!.html).toContain(`href="${base}/apply"`);
    const [jan] = await mailTo(stack, 'jan.de.vries@example.org', 1);
    expect(jan!.subject).toBe('Je bent uitgenodigd voor een mentorprogramma');
    expect(jan!.text).toContain(`${base}/mentor\n`);
    // No language given: the programme's (English).
    const [alice] = await mailTo(stack, 'alice.example@example.org', 1);
    expect(alice!.subject).toBe('You are invited to a mentoring programme');
    expect(alice!.text).toContain(`${base}/apply\n`);

    const handle = stack.client.workflow.getHandle(workflowId);
    expect(await handle.result()).toEqual<InvitationsResult>({ sent: 3, gone: 0 });

    // Invited before: not stored or emailed again, and no workflow is started for no one.
    const again = await api('POST', `/api/v1/programs/${stack.programId}/invitations`, tokens.all, {
      participants: [repeated],
    });
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ invited: 0, alreadyInvited: 1, workflowId: null });
    const stored = await stack.sql`
      select email, role, language from invitations where program_id = ${stack.programId} order by email`;
    expect(stored).toEqual([
      { email: 'alice.example@example.org', role: 'mentee', language: null },
      { email: 'jan.de.vries@example.org', role: 'mentor', language: 'nl' },
      { email: 'kari.nordmann@example.org', role: 'mentee', language: 'nb' },
    ]);
    // Nothing could still be sending: the only invitations workflow has finished (its result above), and
    // the second request started none (workflowId null), so one outbox row and one email are final.
    expect(
      await stack.sql`select 1 from email_outbox where recipient = 'kari.nordmann@example.org'`,
    ).toHaveLength(1);
    expect(await mailTo(stack, 'kari.nordmann@example.org', 1)).toHaveLength(1);

    // Neither the history (even decoded), nor the workflow id, nor its search attributes name anyone.
    const history = JSON.parse(historyToJSON(await handle.fetchHistory())) as unknown;
    const decoded = await decodeHistoryJson(history, stack.shared.codec);
    const visibility = async () => {
      const records: unknown[] = [];
      for await (const execution of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
        records.push({
          id: execution.workflowId,
          attributes: execution.searchAttributes,
          memo: execution.memo,
        });
      return records;
    };
    await expect.poll(async () => (await visibility()).length).toBe(1);
    const visible = await visibility();
    const everything = readable([history, decoded, visible]).join('\n').toLowerCase();
    for (const person of people) {
      expect(everything).not.toContain(person.email.toLowerCase());
      expect(everything).not.toContain(person.name.toLowerCase());
    }
    // What the decoded input does hold: the programme and the invitations' ids.
    const [invitation] = await stack.sql<{ id: string }[]>`
      select id from invitations where email = 'kari.nordmann@example.org'`;
    expect(everything).toContain(`"programid":"${stack.programId}"`);
    expect(everything).toContain(invitation!.id);

    // Validation names the participant's field; a closed programme is refused.
    const bad = await api('POST', `/api/v1/programs/${stack.programId}/invitations`, tokens.all, {
      participants: [people[0], { ...people[1], email: 'nope' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.field).toBe('participants[1].email');
    const tooMany = await api('POST', `/api/v1/programs/${stack.programId}/invitations`, tokens.all, {
      participants: Array.from({ length: 501 }, (_, i) => ({ ...people[2], email: `p${i}@example.org` })),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.field).toBe('participants');
    const closed = await api('POST', `/api/v1/programs/${stack.programId}-hr/invitations`, tokens.all, {
      participants: [people[2]],
    });
    expect(closed.status).toBe(409);
    expect(
      await stack.sql`select 1 from invitations where program_id = ${`${stack.programId}-hr`}`,
    ).toHaveLength(0);
  });

  it('lists an application made through the form with its phase, by ids only', async () => {
    const { workflowId } = await applyAsMentee(stack, { email: 'ada.api@example.org', name: 'Ada Api' });
    const [participant] = await stack.sql<{ id: string }[]>`
      select id from participants where email = 'ada.api@example.org' and program_id = ${stack.programId}`;
    const phase = async () =>
      (await stack.client.workflow.getHandle(workflowId).query(relationshipStatus)).phase;
    await expect.poll(phase).not.toBe('application');

    const listed = async () => {
      const res = await api('GET', `/api/v1/programs/${stack.programId}/relationships`, tokens.all);
      expect(res.status, res.text).toBe(200);
      const list = res.json.relationships as Record<string, unknown>[];
      return { text: res.text, mine: list.find((r) => r.workflowId === workflowId) };
    };
    // Visibility follows the workflow within a moment; polled gently, as the token is rate-limited.
    await expect.poll(async () => (await listed()).mine?.phase, { interval: 500 }).toBe(await phase());
    const { text, mine } = await listed();
    expect(mine).toMatchObject({
      workflowId,
      participantId: participant!.id,
      role: 'mentee',
      status: 'Running',
      waitingFor: expect.any(String),
    });
    expect(mine).not.toHaveProperty('outcome');
    expect(new Date(String(mine!.submittedAt)).getTime()).toBeGreaterThan(Date.now() - 120_000);
    expect(text).not.toContain('ada.api@example.org');
    expect(text).not.toContain('Ada Api');
    // Another programme's list is its own.
    const other = await api('GET', `/api/v1/programs/${otherProgram}/relationships`, tokens.otherProgram);
    expect(other.json).toEqual({ relationships: [] });
  });

  it('changes a programme’s settings within their limits, naming a bad field, for relationships that start after', async () => {
    const path = `/api/v1/programs/${stack.programId}/settings`;
    const before = await api('GET', `/api/v1/programs/${stack.programId}`, tokens.all);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ meetingCadence: 'monthly' }, 'meetingCadence', 'enter a duration such as P1M'],
      [{ duration: 'P9Y' }, 'duration', 'from PT10S to P5Y'],
      [
        { duration: 'P1M', meetingCadence: 'P2M' },
        'meetingCadence',
        'further apart than the relationship lasts',
      ],
      [{ meetingReminderBefore: 'P2M' }, 'meetingReminderBefore', 'from PT0S to P30D'],
      [{ formReminders: 11 }, 'formReminders', ''],
      [{ retentionDays: 'soon' }, 'retentionDays', ''],
      [{ cadence: 'P1M' }, 'cadence', ''],
      [{}, '', ''],
    ];
    for (const [body, field, message] of cases) {
      const res = await api('PATCH', path, tokens.all, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      if (field) expect(`${String(res.json.field)} ${String(res.json.message)}`).toContain(field);
      expect(String(res.json.message)).toContain(message);
    }
    expect((await api('GET', `/api/v1/programs/${stack.programId}`, tokens.all)).json).toEqual(before.json);

    const changed = await api('PATCH', path, tokens.all, {
      duration: 'PT20S',
      meetingCadence: 'PT5S',
      meetingReminderBefore: 'PT1S',
      managerEndorsement: false,
      retentionDays: 30,
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json.settings).toMatchObject({
      duration: 'PT20S',
      meetingCadence: 'PT5S',
      managerEndorsement: false,
      retentionDays: 30,
      formReminderAfter: (before.json.settings as Record<string, unknown>).formReminderAfter,
    });
    // A mentee who applies now runs with them: the relationship publishes the settings it pinned.
    const { workflowId } = await applyAsMentee(stack, {
      email: 'pinned.api@example.org',
      name: 'Pia Pinned',
    });
    await expect
      .poll(
        async () => (await stack.client.workflow.getHandle(workflowId).query(relationshipStatus)).settings,
      )
      .toMatchObject({ duration: 'PT20S', meetingCadence: 'PT5S', managerEndorsement: false });
    // An organisational change needs a pair: this mentee has none yet, and a stranger is not found.
    const base = `/api/v1/programs/${stack.programId}/relationships`;
    const noPair = await api('POST', `${base}/${workflowId}/organisational-change`, tokens.all, {
      change: 'same-unit',
    });
    expect(noPair.status, noPair.text).toBe(409);
    expect(String(noPair.json.message)).toContain('no mentoring pair');
    const stranger = `relationship-${stack.programId}-00000000-0000-4000-8000-000000000000`;
    expect(
      (await api('POST', `${base}/${stranger}/organisational-change`, tokens.all, { change: 'same-unit' }))
        .status,
    ).toBe(404);
    expect(
      (await api('POST', `${base}/${workflowId}/organisational-change`, tokens.all, { change: 'moved' })).json
        .field,
    ).toBe('change');
    // Without endorsement the application goes straight to the interview; its emails are all out then.
    await waitForMail(stack, COORDINATOR_EMAIL, 'An applicant is ready for interview');
  });

  it('refuses every API route without a token, with a revoked one and with another programme’s, changing nothing', async () => {
    const routes = await apiRoutes();
    expect(routes.map((r) => `${r.method} ${r.url} ${r.scope}`).sort()).toEqual([
      'GET /api/v1/programs/:programId program',
      'GET /api/v1/programs/:programId/relationships program',
      'PATCH /api/v1/programs/:programId/settings program',
      'POST /api/v1/programs all-programs',
      'POST /api/v1/programs/:programId/invitations program',
      'POST /api/v1/programs/:programId/relationships/:workflowId/organisational-change program',
    ]);

    const ownProgram = (
      await createApiToken(stack.sql, { name: 'Own', programId: stack.programId, by: adminId })
    ).token;
    const bodyOf = (route: ApiRoute) =>
      route.method === 'GET'
        ? undefined
        : route.url.endsWith('/invitations')
          ? { participants: [{ name: 'Intruder', email: 'intruder@example.org', role: 'mentee' }] }
          : route.url.endsWith('/settings')
            ? { duration: 'P1M', meetingCadence: 'P1M' }
            : route.url.endsWith('/organisational-change')
              ? { change: 'same-unit' }
              : {
                  id: 'intruder-programme',
                  name: 'Intruder',
                  template: 'one-to-one-12',
                  language: 'en',
                  coordinatorEmail: 'intruder@example.org',
                };
    const snapshot = () => stack.sql`
      select (select json_agg(p order by id) from programs p) as programs,
             (select json_agg(i order by id) from invitations i) as invitations,
             (select json_agg(json_build_array(id, name, program_id, token_hash, revoked_at) order by id)
                from api_tokens) as tokens,
             (select count(*)::int from applications) as applications,
             (select count(*)::int from email_outbox) as emails`;
    const before = await snapshot();
    const unknown = `mf_${randomBytes(32).toString('base64url')}`;

    for (const route of routes) {
      const url = route.url
        .replace(':programId', stack.programId)
        .replace(':workflowId', `relationship-${stack.programId}-00000000-0000-4000-8000-000000000000`);
      const name = `${route.method} ${route.url}`;
      for (const [who, token] of [
        ['no token', undefined],
        ['an unknown token', unknown],
        ['a malformed token', 'not-a-token'],
        ['a revoked token', tokens.revoked],
      ] as const) {
        const res = await api(route.method, url, token, bodyOf(route));
        expect(res.status, `${name} with ${who}`).toBe(401);
        expect(res.json.error, `${name} with ${who}`).toBe('Unauthorized');
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
      // A bad body is not a way round the door: the token is checked before the body is read.
      if (route.method !== 'GET')
        expect((await api(route.method, url, undefined, '{"broken": ')).status, name).toBe(401);

      const other = await api(route.method, url, tokens.otherProgram, bodyOf(route));
      expect(other.status, `${name} with another programme's token`).toBe(403);
      expect(other.json.error).toBe('Forbidden');
      // A token of this very programme passes the door, except where every programme is needed.
      if (route.scope === 'all-programs')
        expect((await api(route.method, url, ownProgram, bodyOf(route))).status, name).toBe(403);
      else if (route.method === 'GET')
        expect((await api(route.method, url, ownProgram)).status, name).toBe(200);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('describes every route in OpenAPI and serves the documentation page', async () => {
    const spec = await api('GET', '/api/openapi.json');
    expect(spec.status).toBe(200);
    const paths = spec.json.paths as Record<string, Record<string, Record<string, unknown>>>;
    const routes = await apiRoutes();
    const documented = Object.entries(paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(
      routes.map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`).sort(),
    );
    for (const [path, methods] of Object.entries(paths))
      for (const [method, operation] of Object.entries(methods)) {
        const name = `${method} ${path}`;
        expect(operation.summary, name).toBeTruthy();
        expect(operation.tags, name).not.toHaveLength(0);
        expect(operation.security, name).toEqual([{ bearerAuth: [] }]);
        const codes = Object.keys(operation.responses as object);
        expect(
          codes.some((c) => c.startsWith('2')),
          name,
        ).toBe(true);
        expect(codes, name).toEqual(expect.arrayContaining(['400', '401', '403', '429']));
      }
    expect(spec.json.components).toMatchObject({ securitySchemes: { bearerAuth: { scheme: 'bearer' } } });

    const docs = await fetch(`${stack.baseUrl}/api/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await docs.text();
    expect(html).toContain('swagger-ui-bundle.js');
    // The page runs its own scripts from this server; every other page still allows none.
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(docs.headers.get('content-security-policy')).toContain("default-src 'none'");
    const script = await fetch(`${stack.baseUrl}/api/docs/static/swagger-ui-bundle.js`);
    expect(script.status).toBe(200);
    // Read to the end: a response left half-read holds its connection, and the server's close waits for it.
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(0);
    const home = await fetch(`${stack.baseUrl}/`);
    await home.arrayBuffer();
    expect(home.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(home.headers.get('content-security-policy')).not.toContain('script-src');
  });
});
