// The experiments' public API for notebooks, the report and the CLI. Importing it has no side effects:
// the native addon loads on first use, and where it cannot (not Linux, not built) the first call throws
// one NativeUnavailableError saying why; experimentsAvailable() asks without throwing. The model never needs it.
export { runTransferExperiment, planTransfer, summarizeTransfer, verifyReceipt, TransferVerificationError } from "./transfer-experiment";
export type { TransferOptions, TransferProgress } from "./transfer-experiment";
export { TRANSFER_PATHS, TRANSFER_METRICS, SYSCALL_SOURCES } from "./transfer-records";
export type { TransferPath, TransferRun, TransferSummary, TransferResult, TransferConditions, TransferMetric } from "./transfer-records";
export { runTransferOverLinks } from "./link-transfer";
export type { LinkTransferOptions, LinkTransferProgress } from "./link-transfer";
export { runDiskExperiment } from "./disk-experiment";
export type { DiskOptions } from "./disk-experiment";
export { DISK_OPS, DISK_PATTERNS, DISK_IO_MODES, FSYNC_MODES } from "./disk-records";
export type { DiskCase, DiskSkip, DiskResult, DiskConditions } from "./disk-records";
export { CACHE_STATES } from "./cache-state";
export type { CacheState } from "./cache-state";
export { median, summarize, summarizeFields } from "./statistics";
export type { Spread } from "./statistics";
export { nativeStatus as experimentsAvailable, NativeUnavailableError } from "../native/addon";
