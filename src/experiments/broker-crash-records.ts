// The crash experiment's result record (plain JSON): what was produced and acknowledged before the broker was
// killed, the torn tail laid on the log, what recovery reported, what two independent clients read back, and
// what the recovered log holds on disk. Paths are relative to the broker's data folder. Measurement only.
import type { MachineConditions } from "./conditions";
import type { DumpRow } from "../kafka/records/batch-dump";

/** A file of the data folder: its path inside the folder and its size. */
export interface DataFile {
  path: string;
  bytes: number;
}

/** What one client read back from the recovered log. */
export interface ReadBack {
  client: "workbook" | "kcat";
  /** How the client was told to check the batches (both check every batch's CRC32C). */
  checks: string;
  /** Records read, offsets 0 up to the log end. */
  records: number;
  logEndOffset: number;
  /** Acknowledged records among them, each found once at its own offset. */
  acknowledgedFound: number;
  /** Acknowledged records not read back (must be 0). */
  lost: number;
  /** Records whose offset or value was out of place: a duplicate, a gap, a wrong value (must be 0). */
  misplaced: number;
  /** The first records as the client printed them (kcat) or decoded them (workbook). */
  sample: string[];
}

export interface BrokerCrashResult {
  kind: "broker-crash";
  conditions: MachineConditions & {
    topic: string;
    recordBytes: number;
    batchBytes: number;
    segmentBytes: number;
    acks: -1;
    /** The broker was killed once at least this many records were acknowledged. */
    killAfterAcknowledged: number;
    tearTail: boolean;
    kcatVersion: string | null;
    notes: string[];
  };
  produce: {
    /** Records handed to the producer before it saw the broker die. */
    appended: number;
    /** Records the broker acknowledged (acks=-1: after fsync), counted in order. */
    acknowledged: number;
    /** Records appended but not acknowledged when the broker died: may or may not be in the log. */
    unacknowledged: number;
    /** From the first record to SIGKILL. */
    secondsToKill: number;
    /** Bytes of batches appended but not acknowledged (open, or in requests on the wire) when SIGKILL was sent. */
    pendingBytesAtKill: number;
  };
  /** The partition's segment files as the killed broker left them. */
  afterKill: DataFile[];
  /** The half batch appended to the active segment after the kill (what a power cut can leave), or null. */
  tornTail: { file: string; bytes: number; batchBytes: number } | null;
  recovery: {
    clean: boolean;
    /** The broker's own start-up lines about it (log-manager.ts describeRecovery). */
    lines: string[];
    batchesValidated: number;
    bytesValidated: number;
    truncatedBytes: number;
    truncatedAt: { file: string; position: number; reason: string } | null;
  };
  readBack: ReadBack[];
  /** Why kcat did not read the log, when it did not. */
  kcatSkipped: string | null;
  /** The recovered data folder, after a clean shutdown. */
  dataFolder: DataFile[];
  /** The first batch of the first segment, field by field. */
  firstBatch: { file: string; rows: DumpRow[] };
}
