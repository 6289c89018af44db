-- CreateIndex
CREATE INDEX "Component_xname_id_idx" ON "Component"("xname", "id");
