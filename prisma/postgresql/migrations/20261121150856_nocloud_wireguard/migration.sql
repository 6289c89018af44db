-- CreateTable
CREATE TABLE "WireguardPeer" (
    "id" TEXT NOT NULL,
    "componentId" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "tunnelIp" TEXT NOT NULL,
    "clientIp" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WireguardPeer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "WireguardPeer_componentId_key" ON "WireguardPeer"("componentId");

-- CreateIndex
CREATE UNIQUE INDEX "WireguardPeer_publicKey_key" ON "WireguardPeer"("publicKey");

-- CreateIndex
CREATE UNIQUE INDEX "WireguardPeer_tunnelIp_key" ON "WireguardPeer"("tunnelIp");

-- AddForeignKey
ALTER TABLE "WireguardPeer" ADD CONSTRAINT "WireguardPeer_componentId_fkey" FOREIGN KEY ("componentId") REFERENCES "Component"("id") ON DELETE CASCADE ON UPDATE CASCADE;
