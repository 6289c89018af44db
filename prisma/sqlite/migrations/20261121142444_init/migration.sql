-- CreateTable
CREATE TABLE "Location" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "slug" TEXT,
    "locationType" TEXT NOT NULL DEFAULT 'site',
    "description" TEXT,
    "parentId" TEXT,
    "properties" JSONB NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    "live" BOOLEAN DEFAULT true,
    CONSTRAINT "Location_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Location" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Rack" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "locationId" TEXT,
    "uHeight" INTEGER NOT NULL DEFAULT 42,
    "status" TEXT NOT NULL DEFAULT 'active',
    "serial" TEXT,
    "assetTag" TEXT,
    "properties" JSONB NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    "live" BOOLEAN DEFAULT true,
    CONSTRAINT "Rack_locationId_fkey" FOREIGN KEY ("locationId") REFERENCES "Location" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Device" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT,
    "deviceType" TEXT NOT NULL,
    "manufacturer" TEXT,
    "model" TEXT,
    "partNumber" TEXT,
    "serialNumber" TEXT,
    "assetTag" TEXT,
    "description" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "role" TEXT,
    "parentId" TEXT,
    "rackId" TEXT,
    "rackPosition" INTEGER,
    "rackFace" TEXT,
    "locationId" TEXT,
    "properties" JSONB NOT NULL,
    "providerMetadata" JSONB NOT NULL,
    "externalIds" JSONB NOT NULL,
    "schemaVersion" TEXT NOT NULL DEFAULT 'v1',
    "revision" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    "live" BOOLEAN DEFAULT true,
    CONSTRAINT "Device_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Device" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Device_rackId_fkey" FOREIGN KEY ("rackId") REFERENCES "Rack" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Device_locationId_fkey" FOREIGN KEY ("locationId") REFERENCES "Location" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Component" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "xname" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'Unknown',
    "flag" TEXT NOT NULL DEFAULT 'OK',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "softwareStatus" TEXT,
    "role" TEXT,
    "subRole" TEXT,
    "nid" INTEGER,
    "subtype" TEXT,
    "netType" TEXT,
    "arch" TEXT,
    "class" TEXT,
    "reservationDisabled" BOOLEAN NOT NULL DEFAULT false,
    "locked" BOOLEAN NOT NULL DEFAULT false,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    "live" BOOLEAN DEFAULT true
);

-- CreateTable
CREATE TABLE "Installation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "deviceId" TEXT NOT NULL,
    "componentId" TEXT NOT NULL,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedAt" DATETIME,
    "source" TEXT NOT NULL DEFAULT 'api',
    "open" BOOLEAN DEFAULT true,
    CONSTRAINT "Installation_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Installation_componentId_fkey" FOREIGN KEY ("componentId") REFERENCES "Component" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Interface" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT,
    "kind" TEXT NOT NULL DEFAULT 'ethernet',
    "macAddress" TEXT,
    "description" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "mgmtOnly" BOOLEAN NOT NULL DEFAULT false,
    "deviceId" TEXT,
    "componentId" TEXT,
    "properties" JSONB NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    "live" BOOLEAN DEFAULT true,
    CONSTRAINT "Interface_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Interface_componentId_fkey" FOREIGN KEY ("componentId") REFERENCES "Component" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "IpAddress" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "address" TEXT NOT NULL,
    "network" TEXT,
    "interfaceId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "IpAddress_interfaceId_fkey" FOREIGN KEY ("interfaceId") REFERENCES "Interface" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Cable" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "label" TEXT,
    "cableType" TEXT,
    "status" TEXT NOT NULL DEFAULT 'connected',
    "color" TEXT,
    "length" REAL,
    "lengthUnit" TEXT,
    "properties" JSONB NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    "live" BOOLEAN DEFAULT true
);

-- CreateTable
CREATE TABLE "CableTermination" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "cableId" TEXT NOT NULL,
    "end" TEXT NOT NULL,
    "interfaceId" TEXT NOT NULL,
    "live" BOOLEAN DEFAULT true,
    CONSTRAINT "CableTermination_cableId_fkey" FOREIGN KEY ("cableId") REFERENCES "Cable" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CableTermination_interfaceId_fkey" FOREIGN KEY ("interfaceId") REFERENCES "Interface" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Group" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'group',
    "description" TEXT,
    "exclusiveGroup" TEXT,
    "tags" JSONB NOT NULL,
    "properties" JSONB NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    "live" BOOLEAN DEFAULT true
);

-- CreateTable
CREATE TABLE "GroupMember" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "groupId" TEXT NOT NULL,
    "componentId" TEXT,
    "deviceId" TEXT,
    "exclusiveGroup" TEXT,
    "partition" BOOLEAN,
    "live" BOOLEAN DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "GroupMember_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "GroupMember_componentId_fkey" FOREIGN KEY ("componentId") REFERENCES "Component" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "GroupMember_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ClusterDefaults" (
    "id" TEXT NOT NULL PRIMARY KEY DEFAULT 'default',
    "clusterName" TEXT,
    "shortName" TEXT,
    "nidLength" INTEGER NOT NULL DEFAULT 3,
    "baseUrl" TEXT,
    "bootSubnet" TEXT,
    "wgSubnet" TEXT,
    "cloudProvider" TEXT,
    "region" TEXT,
    "availabilityZone" TEXT,
    "publicKeys" JSONB NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "GroupTemplate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "groupId" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "metaData" JSONB NOT NULL,
    "osVersion" TEXT,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "GroupTemplate_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InstanceInfo" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "componentId" TEXT NOT NULL,
    "instanceId" TEXT NOT NULL,
    "localHostname" TEXT,
    "hostname" TEXT,
    "clusterName" TEXT,
    "region" TEXT,
    "availabilityZone" TEXT,
    "cloudProvider" TEXT,
    "instanceType" TEXT,
    "cloudInitBaseUrl" TEXT,
    "publicKeys" JSONB NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "InstanceInfo_componentId_fkey" FOREIGN KEY ("componentId") REFERENCES "Component" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RedfishEndpoint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "xname" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "name" TEXT,
    "hostname" TEXT,
    "domain" TEXT,
    "fqdn" TEXT,
    "ipAddress" TEXT,
    "macAddr" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "uuid" TEXT,
    "username" TEXT,
    "password" TEXT,
    "useSsdp" BOOLEAN NOT NULL DEFAULT false,
    "macRequired" BOOLEAN NOT NULL DEFAULT false,
    "rediscoverOnUpdate" BOOLEAN NOT NULL DEFAULT false,
    "templateId" TEXT,
    "discoveryInfo" JSONB NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    "live" BOOLEAN DEFAULT true
);

-- CreateTable
CREATE TABLE "ComponentEndpoint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "xname" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "redfishEndpointId" TEXT NOT NULL,
    "domain" TEXT,
    "fqdn" TEXT,
    "redfishType" TEXT NOT NULL,
    "redfishSubtype" TEXT,
    "macAddr" TEXT,
    "uuid" TEXT,
    "odataId" TEXT NOT NULL,
    "redfishUrl" TEXT,
    "componentEndpointType" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "info" JSONB NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    "live" BOOLEAN DEFAULT true,
    CONSTRAINT "ComponentEndpoint_redfishEndpointId_fkey" FOREIGN KEY ("redfishEndpointId") REFERENCES "RedfishEndpoint" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ServiceEndpoint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "redfishEndpointId" TEXT NOT NULL,
    "redfishType" TEXT NOT NULL,
    "redfishSubtype" TEXT,
    "uuid" TEXT,
    "odataId" TEXT NOT NULL,
    "redfishUrl" TEXT,
    "serviceInfo" JSONB NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    "live" BOOLEAN DEFAULT true,
    CONSTRAINT "ServiceEndpoint_redfishEndpointId_fkey" FOREIGN KEY ("redfishEndpointId") REFERENCES "RedfishEndpoint" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChangeEvent" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "eventId" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT,
    "source" TEXT NOT NULL,
    "requestId" TEXT,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB
);

-- CreateIndex
CREATE INDEX "Location_parentId_idx" ON "Location"("parentId");

-- CreateIndex
CREATE UNIQUE INDEX "Location_parentId_name_live_key" ON "Location"("parentId", "name", "live");

-- CreateIndex
CREATE INDEX "Rack_locationId_idx" ON "Rack"("locationId");

-- CreateIndex
CREATE UNIQUE INDEX "Rack_locationId_name_live_key" ON "Rack"("locationId", "name", "live");

-- CreateIndex
CREATE INDEX "Device_parentId_idx" ON "Device"("parentId");

-- CreateIndex
CREATE INDEX "Device_deviceType_idx" ON "Device"("deviceType");

-- CreateIndex
CREATE INDEX "Device_serialNumber_idx" ON "Device"("serialNumber");

-- CreateIndex
CREATE INDEX "Device_rackId_idx" ON "Device"("rackId");

-- CreateIndex
CREATE INDEX "Device_locationId_idx" ON "Device"("locationId");

-- CreateIndex
CREATE UNIQUE INDEX "Device_manufacturer_serialNumber_live_key" ON "Device"("manufacturer", "serialNumber", "live");

-- CreateIndex
CREATE UNIQUE INDEX "Device_rackId_rackPosition_rackFace_live_key" ON "Device"("rackId", "rackPosition", "rackFace", "live");

-- CreateIndex
CREATE INDEX "Component_type_idx" ON "Component"("type");

-- CreateIndex
CREATE INDEX "Component_state_idx" ON "Component"("state");

-- CreateIndex
CREATE UNIQUE INDEX "Component_xname_live_key" ON "Component"("xname", "live");

-- CreateIndex
CREATE UNIQUE INDEX "Component_nid_live_key" ON "Component"("nid", "live");

-- CreateIndex
CREATE INDEX "Installation_deviceId_idx" ON "Installation"("deviceId");

-- CreateIndex
CREATE INDEX "Installation_componentId_idx" ON "Installation"("componentId");

-- CreateIndex
CREATE UNIQUE INDEX "Installation_componentId_open_key" ON "Installation"("componentId", "open");

-- CreateIndex
CREATE UNIQUE INDEX "Installation_deviceId_open_key" ON "Installation"("deviceId", "open");

-- CreateIndex
CREATE INDEX "Interface_deviceId_idx" ON "Interface"("deviceId");

-- CreateIndex
CREATE INDEX "Interface_componentId_idx" ON "Interface"("componentId");

-- CreateIndex
CREATE UNIQUE INDEX "Interface_macAddress_live_key" ON "Interface"("macAddress", "live");

-- CreateIndex
CREATE UNIQUE INDEX "Interface_deviceId_name_live_key" ON "Interface"("deviceId", "name", "live");

-- CreateIndex
CREATE INDEX "IpAddress_address_idx" ON "IpAddress"("address");

-- CreateIndex
CREATE UNIQUE INDEX "IpAddress_interfaceId_address_key" ON "IpAddress"("interfaceId", "address");

-- CreateIndex
CREATE INDEX "CableTermination_interfaceId_idx" ON "CableTermination"("interfaceId");

-- CreateIndex
CREATE UNIQUE INDEX "CableTermination_cableId_end_key" ON "CableTermination"("cableId", "end");

-- CreateIndex
CREATE UNIQUE INDEX "CableTermination_interfaceId_live_key" ON "CableTermination"("interfaceId", "live");

-- CreateIndex
CREATE UNIQUE INDEX "Group_kind_name_live_key" ON "Group"("kind", "name", "live");

-- CreateIndex
CREATE INDEX "GroupMember_componentId_idx" ON "GroupMember"("componentId");

-- CreateIndex
CREATE INDEX "GroupMember_deviceId_idx" ON "GroupMember"("deviceId");

-- CreateIndex
CREATE UNIQUE INDEX "GroupMember_groupId_componentId_key" ON "GroupMember"("groupId", "componentId");

-- CreateIndex
CREATE UNIQUE INDEX "GroupMember_groupId_deviceId_key" ON "GroupMember"("groupId", "deviceId");

-- CreateIndex
CREATE UNIQUE INDEX "GroupMember_exclusiveGroup_componentId_live_key" ON "GroupMember"("exclusiveGroup", "componentId", "live");

-- CreateIndex
CREATE UNIQUE INDEX "GroupMember_partition_componentId_live_key" ON "GroupMember"("partition", "componentId", "live");

-- CreateIndex
CREATE UNIQUE INDEX "GroupTemplate_groupId_key" ON "GroupTemplate"("groupId");

-- CreateIndex
CREATE UNIQUE INDEX "InstanceInfo_componentId_key" ON "InstanceInfo"("componentId");

-- CreateIndex
CREATE UNIQUE INDEX "InstanceInfo_instanceId_key" ON "InstanceInfo"("instanceId");

-- CreateIndex
CREATE UNIQUE INDEX "RedfishEndpoint_xname_live_key" ON "RedfishEndpoint"("xname", "live");

-- CreateIndex
CREATE INDEX "ComponentEndpoint_redfishEndpointId_idx" ON "ComponentEndpoint"("redfishEndpointId");

-- CreateIndex
CREATE UNIQUE INDEX "ComponentEndpoint_xname_live_key" ON "ComponentEndpoint"("xname", "live");

-- CreateIndex
CREATE UNIQUE INDEX "ServiceEndpoint_redfishEndpointId_redfishType_live_key" ON "ServiceEndpoint"("redfishEndpointId", "redfishType", "live");

-- CreateIndex
CREATE UNIQUE INDEX "ChangeEvent_eventId_key" ON "ChangeEvent"("eventId");

-- CreateIndex
CREATE INDEX "ChangeEvent_entityType_entityId_seq_idx" ON "ChangeEvent"("entityType", "entityId", "seq");

-- CreateIndex
CREATE INDEX "ChangeEvent_occurredAt_idx" ON "ChangeEvent"("occurredAt");
