// The typed messages between the Kafka experiments and their child processes, one union per direction
// per child, imported by both sides. A child sends exactly these; the parent accepts nothing else.
import type { BrokerConfig } from "../kafka/broker/broker-config";
import type { BrokerStats } from "../kafka/broker/broker";
import type { RecoveryReport } from "../kafka/log/log-manager";

// ---- broker child (kafka-broker-child.ts) ----

/** Everything of a BrokerConfig that survives JSON (no log function: the child's lines go to the parent). */
export type BrokerChildConfig = Omit<Partial<BrokerConfig>, "log"> & { dataDir: string };

export type ToBrokerChild = { type: "start"; config: BrokerChildConfig } | { type: "stats"; id: number };

export type FromBrokerChild =
  | { type: "listening"; port: number; host: string; recovery: RecoveryReport }
  | { type: "stats"; id: number; stats: BrokerStats }
  | { type: "log"; line: string }
  | { type: "failed"; message: string };

// ---- producer child (fanout-producer-child.ts) ----

export interface ProducerJob {
  bootstrap: string;
  topic: string;
  /** Records go round-robin over these partitions, each with its own sequence. */
  partitions: number[];
  /** This producer's id, written into every record (fanout-record.ts). */
  producerId: number;
  records: number;
  recordBytes: number;
  batchBytes: number;
  lingerMs: number;
  acks: 0 | 1 | -1;
}

export type ToProducerChild = { type: "produce"; job: ProducerJob };

export type FromProducerChild =
  | { type: "ready" }
  /** acked: "producer/partition" -> acknowledged records. */
  | { type: "produced"; producerId: number; acked: Record<string, number>; records: number; bytes: number; seconds: number; cpuSeconds: number }
  | { type: "failed"; message: string };

// ---- consumer child (fanout-consumer-child.ts) ----

export interface ConsumerJob {
  /** "kafka": fetch from a broker; "raw": accept one TCP connection and read a raw sendfile of the log. */
  mode: "kafka" | "raw";
  bootstrap: string;
  topic: string;
  /** Partitions read together, one fetch for all (a single consumer thread). */
  partitions: number[];
  fromOffset: number | "earliest" | "latest";
  partitionMaxBytes: number;
  maxWaitMs: number;
  /** Walk every record of every batch (a consumer that hands out records), not only each batch's first. */
  walkRecords: boolean;
}

export type ToConsumerChild =
  | { type: "prepare"; job: ConsumerJob }
  | { type: "go" }
  /** Stop once every partition has been read up to these end offsets (tailing: sent when the producers are done). */
  | { type: "until"; offsets: Record<string, number> };

export type FromConsumerChild =
  | { type: "ready"; port?: number; startOffset: number }
  | {
      type: "consumed";
      records: number;
      batches: number;
      bytes: number;
      fetches: number;
      seconds: number;
      cpuSeconds: number;
      /** "producer/partition" -> how many of its records arrived, each exactly once and in order. */
      perProducer: Record<string, number>;
    }
  | { type: "failed"; message: string };

// ---- raw sendfile sender (raw-sendfile-child.ts) ----

export type ToRawSender = { type: "send"; port: number; files: Array<{ path: string; bytes: number }> };

export type FromRawSender =
  | { type: "ready" }
  | { type: "sent"; bytes: number; seconds: number; cpuSeconds: number; calls: number }
  | { type: "failed"; message: string };

// ---- end-to-end latency (e2e-latency-child.ts) ----

export interface LatencyJob {
  bootstrap: string;
  topic: string;
  records: number;
  /** Records sent first and not counted (connections, JIT). */
  warmup: number;
  recordBytes: number;
}

export type ToLatencyChild = { type: "measure"; job: LatencyJob };

export type FromLatencyChild =
  | { type: "ready" }
  /** One latency per record, milliseconds, in send order. */
  | { type: "latencies"; latenciesMs: number[] }
  | { type: "failed"; message: string };
