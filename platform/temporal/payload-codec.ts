/**
 * Encryption of every Temporal payload (workflow inputs, Updates, activity inputs and results, queries,
 * failures) with AES-256-GCM and a random IV, so Temporal's history holds no readable personal data.
 *
 * Keys are two-level. Each workflow (a mentee's relationship, a mentor, a round) has a data key of its
 * own, stored in `payload_keys` only wrapped by a master key from the configuration. The payload names its
 * data key in its metadata. So:
 * - rotating the master key means configuring a new one first in the list: new payloads get a new data
 *   key wrapped by it, and the old keys stay configured for decryption;
 * - erasing a participant destroys their workflows' data keys: their payloads cannot be read anywhere,
 *   neither in Temporal's history nor in an archive, while everyone else's still can.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
// The proto package is CommonJS: its namespace is reached through the default export under plain Node.
import proto from '@temporalio/proto';
import type { Sql } from '../db/connect.js';
import { waitingOut } from '../unavailable.js';

const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const { Payload: PayloadMessage } = proto.temporal.api.common.v1;
const utf8 = new TextEncoder();
const text = new TextDecoder();

export interface MasterKeys {
  /** The id of the key that wraps new data keys. */
  active: string;
  /** Every configured master key by id, the active one and older ones kept for decryption. */
  keys: ReadonlyMap<string, Buffer>;
}

/** `id:base64key,id:base64key,…`, the first being the active key; each key 32 bytes. */
export function parseMasterKeys(value: string): MasterKeys {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [id, encoded, extra] = entry.split(':');
      if (!id || !encoded || extra !== undefined || !/^[\w.-]{1,40}$/.test(id))
        throw new Error(`payload key "${entry.slice(0, 12)}…" must be written id:base64key`);
      const key = Buffer.from(encoded, 'base64');
      if (key.length !== 32)
        throw new Error(`payload key ${id} must be 32 bytes (base64), not ${key.length}`);
      return [id, key] as const;
    });
  if (entries.length === 0) throw new Error('at least one payload key is needed');
  if (new Set(entries.map(([id]) => id)).size !== entries.length)
    throw new Error('payload key ids must differ');
  return { active: entries[0]![0], keys: new Map(entries) };
}

/** A new master key in the configuration's format, for `npm run` scripts and development defaults. */
export function newMasterKey(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

function seal(key: Buffer, plain: Uint8Array): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
}

function open(key: Buffer, data: Uint8Array): Buffer {
  const bytes = Buffer.from(data);
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error('encrypted payload is too short');
  // The tag length is fixed, so a truncated tag cannot pass for a shorter valid one.
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}

/** The payload's data key was destroyed (the participant was erased): it cannot be read anymore. */
export class ErasedPayloadError extends Error {
  constructor(readonly keyId: string) {
    super(`payload key ${keyId} was destroyed: the data was erased`);
  }
}

/** A payload arrived without the project's encryption where it must not be read (a production worker). */
export class UnencryptedPayloadError extends Error {
  constructor() {
    super("a payload arrived without the project's encryption; it is refused, not read");
  }
}

function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return !!encoding && text.decode(encoding) === ENCODING && !!payload.metadata?.[KEY_ID];
}

/**
 * Lets through only payloads the project encrypted; encodes nothing itself. The encryption codec reads
 * unencrypted payloads as they are (old histories, the recorded test histories), so whoever can write
 * to the Temporal namespace without the keys could hand a worker input of their own: in production,
 * where every payload this project writes is encrypted, the worker fails such a payload instead.
 */
export const unencryptedRefusal: PayloadCodec = {
  async encode(payloads) {
    return payloads;
  },
  async decode(payloads) {
    if (!payloads.every(isEncrypted)) throw new UnencryptedPayloadError();
    return payloads;
  },
};

/** JSON `null`: what an erased payload reads as where the reader needs a value (a memo, a list of workflows). */
export const ERASED_AS_NULL: Payload = {
  metadata: { encoding: utf8.encode('json/plain') },
  data: utf8.encode('null'),
};

/**
 * The codec, except that a payload whose key was destroyed decodes to `instead(payload)` (by default the
 * payload as it is, still encrypted) instead of failing.
 */
export function keepErased(
  codec: PayloadCodec,
  instead: (payload: Payload) => Payload = (payload) => payload,
): PayloadCodec {
  return {
    encode: (payloads, context) => codec.encode(payloads, context),
    decode: (payloads) =>
      Promise.all(
        payloads.map(async (payload) => {
          try {
            return (await codec.decode([payload]))[0]!;
          } catch (err) {
            if (err instanceof ErasedPayloadError) return instead(payload);
            throw err;
          }
        }),
      ),
  };
}

interface DataKey {
  id: string;
  key: Buffer;
}

/** Where wrapped data keys live: the database in the app, memory for replaying recorded histories. */
export interface DataKeyStore {
  /** The owner's data key under this master key, stored as `wrapped()` gives it if there is none yet. */
  current(
    owner: string,
    masterKeyId: string,
    wrapped: () => Buffer,
  ): Promise<{ id: string; wrapped: Buffer }>;
  /** A data key by id; `wrapped` is null once it was destroyed. */
  find(id: string): Promise<{ masterKeyId: string; wrapped: Buffer | null } | undefined>;
}

/**
 * A key lookup waits while PostgreSQL restarts rather than fail: the worker decodes each workflow
 * activation through this codec, and the SDK takes a failure there as fatal to the whole worker.
 */
const KEY_LOOKUP_PATIENCE_MS = 5 * 60_000;

/** The app's key store, `payload_keys`; the first process to need an owner's key makes it. */
export function databaseKeyStore(sql: Sql): DataKeyStore {
  return {
    current: (owner, masterKeyId, wrapped) =>
      waitingOut(() => currentKey(owner, masterKeyId, wrapped), KEY_LOOKUP_PATIENCE_MS),
    find: (id) => waitingOut(() => findKey(id), KEY_LOOKUP_PATIENCE_MS),
  };

  async function currentKey(owner: string, masterKeyId: string, wrapped: () => Buffer) {
    const find = () => sql<{ id: string; wrapped: Buffer }[]>`
        select id, wrapped from payload_keys
        where owner = ${owner} and master_key_id = ${masterKeyId} and destroyed_at is null`;
    let [row] = await find();
    if (!row) {
      await sql`
          insert into payload_keys (owner, master_key_id, wrapped) values (${owner}, ${masterKeyId}, ${wrapped()})
          on conflict (owner, master_key_id) where destroyed_at is null do nothing`;
      [row] = await find();
    }
    return row!;
  }

  async function findKey(id: string) {
    const [row] = await sql<{ master_key_id: string; wrapped: Buffer | null }[]>`
        select master_key_id, wrapped from payload_keys where id = ${id}`;
    return row && { masterKeyId: row.master_key_id, wrapped: row.wrapped };
  }
}

/** Keys that live as long as the process: replaying recorded histories encodes commands it then discards. */
export function memoryKeyStore(): DataKeyStore {
  const keys = new Map<string, { owner: string; masterKeyId: string; wrapped: Buffer }>();
  return {
    async current(owner, masterKeyId, wrapped) {
      for (const [id, k] of keys)
        if (k.owner === owner && k.masterKeyId === masterKeyId) return { id, wrapped: k.wrapped };
      const id = randomUUID();
      keys.set(id, { owner, masterKeyId, wrapped: wrapped() });
      return { id, wrapped: keys.get(id)!.wrapped };
    },
    async find(id) {
      return keys.get(id);
    },
  };
}

/** Data keys are cached briefly: a key destroyed by an erasure stops working in every process within this time. */
const CACHE_MS = 60_000;

type Cache<T> = Map<string, { value: Promise<T>; at: number }>;

/** The cached value if fresh, else `make()`'s, cached; a failure is not kept. */
function cachedFor<T>(cache: Cache<T>, key: string, make: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
  const value = make();
  cache.set(key, { value, at: Date.now() });
  value.catch(() => cache.delete(key));
  return value;
}

export class EncryptionCodec implements PayloadCodec {
  readonly #store: DataKeyStore;
  readonly #master: MasterKeys;
  readonly #byOwner: Cache<DataKey> = new Map();
  readonly #byId: Cache<Buffer> = new Map();

  constructor(store: DataKeyStore, master: MasterKeys) {
    this.#store = store;
    this.#master = master;
  }

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    if (payloads.length === 0) return payloads;
    const { id, key } = await this.#dataKeyOf(context?.workflowId ?? '');
    return payloads.map((payload) => ({
      metadata: { encoding: utf8.encode(ENCODING), [KEY_ID]: utf8.encode(id) },
      data: seal(key, PayloadMessage.encode(payload).finish()),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(
      payloads.map(async (payload) => {
        const encoding = payload.metadata?.encoding;
        // Histories written before encryption (and the recorded test histories) pass through as they are.
        if (!encoding || text.decode(encoding) !== ENCODING) return payload;
        const keyId = text.decode(payload.metadata![KEY_ID]!);
        const key = await this.#dataKey(keyId);
        const decoded = PayloadMessage.decode(open(key, payload.data ?? new Uint8Array()));
        return {
          metadata: Object.fromEntries(
            Object.entries(decoded.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(v)]),
          ),
          data: new Uint8Array(decoded.data ?? []),
        };
      }),
    );
  }

  /** Forgets cached keys (an erasure in this process takes effect at once). */
  forget(): void {
    this.#byOwner.clear();
    this.#byId.clear();
  }

  #dataKeyOf(owner: string): Promise<DataKey> {
    return cachedFor(this.#byOwner, owner, () => this.#currentKey(owner));
  }

  /** The owner's data key under the active master key, made on first use (by whichever process is first). */
  async #currentKey(owner: string): Promise<DataKey> {
    const masterId = this.#master.active;
    const master = this.#master.keys.get(masterId)!;
    const row = await this.#store.current(owner, masterId, () => seal(master, randomBytes(32)));
    return { id: row.id, key: open(master, row.wrapped) };
  }

  #dataKey(id: string): Promise<Buffer> {
    return cachedFor(this.#byId, id, () => this.#unwrap(id));
  }

  async #unwrap(id: string): Promise<Buffer> {
    const row = await this.#store.find(id);
    if (!row) throw new Error(`payload key ${id} is not known to this key store`);
    if (!row.wrapped) throw new ErasedPayloadError(id);
    const master = this.#master.keys.get(row.masterKeyId);
    if (!master)
      throw new Error(
        `payload key ${id} is wrapped by master key ${row.masterKeyId}, which is not configured`,
      );
    return open(master, row.wrapped);
  }
}
