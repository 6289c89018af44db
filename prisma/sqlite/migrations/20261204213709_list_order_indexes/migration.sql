-- DropIndex
DROP INDEX "Device_deviceType_idx";

-- CreateIndex
CREATE INDEX "Cable_label_id_idx" ON "Cable"("label", "id");

-- CreateIndex
CREATE INDEX "Device_name_id_idx" ON "Device"("name", "id");

-- CreateIndex
CREATE INDEX "Device_deviceType_name_id_idx" ON "Device"("deviceType", "name", "id");

-- CreateIndex
CREATE INDEX "Device_createdAt_id_idx" ON "Device"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Group_name_id_idx" ON "Group"("name", "id");

-- CreateIndex
CREATE INDEX "Interface_macAddress_id_idx" ON "Interface"("macAddress", "id");

-- CreateIndex
CREATE INDEX "Location_name_id_idx" ON "Location"("name", "id");

-- CreateIndex
CREATE INDEX "Rack_name_id_idx" ON "Rack"("name", "id");
