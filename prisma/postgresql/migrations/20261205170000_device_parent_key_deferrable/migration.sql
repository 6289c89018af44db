-- A cani import writes a device read before its parent at once, linked, and checks the parent
-- key when the transaction commits (src/db/deferred-keys.ts). Still checked at each statement
-- everywhere else: DEFERRABLE INITIALLY IMMEDIATE changes nothing until a transaction asks.
-- SQLite needs no change: PRAGMA defer_foreign_keys applies to every key.
ALTER TABLE "Device" ALTER CONSTRAINT "Device_parentId_fkey" DEFERRABLE INITIALLY IMMEDIATE;
