import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from '../config/env-readers';
import {
  isPermission,
  isRoleName,
  MAX_DESCRIPTION_LENGTH,
  MAX_PERMISSIONS_PER_ROLE,
  PERMISSION_RULE,
  permissionSet,
  ROLE_NAME_RULE,
} from './role-rules';
import type { RoleDefinition } from './role-store';
import { ADMIN_ROLE } from './roles.service';

const MAX_ROLES = 1_000;
const ROLE_KEYS = new Set(['name', 'description', 'mfaRequired', 'permissions']);
const CONTROL_CHARACTER = /\p{Cc}/u;

/** A refusal naming ROLES_FILE and where in it; never the file's text. */
const refuse = (where: string, problem: string) => new ConfigError(`ROLES_FILE ${where}${problem}`);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A key as a message may show it: quoted, short, escaped. */
const quoted = (key: string) => JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}...` : key);

/** Reads and checks the file ROLES_FILE names; throws a {@link ConfigError} saying what is wrong. */
export function readRolesFile(path: string): RoleDefinition[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw refuse(
      '',
      `names a file that cannot be read${typeof code === 'string' ? ` (${code})` : ''}`,
    );
  }
  const extension = extname(path).toLowerCase();
  const json = extension === '.json' || (extension === '' && text.trimStart().startsWith('{'));
  return parseRoles(text, json ? 'json' : 'yaml');
}

/** `roles: [{name, description?, mfaRequired?, permissions}]`, as JSON or YAML text. */
export function parseRoles(text: string, format: 'json' | 'yaml'): RoleDefinition[] {
  return rolesIn(format === 'json' ? parseJson(text) : parseYaml(text));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // JSON.parse quotes the text around the error; say only that it is broken.
    throw refuse('', 'is not valid JSON');
  }
}

function parseYaml(text: string): unknown {
  const document = parseDocument(text, { uniqueKeys: true });
  const [error] = document.errors;
  if (error) {
    const at = error.linePos?.[0];
    const where = at ? ` at line ${at.line}, column ${at.col}` : '';
    throw refuse('', `is not valid YAML${where} (${error.code})`);
  }
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch {
    throw refuse('', 'is not valid YAML (too many aliases)');
  }
}

function rolesIn(data: unknown): RoleDefinition[] {
  if (!isRecord(data) || !Array.isArray(data.roles)) {
    throw refuse('', 'must hold an object with a "roles" list');
  }
  const unknown = Object.keys(data).find((key) => key !== 'roles');
  if (unknown !== undefined) throw refuse('', `has an unknown key ${quoted(unknown)}`);
  if (data.roles.length > MAX_ROLES) throw refuse('', `lists more than ${MAX_ROLES} roles`);

  const seen = new Set<string>();
  return data.roles.map((entry: unknown, index) => {
    const role = roleIn(entry, `roles[${index}]`);
    if (seen.has(role.name)) throw refuse(`roles[${index}] (${role.name})`, ': is listed twice');
    seen.add(role.name);
    return role;
  });
}

function roleIn(entry: unknown, at: string): RoleDefinition {
  if (!isRecord(entry)) throw refuse(at, ': must be an object');
  if (!isRoleName(entry.name)) throw refuse(at, `: name must be ${ROLE_NAME_RULE}`);
  const where = `${at} (${entry.name})`;
  const fail = (problem: string) => refuse(where, `: ${problem}`);

  const unknown = Object.keys(entry).find((key) => !ROLE_KEYS.has(key));
  if (unknown !== undefined) throw fail(`unknown key ${quoted(unknown)}`);
  if (entry.name === ADMIN_ROLE) throw fail('the built-in admin role cannot be redefined');

  const { description = '', mfaRequired = false, permissions } = entry;
  if (
    typeof description !== 'string' ||
    description.length > MAX_DESCRIPTION_LENGTH ||
    CONTROL_CHARACTER.test(description)
  ) {
    throw fail(`description must be text of at most ${MAX_DESCRIPTION_LENGTH} characters`);
  }
  if (typeof mfaRequired !== 'boolean') throw fail('mfaRequired must be true or false');
  if (!Array.isArray(permissions) || permissions.length > MAX_PERMISSIONS_PER_ROLE) {
    throw fail(`permissions must be a list of at most ${MAX_PERMISSIONS_PER_ROLE}`);
  }
  const bad = permissions.findIndex((permission) => !isPermission(permission));
  if (bad >= 0) throw fail(`permissions[${bad}] must be ${PERMISSION_RULE}`);

  return { name: entry.name, description, mfaRequired, permissions: permissionSet(permissions) };
}
