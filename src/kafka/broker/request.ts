// What a request handler gets and what it gives back. A handler parses its body, does its work, and
// returns an Outcome: the response frame's parts (header buffers and file records), silence (acks=0), or a
// reason to close the connection. Handlers never write to the socket themselves: connection.ts sends.
import type { BrokerConfig } from "./broker-config";
import type { LogManager } from "../log/log-manager";
import type { GroupCoordinator } from "./group-coordinator";
import type { OffsetStore } from "./offset-store";
import type { RequestHeader } from "../protocol/request-header";
import type { WireReader } from "../protocol/wire-reader";
import { WireWriter, startFrame, finishFrame } from "../protocol/wire-writer";
import type { FileRecords } from "./response-sender";

/** The connection a request came on, as handlers may see it. */
export interface ConnectionView {
  readonly id: number;
  readonly remote: string;
  readonly closed: boolean;
  /** Calls `listener` once when the connection closes; returns a function that unregisters it. */
  onClose(listener: () => void): () => void;
}

/** One parsed request. */
export interface Request {
  header: RequestHeader;
  body: WireReader;
  connection: ConnectionView;
}

export type Outcome =
  | { kind: "respond"; parts: Array<Buffer | FileRecords>; thenClose?: string }
  | { kind: "silent"; thenClose?: string }
  | { kind: "close"; reason: string };

/** Counters the broker keeps; its stats and the experiment read them. */
export interface BrokerCounters {
  requests: Record<string, number>;
  errors: Record<string, number>;
  connectionsAccepted: number;
  connectionsClosed: number;
  connectionsEvicted: number;
  connectionsTimedOut: number;
  bytesReceived: number;
  batchesAppended: number;
  recordsAppended: number;
  bytesAppended: number;
}

/** Everything a handler may use. */
export interface BrokerContext {
  config: BrokerConfig;
  logs: LogManager;
  coordinator: GroupCoordinator;
  offsets: OffsetStore;
  counters: BrokerCounters;
  /** Where clients are told to connect. */
  advertised: { host: string; port: number };
  log: (line: string) => void;
}

/** A response: header v0 (the correlation id) and a body written by `body`. */
export function respond(header: RequestHeader, body: (w: WireWriter) => void): Outcome {
  const w = startFrame(256);
  w.int32(header.correlationId);
  body(w);
  return { kind: "respond", parts: [finishFrame(w)] };
}

/** Counts an error code by name in the broker's stats. */
export function countError(context: BrokerContext, name: string): void {
  context.counters.errors[name] = (context.counters.errors[name] ?? 0) + 1;
}
