/**
 * TRUST_PROXY: which peers may tell the app, in X-Forwarded-For and X-Forwarded-Proto, who the client
 * is and whether it came over https. Rate limits count by that client address, so believing a header
 * the client wrote itself would give every request a bucket of its own: only the proxies named here
 * are believed, and the client address is the last one they did not add.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

/** proxy-addr's names for ranges (Fastify compiles the list with proxy-addr). */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One entry: an address, a CIDR range (`10.0.0.0/8`) or one of proxy-addr's named ranges. */
function entryProblem(entry: string): string | undefined {
  if (NAMED_RANGES.has(entry)) return undefined;
  const [address = '', prefix, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined)
    return `"${entry}" is not an IP address, a CIDR range or one of ${[...NAMED_RANGES].join(', ')}`;
  if (prefix === undefined) return undefined;
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (!(bits <= (version === 4 ? 32 : 128))) return `"${entry}" has no valid prefix length`;
  // A /0 range is every address: the same as believing every client.
  if (bits === 0) return `"${entry}" trusts every address; name the proxy's address or network`;
  return undefined;
}

/**
 * `false` (the default): no proxy, the socket's peer is the client. Otherwise a comma-separated list of
 * the proxies' addresses or ranges. `true` is refused because it believes every hop, client-written
 * ones too; a hop count is refused because Fastify ignores it (it cannot tell a proxy from a client
 * that reached the app directly).
 */
export const TrustProxy = z
  .string()
  .trim()
  .default('false')
  .transform((value, ctx): false | string[] => {
    if (value === '' || value === 'false') return false;
    if (value === 'true') {
      ctx.addIssue({
        code: 'custom',
        message:
          'true would believe any X-Forwarded-For a client writes; give the proxy’s address or network (such as 127.0.0.1 or 10.0.0.0/8)',
      });
      return z.NEVER;
    }
    if (/^\d+$/.test(value)) {
      ctx.addIssue({
        code: 'custom',
        message: 'a hop count cannot tell the proxy from a client; give the proxy’s address or network',
      });
      return z.NEVER;
    }
    const entries = value
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    for (const entry of entries) {
      const problem = entryProblem(entry);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }
    return entries;
  });
