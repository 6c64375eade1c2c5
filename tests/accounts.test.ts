import { describe, expect, it } from 'vitest';
import { hashPassword } from '../services/accounts.js';

describe('admin password hashes', () => {
  it('are argon2id above the OWASP minimum (19 MiB, 2 passes)', async () => {
    const hash = await hashPassword('correct horse battery staple');
    const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(hash);
    expect(m).toBeTruthy();
    expect(Number(m![1])).toBeGreaterThanOrEqual(19 * 1024);
    expect(Number(m![2])).toBeGreaterThanOrEqual(2);
    expect(await hashPassword('correct horse battery staple')).not.toBe(hash);
  });
});
