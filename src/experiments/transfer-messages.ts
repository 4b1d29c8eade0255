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
  /** Milliseconds to sit idle right before and again right after the send, measuring the machine's busy time
   *  meanwhile: the background (other processes) to compare the send window with. 0: no background windows. */
  backgroundWindowMs: number;
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
  /** All CPUs' busy time over the send window (/proc/stat: user, nice, system, irq, softirq), whoever did it. */
  machineBusyMs: number;
  /** All CPUs' steal time over the send window (the hypervisor ran someone else). */
  machineStealMs: number;
  /** All CPUs' busy time over the quiet window right before the send and the one right after it, and the
   *  windows' length as measured (0 when there were none). */
  backgroundBeforeBusyMs: number;
  backgroundAfterBusyMs: number;
  backgroundWindowMs: number;
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
