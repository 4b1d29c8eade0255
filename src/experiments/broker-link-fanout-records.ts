// The fan-out through shaped links, as plain JSON: one run record per catch-up (a fan-out run, plus the link it
// went through and the machine's busy time over it and over its quiet windows), and each link's conditions.
// Measurement only: no model numbers in here.
import type { FanoutRun } from "./broker-fanout-records";
import type { MachineConditions } from "./conditions";
import type { LinkConditions } from "../link/namespace";
import type { LinkRate } from "../units/rates";
import type { ServingMode } from "../kafka/broker/response-sender";

export interface BrokerLinkRun extends FanoutRun {
  /** The link's rate, bit/s; null for the unshaped control namespace. */
  rate: LinkRate;
  /** The quiet windows before and after the run, and the machine's busy time in each (the background), ms. */
  backgroundWindowMs: number;
  backgroundBeforeBusyMs: number;
  backgroundAfterBusyMs: number;
}

export interface BrokerLinkConditions {
  machine: MachineConditions;
  loadAverageAtEnd: number[];
  /** Each link as made, its qdisc's counters read when its runs were over: the shaped ones, then unshaped. */
  links: LinkConditions[];
  servings: ServingMode[];
  consumers: number;
  logBytes: number;
  recordBytes: number;
  batchBytes: number;
  fetchBytes: number;
  segmentBytes: number;
  producers: number;
  repeats: number;
  backgroundWindowMs: number;
  notes: string[];
}

export interface BrokerLinkResult {
  kind: "broker-link-fanout";
  conditions: BrokerLinkConditions;
  runs: BrokerLinkRun[];
}
