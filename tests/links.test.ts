import { describe, expect, it } from 'vitest';
import { absoluteUrl, basePath, LinkSigner, redactTokens } from '../platform/links.js';

const req = {
  p: 'status',
  wf: 'relationship-p-1',
  step: 'status',
  role: 'mentee',
  ttlSeconds: 3600,
} as const;

describe('signed participant links', () => {
  const signer = new LinkSigner('a'.repeat(40));

  it('round-trips its claims and carries 128 random bits', () => {
    const a = signer.sign(req);
    const b = signer.sign(req);
    expect(a).not.toBe(b);
    const v = signer.verify(a, 'status');
    expect(v.ok && v.claims).toMatchObject({ wf: 'relationship-p-1', step: 'status', role: 'mentee' });
    expect(v.ok && Buffer.from(v.claims.n, 'base64url')).toHaveLength(16);
  });

  it('refuses another purpose, another key, tampering, expiry and garbage', () => {
    const token = signer.sign(req);
    expect(signer.verify(token, 'form')).toEqual({ ok: false, reason: 'purpose' });
    expect(new LinkSigner('b'.repeat(40)).verify(token, 'status')).toEqual({
      ok: false,
      reason: 'signature',
    });
    const [body, mac] = token.split('.');
    const forged = Buffer.from(
      Buffer.from(body!, 'base64url').toString().replace('relationship-p-1', 'relationship-p-2'),
    ).toString('base64url');
    expect(signer.verify(`${forged}.${mac}`, 'status')).toEqual({ ok: false, reason: 'signature' });
    expect(signer.verify(signer.sign(req, Date.now() - 3_601_000), 'status')).toEqual({
      ok: false,
      reason: 'expired',
    });
    for (const junk of ['', '.', 'abc', 'a.b.c', `${body}.`, 'x'.repeat(2000)]) {
      expect(signer.verify(junk, 'status').ok, junk).toBe(false);
    }
  });

  it('builds absolute links from the public URL, keeping its path prefix', () => {
    expect(absoluteUrl(new URL('https://example.org'), 's/tok')).toBe('https://example.org/s/tok');
    expect(absoluteUrl(new URL('https://example.org/mentoring'), '/s/tok')).toBe(
      'https://example.org/mentoring/s/tok',
    );
    expect(basePath(new URL('https://example.org/mentoring'))).toBe('/mentoring/');
  });

  it('keeps tokens out of logged paths', () => {
    expect(redactTokens('/s/eyJ2.abc?x=1')).toBe('/s/[token]?x=1');
    expect(redactTokens('/mentoring/f/tok/extra')).toBe('/mentoring/f/[token]/extra');
    expect(redactTokens('/programs/p/apply')).toBe('/programs/p/apply');
  });
});
