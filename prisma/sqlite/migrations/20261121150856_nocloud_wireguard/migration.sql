-- CreateTable
CREATE TABLE "WireguardPeer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "componentId" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "tunnelIp" TEXT NOT NULL,
    "clientIp" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "WireguardPeer_componentId_fkey" FOREIGN KEY ("componentId") REFERENCES "Component" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "WireguardPeer_componentId_key" ON "WireguardPeer"("componentId");

-- CreateIndex
CREATE UNIQUE INDEX "WireguardPeer_publicKey_key" ON "WireguardPeer"("publicKey");

-- CreateIndex
CREATE UNIQUE INDEX "WireguardPeer_tunnelIp_key" ON "WireguardPeer"("tunnelIp");
