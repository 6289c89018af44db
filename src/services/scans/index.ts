// What the faces (REST families, GraphQL, interop, CLI, server) may use of the scans services.
// Code under src/services imports the files themselves; everything else imports this index.
export { findOperation } from './operation.js';
export { approveScan, findScanDiff, rejectScan, type ScanDiffView, submitScan } from './scan.js';
