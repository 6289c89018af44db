// The NoCloud base path (--nocloud-base-path), in one spelling wherever it is used.

/** "/cloud-init/" → "/cloud-init"; throws when it is not a path below the root. */
export function normalizeBasePath(raw: string): string {
  const path = raw.trim().replace(/\/+$/, '');
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(path)) throw new Error(`NoCloud base path "${raw}" must be a path below the root, like /cloud-init`);
  return path;
}
