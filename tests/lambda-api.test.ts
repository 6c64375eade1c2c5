/**
 * The API as a Lambda function (api/lambda.ts), invoked locally with the events API Gateway sends: the
 * same requests as a person's browser makes, once over HTTP to the long-running server and once as
 * events to the handler, on one database and one Temporal, give the same answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaApi, type ApiHandler } from '../api/lambda.js';
import { loadSecrets } from '../platform/secrets.js';
import { viaApiGateway } from './helpers/api-gateway.js';
import { Browser, eventually, hiddenValue, menteeAnswers, type Page } from './helpers/http.js';
import { linkIn, mailWith } from './helpers/journey.js';
import { anotherApp, backends, makeUser, startStack, type Stack } from './helpers/stack.js';

/**
 * What differs between two answers to the same request by design: each form's new submission id, each
 * sign-in form's CSRF token, a receipt's reference and time.
 */
function comparable(page: Page, ...people: string[]): string {
  let html = page.html
    .replace(/(name="(?:submissionId|_csrf)"[^>]*value=")[^"]*"/g, '$1…"')
    .replace(/(value="[^"]*"[^>]*name="(?:submissionId|_csrf)")/g, '…')
    .replace(/Your reference is \w{8}/g, 'Your reference is …');
  for (const [i, person] of people.entries()) html = html.replaceAll(person, `person ${i}`);
  return html;
}

describe.each(backends())('the API function (database: %s)', (backend) => {
  let stack: Stack;
  let handler: ApiHandler;
  let builds = 0;
  let server: Browser;
  let lambda: Browser;
  const url = (path: string) => `${stack.baseUrl}${path}`;
  beforeAll(async () => {
    stack = await startStack(backend);
    handler = lambdaApi(async () => {
      builds++;
      return anotherApp(stack);
    });
    server = new Browser();
    lambda = new Browser(viaApiGateway(handler));
  });
  afterAll(async () => stack?.close());

  it('serves the application form as the server does, the app built once for the instance', async () => {
    const path = `/programs/${stack.programId}/apply`;
    const [overHttp, asEvent] = [await server.get(url(path)), await lambda.get(url(path))];
    expect(asEvent.status).toBe(200);
    expect(asEvent.headers.get('content-type')).toBe(overHttp.headers.get('content-type'));
    expect(asEvent.headers.get('content-security-policy')).toBe(
      overHttp.headers.get('content-security-policy'),
    );
    expect(comparable(asEvent)).toBe(comparable(overHttp));
    await lambda.get(url(path));
    expect(builds).toBe(1);
  });

  it('takes an application sent urlencoded and base64-encoded, and opens the emailed link', async () => {
    const path = `/programs/${stack.programId}/apply`;
    const apply = async (browser: Browser, name: string, email: string) => {
      const form = await browser.get(url(path));
      return browser.post(url(path), {
        ...menteeAnswers({ name, email }),
        submissionId: hiddenValue(form, 'submissionId'),
      });
    };
    const overHttp = await apply(server, 'Ada Lovelace', 'ada@example.org');
    const asEvent = await apply(lambda, 'Grace Hopper', 'grace@example.org');
    expect(asEvent.status, asEvent.text).toBe(200);
    expect(asEvent.text).toContain('Thank you, your application is in');
    expect(comparable(asEvent, 'Grace Hopper', 'grace@example.org')).toBe(
      comparable(overHttp, 'Ada Lovelace', 'ada@example.org'),
    );

    // The applicant's emailed status link, opened as an event and over HTTP: the same page.
    const mail = await mailWith(stack.smtp, 'grace@example.org', 'Your mentoring application is received');
    const link = linkIn(mail, 's');
    // Each instance shows the state it last read (a few seconds' memory): both, once the answers are stored.
    const settled = (browser: Browser) =>
      eventually(
        () => browser.get(link),
        (p) => p.text.includes('Your manager has been asked to endorse your application.'),
        20_000,
      );
    const [linkAsEvent, linkOverHttp] = [await settled(lambda), await settled(new Browser())];
    expect(linkAsEvent.status).toBe(200);
    expect(linkAsEvent.text).toContain(/Your reference is (\w{8})/.exec(asEvent.text)![1]);
    expect(linkAsEvent.html).toBe(linkOverHttp.html);
  });

  it('signs an administrator in as the server does, the cookies in the event’s cookie list', async () => {
    const account = await makeUser(stack, 'lambda-admin@example.org', [{ role: 'administrator' }]);
    const signIn = async (browser: Browser) => {
      const form = await browser.get(url('/admin/login'));
      const done = await browser.post(url('/admin/login'), {
        ...account,
        _csrf: hiddenValue(form, '_csrf'),
      });
      return { form, done, programs: await browser.get(url(`/admin/programs/${stack.programId}`)) };
    };
    const overHttp = await signIn(new Browser());
    const viaEvents = new Browser(viaApiGateway(handler));
    const asEvent = await signIn(viaEvents);
    expect(comparable(asEvent.form)).toBe(comparable(overHttp.form));
    expect(asEvent.done.status).toBe(303);
    expect(asEvent.done.location).toBe(overHttp.done.location);
    expect(viaEvents.cookies.size).toBeGreaterThan(0);
    expect(asEvent.programs.status).toBe(200);
    expect(comparable(asEvent.programs)).toBe(comparable(overHttp.programs));
  });

  it('behind API Gateway (HTTPS), signs in with a Secure __Host- session cookie in the event’s cookie list', async () => {
    const account = await makeUser(stack, 'lambda-https@example.org', [{ role: 'administrator' }]);
    const publicUrl = new URL('https://mentoring.example.org/');
    const https = lambdaApi(() => anotherApp(stack, { publicUrl }, { servedOverHttps: true }));
    const results: Awaited<ReturnType<ApiHandler>>[] = [];
    const browser = new Browser(
      viaApiGateway(async (event, context) => {
        const result = await https(event, context);
        results.push(result);
        return result;
      }),
    );
    const at = (path: string) => new URL(path, publicUrl).href;
    const form = await browser.get(at('admin/login'));
    const done = await browser.post(at('admin/login'), { ...account, _csrf: hiddenValue(form, '_csrf') });
    expect(done.status, done.text).toBe(303);
    // As payload format 2.0 wants them: in `cookies`, none in the headers.
    const signedIn = results.at(-1)!;
    expect(signedIn.headers?.['set-cookie']).toBeUndefined();
    const session = signedIn.cookies?.find((c) => c.startsWith('__Host-session='));
    expect(session).toMatch(/; Secure/i);
    expect(session).toMatch(/; HttpOnly/i);
    const page = await browser.get(at(`admin/programs/${stack.programId}`));
    expect(page.status, page.text).toBe(200);
    expect(page.text).toContain('Test programme');
  });

  it('serves a static asset byte for byte', async () => {
    const [overHttp, asEvent] = await Promise.all([
      fetch(url('/assets/site.css')),
      viaApiGateway(handler)(url('/assets/site.css'), { method: 'GET' }),
    ]);
    expect(asEvent.status).toBe(200);
    expect(asEvent.headers.get('content-type')).toBe(overHttp.headers.get('content-type'));
    expect(Buffer.from(await asEvent.arrayBuffer())).toEqual(Buffer.from(await overHttp.arrayBuffer()));
  });
});

describe('a function’s secrets', () => {
  const reader = (text: string) => async (id: string) => {
    expect(id).toBe('arn:aws:secretsmanager:eu-north-1:123456789012:secret:mentorflow');
    return text;
  };
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    MENTORFLOW_SECRET_ARN: 'arn:aws:secretsmanager:eu-north-1:123456789012:secret:mentorflow',
    ...extra,
  });

  it('are laid under the environment, which wins where it names a setting itself', async () => {
    const e = env({ SMTP_URL: 'smtp://relay.internal:25' });
    const laid = await loadSecrets(
      e,
      reader(JSON.stringify({ DATABASE_URL: 'postgres://db/app', SMTP_URL: 'smtp://elsewhere:25' })),
    );
    expect(laid).toEqual(['DATABASE_URL']);
    expect(e.DATABASE_URL).toBe('postgres://db/app');
    expect(e.SMTP_URL).toBe('smtp://relay.internal:25');
  });

  it('are not read without a secret named, and a malformed secret is named without its text', async () => {
    expect(await loadSecrets({}, reader('unused'))).toEqual([]);
    const failure = loadSecrets(env(), reader('LINK_SECRET=hunter2-hunter2'));
    await expect(failure).rejects.toThrow(/secret arn:aws:secretsmanager:.*: not a JSON object/);
    await expect(failure).rejects.not.toThrow(/hunter2/);
    await expect(loadSecrets(env(), reader('{"PAYLOAD_KEYS": 7}'))).rejects.toThrow(
      'PAYLOAD_KEYS is not text',
    );
  });
});
