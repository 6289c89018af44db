-- AlterTable
ALTER TABLE "Interface" ADD COLUMN     "componentXname" TEXT;
