// The producer's side of a log (chapter 5): a producer sends records over loopback TCP to a sink that appends them
// to a file and acknowledges, under one of three durability policies. The same parameters as the transfer:
//
//   producer CPU = bytes x (1 / copy + tcpSend) + writes x (tcpSendCall + syscall)        (socket.write of records)
//   sink CPU     = bytes x (1 / copy + tcpReceive) + the append (storage.ts writeCost, CPU part)
//   ack time     = max(producer CPU, sink CPU, both / free cores) + what the policy waits for:
//                  page-cache: nothing (the flusher writes later); fsync-end: one flush of everything;
//                  fsync-each: a flush per append (storage.ts).
import { requireBytes, requireChoice } from "../../units/arguments";
import { MachineParameters, requireParameters } from "./machine-profile";
import { writeCost, FsyncPolicy } from "./storage";
import { pairTime, RunConditions } from "./two-sides";

/** The experiment's three policies and the fsync each means. */
export const PRODUCER_POLICY_FSYNC = { "page-cache": "none", "fsync-end": "end", "fsync-each": "each" } as const satisfies Record<string, FsyncPolicy>;
export type ProducerPolicyName = keyof typeof PRODUCER_POLICY_FSYNC;

/** The modelled cost of producing `bytes` under a policy. */
export interface ProducerCost {
  policy: ProducerPolicyName;
  bytes: number;
  ackSeconds: number;
  producerCpuSeconds: number;
  sinkCpuSeconds: number;
  /** write(2) + fsync(2) calls of the sink. */
  sinkSyscalls: number;
  /** Bytes on the disk when the ack arrives (0 for page-cache: they are only dirty pages then). */
  durableBytesAtAck: number;
}

/** Producing `bytes` in appends of `appendBytes`, acknowledged per `policy`. */
export function producerCost(parameters: MachineParameters, policy: ProducerPolicyName, bytes: number, appendBytes: number, conditions: RunConditions = {}): ProducerCost {
  const p = requireParameters(parameters);
  requireChoice("policy", policy, Object.keys(PRODUCER_POLICY_FSYNC));
  requireBytes("bytes", bytes);
  requireBytes("appendBytes", appendBytes);
  const appends = Math.ceil(bytes / appendBytes);
  const producerCpuSeconds = bytes * (1 / p.copyBytesPerSecond + p.tcpSendSecondsPerByte) + appends * (p.tcpSendCallSeconds + p.syscallSeconds);
  const append = writeCost(p, PRODUCER_POLICY_FSYNC[policy], bytes, appendBytes);
  const sinkCpuSeconds = bytes * (1 / p.copyBytesPerSecond + p.tcpReceiveSecondsPerByte) + append.cpuSeconds;
  const waits = append.seconds - append.cpuSeconds;
  const pair = pairTime(bytes, { cpuSeconds: producerCpuSeconds, busySeconds: producerCpuSeconds }, { cpuSeconds: sinkCpuSeconds, busySeconds: sinkCpuSeconds }, conditions);
  return {
    policy,
    bytes,
    // fsync-each flushes inside the sink's loop (it cannot overlap its own next append); fsync-end after the last
    ackSeconds: pair.wallSeconds + waits,
    producerCpuSeconds,
    sinkCpuSeconds,
    sinkSyscalls: append.syscalls,
    durableBytesAtAck: append.diskBytes,
  };
}
