/**
 * Signed, expiring, single-purpose links for participants who never log in. A token names the workflow
 * (not the run), the step and the role it opens, the participant it was sent to, carries 128 random
 * bits, and is worthless for any other purpose or after its expiry. Opening a link changes nothing, so
 * mail scanners that follow links are harmless.
 */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const LinkPurpose = z.enum(['status', 'form', 'meeting']);
export type LinkPurpose = z.infer<typeof LinkPurpose>;

const Claims = z.object({
  v: z.literal(1),
  p: LinkPurpose,
  wf: z.string().min(1).max(200),
  step: z.string().min(1).max(100),
  role: z.enum(['mentee', 'mentor', 'manager', 'member']),
  /**
   * The participant the link was emailed to. A role alone names whoever holds it now: a mentor's link
   * must stop working for them when the mentee gets another mentor. Links signed before it have none.
   */
  participant: z.string().min(1).max(100).optional(),
  exp: z.number().int(),
  n: z.string().length(22),
});
export type LinkClaims = z.infer<typeof Claims>;
export type LinkRequest = Pick<LinkClaims, 'p' | 'wf' | 'step' | 'role' | 'participant'> & {
  ttlSeconds: number;
};

export type VerifyResult =
  { ok: true; claims: LinkClaims } | { ok: false; reason: 'malformed' | 'signature' | 'purpose' | 'expired' };

export class LinkSigner {
  readonly #key: Buffer;

  constructor(secret: string) {
    this.#key = Buffer.from(hkdfSync('sha256', secret, 'mentorflow', 'participant-links-v1', 32));
  }

  sign(req: LinkRequest, now = Date.now()): string {
    const claims: LinkClaims = {
      v: 1,
      p: req.p,
      wf: req.wf,
      step: req.step,
      role: req.role,
      ...(req.participant ? { participant: req.participant } : {}),
      exp: Math.floor(now / 1000) + req.ttlSeconds,
      n: randomBytes(16).toString('base64url'),
    };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${body}.${this.#mac(body)}`;
  }

  verify(token: string, purpose: LinkPurpose, now = Date.now()): VerifyResult {
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined || token.length > 1024)
      return { ok: false, reason: 'malformed' };
    const expected = Buffer.from(this.#mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return { ok: false, reason: 'signature' };
    let claims: LinkClaims;
    try {
      claims = Claims.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (claims.p !== purpose) return { ok: false, reason: 'purpose' };
    if (claims.exp * 1000 <= now) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }

  #mac(body: string): string {
    return createHmac('sha256', this.#key).update(body).digest('base64url');
  }
}

/** Joins a path onto the configured public URL, keeping any path prefix the deployment lives under. */
export function absoluteUrl(publicUrl: URL, path: string): string {
  const base = publicUrl.href.endsWith('/') ? publicUrl.href : `${publicUrl.href}/`;
  return new URL(path.replace(/^\/+/, ''), base).href;
}

/** The path the app lives under, ending in a slash: "/" or, behind a proxy, "/mentoring/". */
export function basePath(publicUrl: URL): string {
  return publicUrl.pathname.endsWith('/') ? publicUrl.pathname : `${publicUrl.pathname}/`;
}

/** A request path fit for a log line: personal link tokens are bearer secrets and stay out of logs. */
export function redactTokens(url: string): string {
  return url.replace(/\/([sf])\/[^/?#]+/g, '/$1/[token]');
}
