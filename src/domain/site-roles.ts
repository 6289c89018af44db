// SMD's Role and SubRole lists are its base lists plus a site's own additions: SMD reads them
// from hms_config.json (HMSExtendedDefinitions.Role / .SubRole, the cray-hms-base-config
// ConfigMap on CSM), and real sites use them (UAN, Gateway, Visualization …). The additions
// are set once at start-up (HMS_CONFIG_PATH / --hms-config) and hold for the whole process,
// as in SMD; every check and /service/values read them from here.
import { COMPONENT_ROLES, COMPONENT_SUBROLES } from './vocabulary.js';

export interface SiteRoleAdditions {
  roles?: readonly string[];
  subRoles?: readonly string[];
}

let roles: readonly string[] = COMPONENT_ROLES;
let subRoles: readonly string[] = COMPONENT_SUBROLES;

/** Base values first, then each addition not already there (compared case-insensitively). */
function merged(base: readonly string[], additions: readonly string[] = []): readonly string[] {
  const out = [...base];
  for (const value of additions) {
    const text = value.trim();
    if (text && !out.some((known) => known.toLowerCase() === text.toLowerCase())) out.push(text);
  }
  return Object.freeze(out);
}

/** Sets the site's additions (replacing earlier ones); an empty object restores SMD's base lists. */
export function setSiteRoles(additions: SiteRoleAdditions): void {
  roles = merged(COMPONENT_ROLES, additions.roles);
  subRoles = merged(COMPONENT_SUBROLES, additions.subRoles);
}

/** SMD's Role values on this site, canonical spelling. */
export const componentRoles = (): readonly string[] => roles;

/** SMD's SubRole values on this site, canonical spelling. */
export const componentSubRoles = (): readonly string[] => subRoles;
