/**
 * Payload encryption: the codec itself (keys, tampering, erasure), the master key rotated in the middle
 * of a relationship that then completes with old and new payloads decoding, and the codec endpoint that
 * only auditors and administrators may use.
 */
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiToken } from '../services/api-tokens.js';
import { decodeHistoryJson } from '../platform/temporal/history-codec.js';
import { ErasedPayloadError, newMasterKey, parseMasterKeys } from '../platform/temporal/payload-codec.js';
import { relationshipStatus } from '../workflows/messages.js';
import { answerLatest, runHistories, signedPair, useSettings, waitForMail } from './helpers/flows.js';
import { makeUser, signIn, startStack, type Stack } from './helpers/stack.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const keyIdsIn = (json: unknown): Set<string> => {
  const ids = new Set<string>();
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    const id = (v as { metadata?: Record<string, string> }).metadata?.['encryption-key-id'];
    if (id) ids.add(Buffer.from(id, 'base64').toString('utf8'));
    Object.values(v).forEach(walk);
  };
  walk(json);
  return ids;
};

describe('payload encryption', () => {
  let stack: Stack;
  const first = newMasterKey('k1');
  beforeAll(async () => {
    stack = await startStack('pglite', { PAYLOAD_KEYS: first });
    await useSettings(stack, {
      duration: 'PT6S',
      meetingCadence: 'PT3S',
      meetingReminderBefore: 'PT1S',
      formReminderAfter: 'PT5M',
      managerEndorsement: false,
    });
  });
  afterAll(async () => stack?.close());

  it('reads its keys from the configuration, and refuses keys it cannot use', () => {
    expect(parseMasterKeys(`${newMasterKey('new')},${first}`).active).toBe('new');
    expect(() => parseMasterKeys('k1:c2hvcnQ=')).toThrow('must be 32 bytes');
    expect(() => parseMasterKeys(`${first},${first}`)).toThrow('ids must differ');
    expect(() => parseMasterKeys('')).toThrow('at least one');
  });

  it('encrypts with a data key per workflow, detects tampering, and cannot read what was erased', async () => {
    const codec = stack.shared.codec;
    const plain = { metadata: { encoding: utf8('json/plain') }, data: utf8('"Ida Lund"') };
    const [mine] = await codec.encode([plain], {
      type: 'workflow',
      namespace: 'default',
      workflowId: 'wf-a',
    });
    const [theirs] = await codec.encode([plain], {
      type: 'workflow',
      namespace: 'default',
      workflowId: 'wf-b',
    });
    expect(Buffer.from(mine!.data!).toString('latin1')).not.toContain('Ida');
    expect(mine!.metadata!['encryption-key-id']).not.toEqual(theirs!.metadata!['encryption-key-id']);
    expect((await codec.decode([mine!]))[0]).toEqual(plain);
    // A payload written before encryption passes through unchanged.
    expect((await codec.decode([plain]))[0]).toBe(plain);

    const tampered = { ...mine!, data: Uint8Array.from(mine!.data!, (b, i) => (i === 20 ? b ^ 1 : b)) };
    await expect(codec.decode([tampered])).rejects.toThrow();

    // Destroying wf-a's data key leaves wf-b readable and wf-a's payload unreadable for good.
    await stack.sql`update payload_keys set wrapped = null, destroyed_at = now() where owner = 'wf-a'`;
    codec.forget();
    await expect(codec.decode([mine!])).rejects.toBeInstanceOf(ErasedPayloadError);
    expect((await codec.decode([theirs!]))[0]).toEqual(plain);
  });

  it('completes a relationship whose master key is rotated half-way; old and new payloads both decode', async () => {
    const { relationship } = await signedPair(stack, 'rut@example.org', 'ove@example.org', 'Ove Sund');
    await expect.poll(async () => (await relationship.query(relationshipStatus)).phase).toBe('meetings');

    // The operator configures a new key first and keeps the old one for reading.
    const second = newMasterKey('k2');
    await stack.restartWithPayloadKeys(`${second},${first}`);

    const answer = async (address: string, subject: string, answers: Record<string, string>) => {
      await waitForMail(stack, address, subject);
      await answerLatest(stack, address, subject, answers, 1);
    };
    const rating = { working: '4', progress: '4', adjust: '' };
    const evaluation = { goals: '4', satisfaction: '5', summary: 'Rotated fine.', trainingNeeds: '' };
    await answer('rut@example.org', 'How is your mentoring pair working?', { choice: 'continue' });
    await answer('ove@example.org', 'How is your mentoring pair working?', { choice: 'continue' });
    await answer('rut@example.org', 'Log of meeting 1', { held: 'yes' });
    await answer('rut@example.org', 'Mid-point feedback', rating);
    await answer('ove@example.org', 'Mid-point feedback', rating);
    await answer('rut@example.org', 'Log of meeting 2', { held: 'yes' });
    await answer('rut@example.org', 'Final evaluation', evaluation);
    await answer('ove@example.org', 'Final evaluation', evaluation);
    const handle = stack.client.workflow.getHandle(relationship.workflowId);
    expect(await handle.result()).toBe('completed');

    // Payloads under both keys, every one of them readable with the configured keys.
    const runs = await runHistories(stack, relationship.workflowId);
    const json = runs.map((history) => JSON.parse(historyToJSON(history)) as unknown);
    const keys = await stack.sql<{ id: string; master_key_id: string }[]>`
      select id, master_key_id from payload_keys where owner = ${relationship.workflowId} order by created_at`;
    expect(keys.map((k) => k.master_key_id)).toEqual(['k1', 'k2']);
    const used = new Set(json.flatMap((j) => [...keyIdsIn(j)]));
    for (const key of keys) expect(used).toContain(key.id);
    // The others belong to the mentor's workflow: a signal to it is encrypted with the mentor's key.
    const known = await stack.sql<
      { id: string }[]
    >`select id from payload_keys where id in ${stack.sql([...used])}`;
    expect(known).toHaveLength(used.size);
    const decoded = JSON.stringify(await decodeHistoryJson(json, stack.shared.codec));
    expect(decoded).not.toContain('YmluYXJ5L2VuY3J5cHRlZA=='); // base64 of "binary/encrypted": none left
    for (const [i, history] of runs.entries())
      await Worker.runReplayHistory(
        { workflowBundle: { code: inject('workflowBundleCode') }, dataConverter: stack.shared.dataConverter },
        history,
        `${relationship.workflowId} run ${i + 1}`,
      );
  }, 120_000);

  it('decodes for auditors and administrators through the codec endpoint, and for nobody else', async () => {
    const [plain] = [{ metadata: { encoding: utf8('json/plain') }, data: utf8('"Sensitive answer"') }];
    const [sealed] = await stack.shared.codec.encode([plain], {
      type: 'workflow',
      namespace: 'default',
      workflowId: 'wf-endpoint',
    });
    const body = JSON.stringify({
      payloads: [
        {
          metadata: Object.fromEntries(
            Object.entries(sealed!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
          ),
          data: Buffer.from(sealed!.data!).toString('base64'),
        },
      ],
    });
    const url = `${stack.baseUrl}/admin/codec/decode`;
    const post = (headers: Record<string, string>) =>
      fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    const decodedBy = async (res: Response | { html: string }) => {
      const json = 'html' in res ? res.html : await res.text();
      const { payloads } = JSON.parse(json) as { payloads: { data: string }[] };
      return Buffer.from(payloads[0]!.data, 'base64').toString('utf8');
    };

    const auditor = await makeUser(stack, 'audit@example.org', [{ role: 'auditor' }]);
    const coordinator = await makeUser(stack, 'coord@example.org', [
      { role: 'coordinator', programId: stack.programId },
    ]);
    const basic = (a: { email: string; password: string }) =>
      `Basic ${Buffer.from(`${a.email}:${a.password}`).toString('base64')}`;

    // The CLI's way: a codec token (an administrator makes it on /admin/api-tokens), never a password.
    const [auditorRow] = await stack.sql<
      { id: string }[]
    >`select id from users where email = ${auditor.email}`;
    const { token } = await createApiToken(stack.sql, {
      name: 'Auditor CLI',
      kind: 'codec',
      by: auditorRow!.id,
    });
    const cliAuth = `Bearer ${token}`;
    const cli = await post({ authorization: cliAuth });
    expect(cli.status).toBe(200);
    expect(await decodedBy(cli)).toBe('"Sensitive answer"');
    // A password, right or wrong, with the role or without, is no codec credential: all answer alike.
    expect((await post({ authorization: basic(coordinator) })).status).toBe(401);
    expect((await post({ authorization: basic(auditor) })).status).toBe(401);
    expect((await post({ authorization: basic({ ...auditor, password: 'wrong-password-1' }) })).status).toBe(
      401,
    );
    expect((await post({})).status).toBe(401);

    // The Web UI's way: the admin session, from an allowed origin only.
    const browser = await signIn(stack.baseUrl, auditor);
    const fromUi = await browser.post(
      url,
      {},
      {
        contentType: 'application/json',
        body,
        headers: { origin: 'http://localhost:8233' },
      },
    );
    expect(fromUi.status).toBe(200);
    expect(fromUi.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
    expect(await decodedBy(fromUi)).toBe('"Sensitive answer"');
    const elsewhere = await browser.post(
      url,
      {},
      {
        contentType: 'application/json',
        body,
        headers: { origin: 'https://evil.example' },
      },
    );
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();

    // Erased: the endpoint says so instead of failing.
    await stack.sql`update payload_keys set wrapped = null, destroyed_at = now() where owner = 'wf-endpoint'`;
    stack.shared.codec.forget();
    const erased = await post({ authorization: cliAuth });
    expect(await decodedBy(erased)).toBe('"[erased]"');

    // A key this deployment never had spoils only its own payload: the rest of the batch decodes.
    const [other] = await stack.shared.codec.encode([plain], {
      type: 'workflow',
      namespace: 'default',
      workflowId: 'wf-endpoint-2',
    });
    const asJson = (p: typeof other) => ({
      metadata: Object.fromEntries(
        Object.entries(p!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
      ),
      data: Buffer.from(p!.data!).toString('base64'),
    });
    const foreign = asJson(other);
    foreign.metadata['encryption-key-id'] = Buffer.from('00000000-0000-4000-8000-0000000000ff').toString(
      'base64',
    );
    const mixed = await fetch(url, {
      method: 'POST',
      body: JSON.stringify({ payloads: [foreign, asJson(other)] }),
      headers: { 'content-type': 'application/json', authorization: cliAuth },
    });
    expect(mixed.status).toBe(200);
    const { payloads } = (await mixed.json()) as { payloads: { data: string }[] };
    expect(payloads[0]).toEqual(foreign);
    expect(Buffer.from(payloads[1]!.data, 'base64').toString('utf8')).toBe('"Sensitive answer"');
  });
});
