// Kafka's design documentation, which the chapters quote for the page cache, sequential I/O and sendfile.
import type { Citation } from "./bytebytego-post";

export const KAFKA_DESIGN: Citation = {
  title: "Kafka documentation, 4. Design (4.2 Persistence, 4.3 Efficiency)",
  author: "The Apache Kafka project",
  date: "current documentation",
  url: "https://kafka.apache.org/documentation/#design",
  note: "also in the Kafka source tree as docs/design.html",
};
