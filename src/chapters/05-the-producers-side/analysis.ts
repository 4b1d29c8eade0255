// Chapter 5's analysis: what the cost model says each flush policy costs, drawn from this machine's profile
// (src/model/cost/producer.ts and storage.ts), beside what the producer experiment measured. The WebAssembly
// model's recv-write path counts the copies of the producer's side of a broker: NIC -> socket buffer (DMA), recv()
// copies to user space, write() copies into the page cache; the writeback DMA happens later (deferred) or inside
// fsync (waited for). Notebook 5 and `workbook run` call these.
import { modelTransfer, pathSteps, PathSteps, TransferCounts } from "../../model/transfer-model";
import { producerCost, ProducerCost } from "../../model/cost/producer";
import { writeCost } from "../../model/cost/storage";
import { runProducerExperiment } from "../../experiments/producer";
import type { ProducerPlan } from "./plan";
import type { MachineProfile } from "../../calibration/profile-record";
import { profileLabel } from "../../calibration/profile-source";
import { requireBytes, requireChoice } from "../../units/arguments";
import { PathName } from "../../model/vocabulary";
import { PRODUCER_POLICIES, ProducerPolicy, ProducerResult, ProducerRun } from "../../experiments/producer-records";
import { KiB, MiB, formatBytes } from "../../units/sizes";
import { summarize } from "../../statistics/spread";
import type { Table } from "../../plot/table";

/** What the sink's recv()+write() moves per call: Node reads a socket in buffers of up to 64 KiB. */
export const SINK_CALL_BYTES = 64 * KiB;

/** The producer experiment's result with the machine profile its model lines are drawn from. */
export interface ProducerStudy extends ProducerResult {
  profile: MachineProfile;
}

/** The model's path for each policy: only fsync-each fsyncs per call; fsync-end is recv-write plus one fsync. */
export const POLICY_PATHS: Record<ProducerPolicy, PathName> = {
  "page-cache": "recv-write",
  "fsync-end": "recv-write",
  "fsync-each": "recv-write-fsync",
};

/** The model's verdict on one policy for one payload. All times in seconds. */
export interface PolicyModel {
  policy: ProducerPolicy;
  path: PathName;
  bytes: number;
  /** Bytes per modelled append: the sink's recv size, or fsyncBytes for fsync-each (one fsync per append). */
  callBytes: number;
  counts: TransferCounts;
  cost: ProducerCost;
  /** Until every byte is in the page cache: both processes' CPU on the cores they get. */
  receiveSeconds: number;
  /** Until the producer gets its ack: the receive, plus the writeback the policy waits for. */
  ackSeconds: number;
  /** Writeback nobody waits for: the flusher does it later (page-cache only). */
  laterSeconds: number;
  /** Bytes on the disk when the ack leaves. */
  diskBytesAtAck: number;
  /** What the figures call this model: the profile that priced it. */
  label: string;
}

/** Models one policy on the profile's parameters: producerCost() for the ack (pair time + the flushes the policy
 *  waits for), writeCost() for the writeback page-cache leaves to the flusher (one flush of everything). */
export function producerModel(profile: MachineProfile, policy: ProducerPolicy, bytes: number, fsyncBytes: number): PolicyModel {
  requireChoice("policy", policy, PRODUCER_POLICIES);
  requireBytes("bytes", bytes);
  requireBytes("fsyncBytes", fsyncBytes);
  const path = POLICY_PATHS[policy];
  const callBytes = policy === "fsync-each" ? fsyncBytes : SINK_CALL_BYTES;
  const cost = producerCost(profile.parameters, policy, bytes, callBytes);
  const receive = producerCost(profile.parameters, "page-cache", bytes, SINK_CALL_BYTES).ackSeconds;
  const flushAll = writeCost(profile.parameters, "end", bytes, SINK_CALL_BYTES);
  return {
    policy,
    path,
    bytes,
    callBytes,
    counts: modelTransfer(path, bytes, callBytes),
    cost,
    receiveSeconds: receive,
    ackSeconds: cost.ackSeconds,
    laterSeconds: policy === "page-cache" ? flushAll.seconds - flushAll.cpuSeconds : 0,
    diskBytesAtAck: cost.durableBytesAtAck,
    label: profileLabel(profile),
  };
}

/** The model for every policy of a study, at its payload and fsync size. */
export function producerModels(study: ProducerStudy): PolicyModel[] {
  const c = study.conditions;
  return c.policies.map((policy) => producerModel(study.profile, policy, Math.max(1, c.bytes), c.fsyncBytes));
}

/** One policy's measured medians beside the model, as the notebook prints and the report summarises. */
export interface PolicyRow {
  policy: ProducerPolicy;
  bytes: number;
  medianSeconds: number;
  minSeconds: number;
  maxSeconds: number;
  modelAckSeconds: number;
  laterFsyncSeconds: number;
  modelLaterSeconds: number;
  sinkCpuMs: number;
  writeBytesDuring: number;
  deviceWriteBytesDuring: number | null;
  deviceWriteBytesLater: number | null;
  fsyncCalls: number;
}

/** Rows of measured medians and model figures, one per policy. */
export function policyRows(result: ProducerResult, models: PolicyModel[]): PolicyRow[] {
  return result.summaries.map((s) => {
    const m = s.metrics;
    const model = models.find((x) => x.policy === s.policy);
    return {
      policy: s.policy,
      bytes: result.conditions.bytes,
      medianSeconds: m.wallSeconds.median,
      minSeconds: m.wallSeconds.min,
      maxSeconds: m.wallSeconds.max,
      modelAckSeconds: model?.ackSeconds ?? NaN,
      laterFsyncSeconds: m.laterFsyncSeconds.median,
      modelLaterSeconds: model?.laterSeconds ?? NaN,
      sinkCpuMs: m.sinkUserCpuMs.median + m.sinkSystemCpuMs.median,
      writeBytesDuring: m.writeBytesDuring.median,
      deviceWriteBytesDuring: s.deviceWriteBytesDuring?.median ?? null,
      deviceWriteBytesLater: s.deviceWriteBytesLater?.median ?? null,
      fsyncCalls: m.fsyncCalls.median,
    };
  });
}

/** The measured medians beside the model, as a table; the notebook and the report show it. */
export function policyTableOf(result: ProducerResult, models: PolicyModel[], modelLabel: string): Table {
  const ms = (s: number) => (s * 1000).toFixed(1);
  const mib = (b: number | null) => (b === null ? "n/a" : (b / MiB).toFixed(1));
  return {
    id: "producer-policies",
    caption: `Each flush policy, ${formatBytes(result.conditions.bytes)} per run: this machine (median, min-max of ${result.conditions.runs} runs) beside the model`,
    columns: ["policy", "until the ack, ms", "min-max", "model, ms", "later fsync, ms", "model's writeback, ms", "sink CPU, ms", "fsyncs", "write_bytes", "device MiB until the ack / in the later fsync"],
    rows: policyRows(result, models).map((r) => [
      r.policy, ms(r.medianSeconds), `${ms(r.minSeconds)}-${ms(r.maxSeconds)}`, ms(r.modelAckSeconds), ms(r.laterFsyncSeconds), ms(r.modelLaterSeconds),
      r.sinkCpuMs.toFixed(0), String(r.fsyncCalls), formatBytes(r.writeBytesDuring), `${mib(r.deviceWriteBytesDuring)} / ${mib(r.deviceWriteBytesLater)}`,
    ]),
    numeric: [1, 2, 3, 4, 5, 6, 7, 8],
    note: `Device counters are system-wide: another process's writes in the same window count too. The model: ${modelLabel} (chapter 7).`,
  };
}

/** What the loopback counters saw during each policy's runs (medians; system-wide counters). */
export interface LoopbackRow {
  policy: ProducerPolicy;
  packets: number | null;
  bytes: number | null;
  netRxSoftirqs: number | null;
}

/** Loopback packets, bytes and NET_RX softirqs per policy, medians over the runs; null where unreadable. */
export function loopbackRows(result: ProducerResult): LoopbackRow[] {
  return result.conditions.policies.map((policy) => {
    const runs = result.runs.filter((r) => r.policy === policy);
    const median = (pick: (r: ProducerRun) => number | null) => {
      const values = runs.map(pick);
      return values.every((v): v is number => v !== null) && values.length ? summarize(values).median : null;
    };
    return { policy, packets: median((r) => r.net.loopbackPackets), bytes: median((r) => r.net.loopbackBytes), netRxSoftirqs: median((r) => r.net.netRxSoftirqs) };
  });
}

/** Runs chapter 5's measurement, the producer experiment on the plan, and keeps the profile beside it. */
export async function runProducerChapter(
  plan: ProducerPlan,
  profile: MachineProfile,
  options: { dir?: string; onProgress?: Parameters<typeof runProducerExperiment>[0]["onProgress"] } = {},
): Promise<ProducerStudy> {
  const result = await runProducerExperiment({ bytes: plan.bytes, runs: plan.runs, fsyncBytes: plan.fsyncBytes, observeFlusher: plan.observeFlusher, dir: options.dir, onProgress: options.onProgress });
  return { ...result, profile };
}

/** The model's step tables of the producer's side: recv-write and recv-write-fsync, what the diagram draws. */
export function producerSteps(): { recvWrite: PathSteps; recvWriteFsync: PathSteps } {
  return { recvWrite: pathSteps("recv-write"), recvWriteFsync: pathSteps("recv-write-fsync") };
}

/** The model's counters for one 64 KiB receive, without and with an fsync per call. */
export function oneCallCounts(): { recvWrite: TransferCounts; recvWriteFsync: TransferCounts } {
  return { recvWrite: modelTransfer("recv-write", SINK_CALL_BYTES), recvWriteFsync: modelTransfer("recv-write-fsync", SINK_CALL_BYTES) };
}

/** The model's counters for the whole payload: recv-write in the sink's calls, recv-write-fsync per fsyncBytes. */
export function payloadCounts(bytes: number, fsyncBytes: number): { recvWrite: TransferCounts; recvWriteFsync: TransferCounts } {
  return { recvWrite: modelTransfer("recv-write", bytes, SINK_CALL_BYTES), recvWriteFsync: modelTransfer("recv-write-fsync", bytes, fsyncBytes) };
}
