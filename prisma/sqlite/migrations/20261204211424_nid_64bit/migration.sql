-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Component" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "xname" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'Unknown',
    "flag" TEXT NOT NULL DEFAULT 'OK',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "softwareStatus" TEXT,
    "role" TEXT,
    "subRole" TEXT,
    "nid" BIGINT,
    "subtype" TEXT,
    "netType" TEXT,
    "arch" TEXT,
    "class" TEXT,
    "reservationDisabled" BOOLEAN NOT NULL DEFAULT false,
    "locked" BOOLEAN NOT NULL DEFAULT false,
    "ordinal" INTEGER,
    "hwStatus" TEXT,
    "locationInfo" JSONB,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    "live" BOOLEAN DEFAULT true
);
INSERT INTO "new_Component" ("arch", "class", "createdAt", "deletedAt", "enabled", "flag", "hwStatus", "id", "live", "locationInfo", "locked", "netType", "nid", "ordinal", "reservationDisabled", "revision", "role", "softwareStatus", "state", "subRole", "subtype", "type", "updatedAt", "xname") SELECT "arch", "class", "createdAt", "deletedAt", "enabled", "flag", "hwStatus", "id", "live", "locationInfo", "locked", "netType", "nid", "ordinal", "reservationDisabled", "revision", "role", "softwareStatus", "state", "subRole", "subtype", "type", "updatedAt", "xname" FROM "Component";
DROP TABLE "Component";
ALTER TABLE "new_Component" RENAME TO "Component";
CREATE INDEX "Component_type_idx" ON "Component"("type");
CREATE INDEX "Component_state_idx" ON "Component"("state");
CREATE UNIQUE INDEX "Component_xname_live_key" ON "Component"("xname", "live");
CREATE UNIQUE INDEX "Component_nid_live_key" ON "Component"("nid", "live");
CREATE TABLE "new_NodeMap" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "xname" TEXT NOT NULL,
    "nid" BIGINT NOT NULL,
    "role" TEXT,
    "subRole" TEXT,
    "nodeInfo" JSONB,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_NodeMap" ("createdAt", "id", "nid", "nodeInfo", "role", "subRole", "updatedAt", "xname") SELECT "createdAt", "id", "nid", "nodeInfo", "role", "subRole", "updatedAt", "xname" FROM "NodeMap";
DROP TABLE "NodeMap";
ALTER TABLE "new_NodeMap" RENAME TO "NodeMap";
CREATE UNIQUE INDEX "NodeMap_xname_key" ON "NodeMap"("xname");
CREATE UNIQUE INDEX "NodeMap_nid_key" ON "NodeMap"("nid");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
