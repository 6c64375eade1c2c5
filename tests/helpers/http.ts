/** Real HTTP the way a browser without JavaScript does it: GET a page, POST its form urlencoded, keep cookies. */
import { parse, type HTMLElement } from 'node-html-parser';

export type FormFields = Record<string, string | string[]> | [string, string][];

export interface Page {
  /** The address the page was fetched from. */
  url: string;
  status: number;
  headers: Headers;
  html: string;
  doc: HTMLElement;
  location: string | null;
  /** The visible text of <main>, whitespace collapsed. */
  text: string;
}

/** How a request reaches the app: real HTTP, or an API Gateway event handed to the Lambda handler. */
export type Transport = (url: string, init: RequestInit) => Promise<Response>;

export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly transport: Transport = fetch) {}

  async get(url: string): Promise<Page> {
    return this.#send(url, { method: 'GET' });
  }

  async post(
    url: string,
    fields: FormFields,
    opts: { contentType?: string; body?: string; headers?: Record<string, string> } = {},
  ): Promise<Page> {
    const body = opts.body ?? encode(fields);
    return this.#send(url, {
      method: 'POST',
      body,
      headers: { 'content-type': opts.contentType ?? 'application/x-www-form-urlencoded', ...opts.headers },
    });
  }

  async #send(url: string, init: RequestInit): Promise<Page> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await this.transport(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const [name, ...rest] = pair!.split('=');
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a) || /^\s*max-age=0/i.test(a));
      if (expired) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), rest.join('='));
    }
    const html = await res.text();
    const doc = parse(html);
    return {
      url,
      status: res.status,
      headers: res.headers,
      html,
      doc,
      location: res.headers.get('location'),
      text: (doc.querySelector('main')?.textContent ?? html).replace(/\s+/g, ' ').trim(),
    };
  }
}

export function encode(fields: FormFields): string {
  const params = new URLSearchParams();
  const entries = Array.isArray(fields) ? fields : Object.entries(fields);
  for (const [k, v] of entries) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
  return params.toString();
}

export function hiddenValue(page: Page, name: string): string {
  const value = page.doc.querySelector(`input[type=hidden][name=${name}]`)?.getAttribute('value');
  if (!value) throw new Error(`no hidden ${name} on the page: ${page.text.slice(0, 200)}`);
  return value;
}

/** A complete, valid mentee application. */
export function menteeAnswers(
  overrides: Record<string, string | string[]> = {},
): Record<string, string | string[]> {
  return {
    name: 'Ada Lovelace',
    email: 'ada.lovelace@example.org',
    department: 'Analytical Engines',
    location: 'London',
    level: '2',
    languages: ['en', 'nl'],
    managerEmail: 'charles.babbage@example.org',
    reasons: 'I want to grow into leading a team.',
    goals: 'Learn to give feedback & run <b>meetings</b>.',
    experience: '',
    interests: 'Poetry',
    consent: 'yes',
    ...overrides,
  };
}

/** Both sides' signature on the mentoring agreement. */
export const AGREEMENT = {
  goals: 'Lead a team.',
  milestones: 'First one-to-ones by spring.',
  form: 'video',
  confidentiality: 'yes',
  signed: 'yes',
};

/** A complete, valid mentor application; override any field. */
export function mentorAnswers(
  overrides: Record<string, string | string[]> = {},
): Record<string, string | string[]> {
  return {
    name: 'Grace Hopper',
    email: 'grace.hopper@example.org',
    department: 'Compilers',
    location: 'Arlington',
    level: '4',
    languages: ['en'],
    experience: 'Twenty years of leading teams.',
    motivation: 'Giving back.',
    offers: 'Feedback, running meetings, career moves.',
    capacity: '1',
    consent: 'yes',
    ...overrides,
  };
}

/** What a browser would send for the page's first form as it stands: every named control's current value. */
export function currentFields(page: Page): Record<string, string> {
  const fields: Record<string, string> = {};
  const form = page.doc.querySelector('main form[method=post]') ?? page.doc;
  for (const el of form.querySelectorAll('input[name], textarea[name], select[name]')) {
    const name = el.getAttribute('name')!;
    const type = el.getAttribute('type');
    if (el.tagName === 'TEXTAREA') fields[name] = el.text;
    else if (el.tagName === 'SELECT')
      fields[name] =
        (el.querySelector('option[selected]') ?? el.querySelector('option'))?.getAttribute('value') ?? '';
    else if (type === 'checkbox' || type === 'radio') {
      if (el.hasAttribute('checked')) fields[name] = el.getAttribute('value') ?? 'on';
    } else fields[name] = el.getAttribute('value') ?? '';
  }
  return fields;
}

/**
 * `fn` again every 200 ms until `ok` holds or `timeoutMs` has passed; its last value either way. Pages
 * follow the workflows within a moment: a test asks again, as a person reloads.
 */
export async function eventually<T>(
  fn: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}
