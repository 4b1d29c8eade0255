// The Kafka broker as a child process of an experiment or test: waits for its config, starts the broker
// (src/kafka/broker), reports where it listens, answers stats requests (its own process.resourceUsage
// included: the CPU the experiment charges to the broker), forwards its log lines, and on SIGTERM closes
// cleanly and exits 0. Messages: kafka-child-messages.ts. Started by kafka-broker-process.ts.
import { startBroker, Broker } from "../kafka/broker/broker";
import type { ToBrokerChild, FromBrokerChild } from "./kafka-child-messages";

function send(message: FromBrokerChild): void {
  process.send?.(message);
}

let broker: Broker | null = null;

process.on("message", (raw) => {
  const message = raw as ToBrokerChild;
  if (message.type === "start") {
    startBroker({ ...message.config, log: (line) => send({ type: "log", line }) }).then(
      (b) => {
        broker = b;
        send({ type: "listening", port: b.port, host: b.host, recovery: b.recovery });
      },
      (error: Error) => {
        send({ type: "failed", message: error.message });
        process.exit(1);
      },
    );
  } else if (message.type === "stats" && broker) {
    send({ type: "stats", id: message.id, stats: broker.stats() });
  }
});

process.on("SIGTERM", () => {
  const done = () => process.exit(0);
  if (broker) broker.close().then(done, () => process.exit(1));
  else done();
});
