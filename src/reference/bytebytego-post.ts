// The post this workbook answers: ByteByteGo, "Why is Kafka fast?". Its diagram numbers the steps a byte takes
// from a producer to the disk (1.1-1.3) and from the disk to a consumer, without zero-copy (2.1-2.5) and with it
// (3.1-3.3). The step texts below are the post's own words; `from` and `to` are what each step means, in the
// post's vocabulary, so tests can check the model's step tables against the post by meaning, not by label.

/** A published source, as the notebooks and the report cite it. */
export interface Citation {
  title: string;
  author: string;
  /** Year, or a full date where the source gives one. */
  date: string;
  url: string;
  /** Where the text is published, and anything a reader needs to find it. */
  note: string;
}

export const BYTEBYTEGO_POST: Citation = {
  title: "Why is Kafka fast?",
  author: "ByteByteGo (Alex Xu)",
  date: "2022",
  url: "https://bytebytego.com/guides/why-is-kafka-fast/",
  note:
    "first posted by Alex Xu in March 2022 (twitter.com/alexxubyte/status/1506663791961919488) and in the ByteByteGo " +
    "newsletter; the text and diagram are kept in the ByteByteGo guides and in github.com/ByteByteGoHq/system-design-101",
};

/** Where a byte can be in the post's diagram, in the post's words. */
export const POST_PLACES = ["producer", "Kafka application", "OS cache", "disk", "socket buffer", "network card", "consumer"] as const;
export type PostPlace = (typeof POST_PLACES)[number];

/** One numbered step of the post's diagram. */
export interface PostStep {
  /** The post's label: "1.1" ... "3.3". */
  label: string;
  /** The part of the diagram: the producer writing, the consumer reading without zero-copy, with zero-copy. */
  part: 1 | 2 | 3;
  /** The post's words for the step (1.1-1.3 share one line: the post does not describe them one by one). */
  text: string;
  /** Where the bytes are before the step, and after it. */
  from: PostPlace;
  to: PostPlace;
}

/** The post's thesis, in its own words (the 2022 text). */
export const POST_THESIS =
  "Kafka achieves low latency message delivery through Sequential I/O and Zero Copy Principle. " +
  "The same techniques are commonly used in many other messaging/streaming platforms.";

/** The post's claim about zero-copy, in its own words (the 2022 text). */
export const POST_CLAIM =
  "Zero copy is a shortcut to save the multiple data copies between application context and kernel context. " +
  "This approach brings down the time by approximately 65%.";

/** The post's two reasons: sequential I/O and the zero-copy principle. */
export const POST_REASONS = ["Sequential I/O", "Zero Copy"] as const;

/** The three parts of the diagram, as the post names them. */
export const POST_PARTS: Record<PostStep["part"], string> = {
  1: "Producer writes data to the disk",
  2: "Consumer reads data without zero-copy",
  3: "Consumer reads data with zero-copy",
};

/**
 * The post's steps, in its order. The post gives 1.1-1.3 one line ("Producer writes data to the disk"); its diagram
 * draws three arrows, producer -> Kafka -> OS cache -> disk, and this list gives each arrow the meaning the drawing
 * shows: the bytes reach the broker's application (1.1), go into the OS cache (1.2), and reach the disk (1.3).
 */
export const POST_STEPS: readonly PostStep[] = [
  { label: "1.1", part: 1, text: POST_PARTS[1], from: "producer", to: "Kafka application" },
  { label: "1.2", part: 1, text: POST_PARTS[1], from: "Kafka application", to: "OS cache" },
  { label: "1.3", part: 1, text: POST_PARTS[1], from: "OS cache", to: "disk" },
  { label: "2.1", part: 2, text: "The data is loaded from disk to OS cache", from: "disk", to: "OS cache" },
  { label: "2.2", part: 2, text: "The data is copied from OS cache to Kafka application", from: "OS cache", to: "Kafka application" },
  { label: "2.3", part: 2, text: "Kafka application copies the data into the socket buffer", from: "Kafka application", to: "socket buffer" },
  { label: "2.4", part: 2, text: "The data is copied from socket buffer to network card", from: "socket buffer", to: "network card" },
  { label: "2.5", part: 2, text: "The network card sends data out to the consumer", from: "network card", to: "consumer" },
  { label: "3.1", part: 3, text: "The data is loaded from disk to OS cache", from: "disk", to: "OS cache" },
  { label: "3.2", part: 3, text: "OS cache directly copies the data to the network card via sendfile() command", from: "OS cache", to: "network card" },
  { label: "3.3", part: 3, text: "The network card sends data out to the consumer", from: "network card", to: "consumer" },
];

/** The post's 3.2 goes from the OS cache straight to the network card: the scatter-gather DMA case. Without a NIC that
 *  gathers, the kernel copies page cache -> socket buffer once, then the NIC's DMA reads the socket buffer. */
export const POST_DRAWS_SCATTER_GATHER = true;

/** The post's number (POST_CLAIM). The post names no source; the figure matches the IBM article's summary of its
 *  Table 1 (src/reference/ibm-zero-copy.ts), whose own rows save 45.9-71.2%, mean 57.3%. */
export const POST_CLAIMED_SAVING = 0.65;

/** The post's step with this label; throws on a label the post does not have. */
export function postStep(label: string): PostStep {
  const step = POST_STEPS.find((s) => s.label === label);
  if (!step) throw new RangeError(`the post has no step ${label}; its steps are ${POST_STEPS.map((s) => s.label).join(", ")}`);
  return step;
}
