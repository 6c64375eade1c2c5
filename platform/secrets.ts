/**
 * Secrets of a function instance (AWS Lambda): one Secrets Manager secret, a JSON object whose keys are
 * the settings' names (`DATABASE_URL`, `LINK_SECRET`, `SESSION_SECRET`, `PAYLOAD_KEYS`, `SMTP_URL`, …),
 * read once at a cold start and laid under the environment, so platform/config.ts reads them as it reads
 * any setting. The function's configuration names only the secret (`MENTORFLOW_SECRET_ARN`); no secret
 * value is an environment literal, visible to whoever may read the function's configuration.
 */

/** What reads a secret's text: Secrets Manager's GetSecretValue, or a test's stand-in. */
export type SecretReader = (secretId: string) => Promise<string>;

/** The AWS SDK's client, loaded only where a secret is named (no process but a function's needs it). */
const secretsManager: SecretReader = async (secretId) => {
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const { SecretString } = await new SecretsManagerClient({}).send(
    new GetSecretValueCommand({ SecretId: secretId }),
  );
  if (!SecretString) throw new Error(`secret ${secretId} holds no text`);
  return SecretString;
};

/** The secret's JSON, or undefined: a JSON error quotes the text, which no message may carry. */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Lays the secret's settings under `env` (a setting already in the environment wins, so an operator can
 * override one), and returns their names. Does nothing without `MENTORFLOW_SECRET_ARN`.
 */
export async function loadSecrets(
  env: NodeJS.ProcessEnv = process.env,
  read: SecretReader = secretsManager,
): Promise<string[]> {
  const id = env.MENTORFLOW_SECRET_ARN;
  if (!id) return [];
  const values = parsed(
    await read(id).catch((err: unknown) => {
      throw new Error(`secret ${id}: ${String(err)}`, { cause: err });
    }),
  );
  if (!values || typeof values !== 'object' || Array.isArray(values))
    throw new Error(`secret ${id}: not a JSON object`);
  const laid: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (typeof value !== 'string') throw new Error(`secret ${id}: ${name} is not text`);
    if (env[name] === undefined) {
      env[name] = value;
      laid.push(name);
    }
  }
  return laid;
}
