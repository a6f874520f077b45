/**
 * Reads the raw variables for a config schema from an environment object,
 * resolving the `NAME_FILE` form every secret also accepts (Docker/Kubernetes
 * secrets). Empty strings count as unset. It only reads; validation is the
 * schema's job.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConfigIssue } from './config-error';

export interface RawEnv {
  values: Record<string, string>;
  issues: ConfigIssue[];
}

export function readRawEnv(
  env: Readonly<Record<string, string | undefined>>,
  names: readonly string[],
  secretNames: readonly string[],
  cwd: string,
): RawEnv {
  const values: Record<string, string> = {};
  const issues: ConfigIssue[] = [];
  for (const name of names) {
    const direct = env[name];
    if (direct !== undefined && direct !== '') values[name] = direct;
  }
  for (const name of secretNames) {
    const fileName = `${name}_FILE`;
    const path = env[fileName];
    if (path === undefined || path === '') continue;
    if (values[name] !== undefined) {
      issues.push({ variable: name, message: `set either ${name} or ${fileName}, not both` });
      continue;
    }
    try {
      // A trailing newline is an artefact of `echo > file`, never part of the secret.
      const content = readFileSync(resolve(cwd, path), 'utf8').replace(/\r?\n$/, '');
      if (content === '') issues.push({ variable: fileName, message: `file ${path} is empty` });
      else values[name] = content;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      issues.push({ variable: fileName, message: `cannot read file ${path} (${code})` });
    }
  }
  return { values, issues };
}
