// SMD's wire format (State Manager /hsm/v2 JSON): decode and encode per resource, in the two
// dialects where they differ (strict: SMD's own handlers; lenient: Fabrica specs and SMD
// dumps; see fields.ts), and SMD's error wording as values. Pure: no HTTP, no database.
// The /hsm/v2 routes, the Fabrica routes and the smd importer and exporter use what is here.

export * from './component.js';
export * from './component-endpoint.js';
export * from './component-filter.js';
export * from './discovery.js';
export * from './errors.js';
export * from './ethernet-interface.js';
export { type FieldNames, type SmdDialect, smdFieldPath, smdObject } from './fields.js';
export { asObject, get, type Obj, objectAt } from './go-json.js';
export * from './group.js';
export * from './hardware.js';
export * from './lock.js';
export * from './membership.js';
export * from './messages.js';
export * from './node-map.js';
export * from './power-map.js';
export * from './redfish-endpoint.js';
export * from './scn-subscription.js';
export * from './service-endpoint.js';
export * from './service-values.js';
export { type QueryValues, smdXname } from './values.js';
