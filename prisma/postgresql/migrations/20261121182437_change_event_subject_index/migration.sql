-- CreateIndex
CREATE INDEX "ChangeEvent_entityId_seq_idx" ON "ChangeEvent"("entityId", "seq");
