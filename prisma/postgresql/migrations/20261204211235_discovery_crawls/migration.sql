-- CreateTable
CREATE TABLE "Crawl" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "targets" JSONB NOT NULL,
    "targetsKey" TEXT NOT NULL,
    "options" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "active" BOOLEAN DEFAULT true,
    "owner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Crawl_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BmcCredential" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "password" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BmcCredential_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Crawl_targetsKey_active_key" ON "Crawl"("targetsKey", "active");

-- CreateIndex
CREATE UNIQUE INDEX "BmcCredential_name_key" ON "BmcCredential"("name");
