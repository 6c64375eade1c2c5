/** `npm run admin:create -- EMAIL`: creates an administrator (or resets their password); reads the password from ADMIN_PASSWORD or stdin. */
import { createInterface } from 'node:readline/promises';
import { grantRole } from '../services/accounts.js';
import { loadConfig } from '../platform/config.js';
import { openDatabase } from '../platform/db/connect.js';

const email = process.argv[2];
if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) {
  console.error('usage: npm run admin:create -- EMAIL   (password from ADMIN_PASSWORD or typed on stdin)');
  process.exit(2);
}
const password =
  process.env.ADMIN_PASSWORD ??
  (await createInterface({ input: process.stdin, output: process.stderr }).question(
    'Password (12+ characters): ',
  ));
if (password.length < 12) {
  console.error('the password needs at least 12 characters');
  process.exit(2);
}
const config = loadConfig({ ...process.env, ADMIN_EMAIL: undefined, ADMIN_PASSWORD: undefined });
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
await grantRole(db.sql, { email, password, role: 'administrator', resetPassword: true });
console.log(`administrator ${email.toLowerCase()} is ready`);
await db.close();
process.exit(0);
