-- AlterTable
ALTER TABLE "Component" ADD COLUMN "hwStatus" TEXT;
ALTER TABLE "Component" ADD COLUMN "locationInfo" JSONB;
ALTER TABLE "Component" ADD COLUMN "ordinal" INTEGER;

-- AlterTable
ALTER TABLE "Device" ADD COLUMN "fruId" TEXT;
ALTER TABLE "Device" ADD COLUMN "fruInfo" JSONB;

-- CreateTable
CREATE TABLE "FabricaResource" (
    "uid" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "labels" JSONB NOT NULL,
    "annotations" JSONB NOT NULL,
    "status" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Reservation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "componentId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reservationKey" TEXT NOT NULL,
    "deputyKey" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME,
    CONSTRAINT "Reservation_componentId_fkey" FOREIGN KEY ("componentId") REFERENCES "Component" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "NodeMap" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "xname" TEXT NOT NULL,
    "nid" INTEGER NOT NULL,
    "role" TEXT,
    "subRole" TEXT,
    "nodeInfo" JSONB,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PowerMap" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "xname" TEXT NOT NULL,
    "poweredBy" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ScnSubscription" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "subscriber" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "enabled" BOOLEAN,
    "roles" JSONB NOT NULL,
    "subRoles" JSONB NOT NULL,
    "softwareStatus" JSONB NOT NULL,
    "states" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "DiscoveryStatus" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "status" TEXT NOT NULL,
    "lastUpdateTime" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "details" JSONB NOT NULL
);

-- CreateIndex
CREATE INDEX "FabricaResource_kind_name_idx" ON "FabricaResource"("kind", "name");

-- CreateIndex
CREATE UNIQUE INDEX "FabricaResource_kind_entityId_key" ON "FabricaResource"("kind", "entityId");

-- CreateIndex
CREATE UNIQUE INDEX "Reservation_componentId_key" ON "Reservation"("componentId");

-- CreateIndex
CREATE UNIQUE INDEX "Reservation_reservationKey_key" ON "Reservation"("reservationKey");

-- CreateIndex
CREATE UNIQUE INDEX "Reservation_deputyKey_key" ON "Reservation"("deputyKey");

-- CreateIndex
CREATE UNIQUE INDEX "NodeMap_xname_key" ON "NodeMap"("xname");

-- CreateIndex
CREATE UNIQUE INDEX "NodeMap_nid_key" ON "NodeMap"("nid");

-- CreateIndex
CREATE UNIQUE INDEX "PowerMap_xname_key" ON "PowerMap"("xname");

-- CreateIndex
CREATE UNIQUE INDEX "ScnSubscription_subscriber_url_key" ON "ScnSubscription"("subscriber", "url");

-- CreateIndex
CREATE UNIQUE INDEX "Device_fruId_live_key" ON "Device"("fruId", "live");
