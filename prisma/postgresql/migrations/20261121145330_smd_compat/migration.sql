-- AlterTable
ALTER TABLE "Device" ADD COLUMN     "fruId" TEXT,
ADD COLUMN     "fruInfo" JSONB;

-- AlterTable
ALTER TABLE "Component" ADD COLUMN     "hwStatus" TEXT,
ADD COLUMN     "locationInfo" JSONB,
ADD COLUMN     "ordinal" INTEGER;

-- CreateTable
CREATE TABLE "FabricaResource" (
    "uid" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "labels" JSONB NOT NULL,
    "annotations" JSONB NOT NULL,
    "status" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FabricaResource_pkey" PRIMARY KEY ("uid")
);

-- CreateTable
CREATE TABLE "Reservation" (
    "id" TEXT NOT NULL,
    "componentId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reservationKey" TEXT NOT NULL,
    "deputyKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),

    CONSTRAINT "Reservation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NodeMap" (
    "id" TEXT NOT NULL,
    "xname" TEXT NOT NULL,
    "nid" INTEGER NOT NULL,
    "role" TEXT,
    "subRole" TEXT,
    "nodeInfo" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NodeMap_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PowerMap" (
    "id" TEXT NOT NULL,
    "xname" TEXT NOT NULL,
    "poweredBy" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PowerMap_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScnSubscription" (
    "id" SERIAL NOT NULL,
    "subscriber" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "enabled" BOOLEAN,
    "roles" JSONB NOT NULL,
    "subRoles" JSONB NOT NULL,
    "softwareStatus" JSONB NOT NULL,
    "states" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScnSubscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DiscoveryStatus" (
    "id" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "lastUpdateTime" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "details" JSONB NOT NULL,

    CONSTRAINT "DiscoveryStatus_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "Reservation" ADD CONSTRAINT "Reservation_componentId_fkey" FOREIGN KEY ("componentId") REFERENCES "Component"("id") ON DELETE CASCADE ON UPDATE CASCADE;
