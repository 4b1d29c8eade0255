// Jay Kreps, "Benchmarking Apache Kafka: 2 Million Writes Per Second (On Three Cheap Machines)",
// LinkedIn Engineering blog, 27 April 2014.
// https://engineering.linkedin.com/kafka/benchmarking-apache-kafka-2-million-writes-second-three-cheap-machines
// The single-node rows the broker benchmark reruns, with the setup they were measured on. The post's
// "MB/sec" are 2^20 bytes: 821,557 records/s x 100 bytes = 78.3 x 2^20 bytes/s.

export const KREPS_2014 = {
  citation: 'J. Kreps, "Benchmarking Apache Kafka: 2 Million Writes Per Second (On Three Cheap Machines)", LinkedIn Engineering, 2014-04-27',
  url: "https://engineering.linkedin.com/kafka/benchmarking-apache-kafka-2-million-writes-second-three-cheap-machines",
  setup:
    "Kafka 0.8.1 on three of six machines (Intel Xeon 2.5 GHz six-core, six 7200 RPM SATA drives, 32 GB RAM, 1 Gb Ethernet); producers and consumers on the other three",
  /** Record value size, records per test, the topic's partitions. */
  recordBytes: 100,
  records: 50_000_000,
  partitions: 6,
  /** The producer test's settings: ProducerPerformance ... acks=1 batch.size=8196 buffer.memory=67108864. */
  producer: { acks: 1, batchBytes: 8196, bufferBytes: 67_108_864 },
  /** "Single producer thread, no replication". */
  singleProducerNoReplication: { recordsPerSecond: 821_557, mibPerSecond: 78.3 },
  /** "Single Consumer" (no replication). */
  singleConsumer: { recordsPerSecond: 940_521, mibPerSecond: 89.7 },
  /** "End-to-end Latency": a record produced and read back, one at a time. */
  endToEndLatencyMs: { median: 2, p99: 3, p999: 14 },
} as const;
