/** The environment helpers both front doors share: the shape of an env and V661's empty-is-unset rule. */

/** An environment as `process.env` shapes it. */
export type EnvRecord = Readonly<Record<string, string | undefined>>;

/**
 * `${VAR:-default}`: the value of `name`, or `fallback` when it is unset **or empty** (contract §2:
 * every V661 variable treats an empty value as unset).
 */
export function envValue(env: EnvRecord, name: string, fallback: string): string {
  const value = env[name];
  return value === undefined || value === '' ? fallback : value;
}
