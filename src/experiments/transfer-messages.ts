// The messages between the transfer experiment and its two child processes (sender.ts, receiver.ts), one union
// per direction, imported by both sides.
import type { CacheState, TransferPath } from "../vocabulary/transfer";
import type { TransferRun } from "./transfer-records";

/** Parent -> sender: one run, from connecting to the receiver's "done". */
export interface SendOrder {
  type: "run";
  file: string;
  port: number;
  path: TransferPath;
  bytes: number;
  chunk: number;
  cache: CacheState;
}

/** The fields of a run record the sender measures (documented in transfer-records.ts). */
export const SENDER_FIELDS = [
  "residentPagesBefore", "filePages", "wallSeconds", "userCpuMs", "systemCpuMs", "voluntarySwitches", "involuntarySwitches",
  "minorFaults", "majorFaults", "syscalls", "polls", "procSyscr", "procSyscw", "diskReadBytes",
] as const satisfies readonly (keyof TransferRun)[];

/** Sender -> parent: the sender's side of one run, measured around the send. */
export interface SendResult extends Pick<TransferRun, (typeof SENDER_FIELDS)[number]> {
  type: "result";
  /** The connection's local port: the receiver's report names it as peerPort. */
  localPort: number;
}

/** Any child -> parent: the order failed, with the reason. */
export interface ChildFailure {
  type: "error";
  message: string;
}

export type SenderReport = SendResult | ChildFailure;

/** Receiver -> parent: listening, then one report per connection (or a fatal error). */
export type ReceiverReport =
  | { type: "listening"; port: number }
  | { type: "received"; peerPort: number; bytes: number; checksum: string; cpuMs: number }
  | { type: "receive-error"; peerPort: number; bytes: number; message: string }
  | { type: "fatal"; message: string };

/** The receiver takes no orders: it serves one connection at a time until the parent goes away. */
export type ReceiverOrder = never;
