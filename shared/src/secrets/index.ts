/**
 * The secrets port: a value comes from the environment by default, or from Secret Manager when
 * its `*_SECRET` variable names a secret version (projects/P/secrets/S/versions/V).
 */
export interface SecretSource {
  readonly kind: 'env' | 'secret-manager';
  read(name: string): Promise<string>;
}

export interface SecretManagerClientLike {
  accessSecretVersion(request: { name: string }): Promise<[{ payload?: { data?: Uint8Array | string | null } | null }, ...unknown[]]>;
}

const VERSION_NAME = /^projects\/[^/]+\/secrets\/[^/]+\/versions\/[^/]+$/;

export class SecretManagerSource implements SecretSource {
  readonly kind = 'secret-manager';
  constructor(private readonly client: SecretManagerClientLike) {}

  async read(name: string): Promise<string> {
    if (!VERSION_NAME.test(name)) throw new Error(`Not a secret version name: ${name} (want projects/P/secrets/S/versions/V)`);
    const [version] = await this.client.accessSecretVersion({ name });
    const data = version.payload?.data;
    if (data === null || data === undefined) throw new Error(`Secret ${name} has no payload`);
    return Buffer.from(data).toString('utf8').trim();
  }
}

/** Resolves a secret that is either given directly (env) or named by a `*_SECRET` version. */
export async function resolveSecret(direct: string | undefined, versionName: string | undefined, source?: SecretSource): Promise<string | undefined> {
  if (!versionName) return direct;
  const from = source ?? (await secretManager());
  return from.read(versionName);
}

async function secretManager(): Promise<SecretSource> {
  const { SecretManagerServiceClient } = await import('@google-cloud/secret-manager');
  const client = new SecretManagerServiceClient();
  return new SecretManagerSource({ accessSecretVersion: (req) => client.accessSecretVersion(req) });
}
