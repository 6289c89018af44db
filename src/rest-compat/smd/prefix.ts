// Where SMD is mounted, for the routes that answer URIs (kept apart from index.ts, which
// imports the routes).
export const SMD_PREFIX = '/hsm/v2';

export const INVENTORY = `${SMD_PREFIX}/Inventory`;
