// Reads a site's hms_config.json (SMD's HMS_CONFIG_PATH): {"HMSExtendedDefinitions":
// {"Role": [...], "SubRole": [...]}}. SMD's own ConfigMap repeats the base values in these
// lists; they count once.
import { readFileSync } from 'node:fs';
import { type SiteRoleAdditions, setSiteRoles } from '../../domain/site-roles.js';

function strings(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === ''))
    throw new Error(`${where} must be a list of non-empty strings`);
  return value as string[];
}

/** The additions a hms_config.json document names; an Error says what is wrong with it. */
export function parseHmsConfig(text: string, path = 'hms_config.json'): SiteRoleAdditions {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not JSON: ${(error as Error).message}`);
  }
  const defs = (document as { HMSExtendedDefinitions?: unknown } | null)?.HMSExtendedDefinitions;
  if (defs === undefined) return {};
  if (typeof defs !== 'object' || defs === null || Array.isArray(defs))
    throw new Error(`${path}: HMSExtendedDefinitions must be an object`);
  const { Role, SubRole } = defs as Record<string, unknown>;
  return {
    roles: strings(Role, `${path}: HMSExtendedDefinitions.Role`),
    subRoles: strings(SubRole, `${path}: HMSExtendedDefinitions.SubRole`),
  };
}

/** Loads a site's Role and SubRole additions from its hms_config.json; answers what was added. */
export function loadSiteRoles(path: string): SiteRoleAdditions {
  const additions = parseHmsConfig(readFileSync(path, 'utf8'), path);
  setSiteRoles(additions);
  return additions;
}
