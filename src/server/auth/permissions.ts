// What a verified token may do, from its scopes and roles. The mapping (also in the README):
//   scopes (`scope` as a space-separated string or a list, and `scp`):
//     read            → read
//     write, admin    → read and write
//   roles (the configured claim, default `roles`), as SMD's starter TokenSmith policy:
//     viewer                    → read
//     operator, service, admin  → read and write
//   a TokenSmith service token (`auth_events` holds `service_auth`) counts as role `service`.
// A write implies a read: a mutation answers with what it wrote.
import type { JWTPayload } from 'jose';

export type Permission = 'read' | 'write';

const READ: readonly Permission[] = ['read'];
const READ_WRITE: readonly Permission[] = ['read', 'write'];

const SCOPE_GRANTS: Readonly<Record<string, readonly Permission[]>> = { read: READ, write: READ_WRITE, admin: READ_WRITE };
const ROLE_GRANTS: Readonly<Record<string, readonly Permission[]>> = {
  viewer: READ,
  operator: READ_WRITE,
  service: READ_WRITE,
  admin: READ_WRITE,
};

/** A claim value as a list of names: "a b" and ["a", "b"] alike; anything else is empty. */
function names(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** `realm_access.roles` → payload.realm_access.roles; a claim literally named with a dot wins. */
export function claimAt(payload: JWTPayload, path: string): unknown {
  if (path in payload) return payload[path];
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export function permissionsOf(payload: JWTPayload, rolesClaim: string): Set<Permission> {
  const granted = new Set<Permission>();
  const grant = (list: readonly Permission[] | undefined) => {
    for (const p of list ?? []) granted.add(p);
  };
  for (const scope of [...names(payload.scope), ...names(payload.scp)])
    grant(Object.hasOwn(SCOPE_GRANTS, scope) ? SCOPE_GRANTS[scope] : undefined);
  const roles = names(claimAt(payload, rolesClaim));
  if (names(payload.auth_events).includes('service_auth')) roles.push('service');
  for (const role of roles) grant(Object.hasOwn(ROLE_GRANTS, role) ? ROLE_GRANTS[role] : undefined);
  return granted;
}
