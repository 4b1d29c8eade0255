// The answer to the reader's question under ByteByteGo's post (does the producer's data go through the NIC buffer,
// and what happens before it reaches the application's buffer?), step by step, as the Linux documentation, the man
// pages, the kernel's source and Kafka's documentation describe it: the producer client's send path, a real NIC's
// receive path into the broker, and what this machine's loopback device changes. Quotes are verbatim, each with
// its source; everything else paraphrases a cited source.

/** Where a statement comes from: a document and its address (or a path in a source tree). */
export interface Source {
  title: string;
  url: string;
}

export const SOURCES = {
  napi: { title: "Linux kernel documentation, Networking: NAPI", url: "https://docs.kernel.org/networking/napi.html" },
  scaling: { title: "Linux kernel documentation, Scaling in the Linux Networking Stack", url: "https://docs.kernel.org/networking/scaling.html" },
  vm: { title: "Linux kernel documentation, Documentation for /proc/sys/vm/", url: "https://docs.kernel.org/admin-guide/sysctl/vm.html" },
  tcp: { title: "tcp(7), Linux man-pages", url: "https://man7.org/linux/man-pages/man7/tcp.7.html" },
  recv: { title: "recv(2), Linux man-pages", url: "https://man7.org/linux/man-pages/man2/recv.2.html" },
  write: { title: "write(2), Linux man-pages", url: "https://man7.org/linux/man-pages/man2/write.2.html" },
  fsync: { title: "fsync(2), Linux man-pages", url: "https://man7.org/linux/man-pages/man2/fsync.2.html" },
  proc: { title: "proc(5), Linux man-pages, /proc/pid/io", url: "https://man7.org/linux/man-pages/man5/proc.5.html" },
  loopback: { title: "Linux source, drivers/net/loopback.c (loopback_xmit, loopback_setup)", url: "https://github.com/torvalds/linux/blob/master/drivers/net/loopback.c" },
  producer: { title: "Apache Kafka, KafkaProducer (its Javadoc)", url: "https://github.com/apache/kafka/blob/trunk/clients/src/main/java/org/apache/kafka/clients/producer/KafkaProducer.java" },
  kafkaDesign: { title: "Kafka documentation, 4.3 Efficiency", url: "https://kafka.apache.org/documentation/#maximizingefficiency" },
} as const satisfies Record<string, Source>;

/** One step of a path: where the bytes are after it, who moves them, whether the payload is copied. */
export interface PathStage {
  /** The post's step this stage belongs to ("1.1" ... "1.3"), or "" for the producer client's side. */
  post: string;
  stage: string;
  /** Who does the work: "CPU", "DMA engine", "NIC", "kernel (softirq)", "kernel (flusher)". */
  who: string;
  /** Whether the payload's bytes are copied (or moved by a device) in this stage. */
  copiesPayload: boolean;
  /** What happens, in one or two sentences. */
  what: string;
  /** Verbatim text of the source, when the stage quotes one. */
  quote?: string;
  source: Source;
}

/** The producer client's own path, before the broker sees a byte (the Java client; librdkafka and kafkajs batch alike). */
export const PRODUCER_SEND_PATH: readonly PathStage[] = [
  {
    post: "", stage: "send() buffers the record", who: "CPU", copiesPayload: true,
    what: "The application's send() serializes the record and appends it to a batch in the client's memory, then returns; a background thread sends batches when they are full or old enough (batch.size, linger.ms).",
    quote: "The producer consists of a pool of buffer space that holds records that haven't yet been transmitted to the server as well as a background I/O thread that is responsible for turning these records into requests and transmitting them to the cluster.",
    source: SOURCES.producer,
  },
  {
    post: "", stage: "the request into the socket send buffer", who: "CPU", copiesPayload: true,
    what: "The I/O thread writes the produce request to its socket: write() copies the batch into the kernel's socket send buffer (on the JVM a heap buffer first goes through a temporary direct buffer, one more copy).",
    source: SOURCES.write,
  },
  {
    post: "", stage: "TCP/IP, then the NIC's DMA", who: "DMA engine", copiesPayload: true,
    what: "TCP cuts the buffer into segments and the driver posts them on the NIC's transmit descriptor queue; the NIC's DMA engine reads the bytes out of memory and the NIC sends the frames on the wire.",
    quote: "Contemporary NICs support multiple receive and transmit descriptor queues (multi-queue).",
    source: SOURCES.scaling,
  },
];

/** The broker's side with a real NIC: the post's 1.1 (producer -> Kafka application), 1.2 and 1.3. */
export const NIC_RECEIVE_PATH: readonly PathStage[] = [
  {
    post: "1.1", stage: "the frame arrives; the NIC's DMA writes it into the RX ring", who: "DMA engine", copiesPayload: true,
    what: "The driver has posted empty buffers on the NIC's receive descriptor queue (the RX ring). The NIC's DMA engine writes each arriving frame into the next buffer: the bytes are in memory before any CPU has looked at them.",
    quote: "Contemporary NICs support multiple receive and transmit descriptor queues (multi-queue).",
    source: SOURCES.scaling,
  },
  {
    post: "1.1", stage: "interrupt, then the NAPI poll", who: "NIC, then kernel (softirq)", copiesPayload: false,
    what: "The NIC raises an interrupt; the driver masks it and schedules NAPI, whose poll method takes the filled buffers off the ring, a budget of packets at a time, in softirq context.",
    quote: "In basic operation the device notifies the host about new events via an interrupt. The host then schedules a NAPI instance to process the events.",
    source: SOURCES.napi,
  },
  {
    post: "1.1", stage: "IP and TCP in the softirq", who: "kernel (softirq)", copiesPayload: false,
    what: "The poll hands each buffer to the stack as a socket buffer (an sk_buff) without copying it: IP and TCP check the headers (the checksum often done by the NIC), and TCP acknowledges the data.",
    quote: "NAPI processing usually happens in the software interrupt context, but there is an option to use separate kernel threads for NAPI processing.",
    source: SOURCES.napi,
  },
  {
    post: "1.1", stage: "the socket's receive queue", who: "kernel (softirq)", copiesPayload: false,
    what: "TCP queues the data on the broker's socket and wakes the thread waiting in epoll. What the queue may hold is the socket receive buffer, sized by TCP between the bounds of tcp_rmem.",
    quote: "TCP dynamically adjusts the size of the receive buffer from the defaults listed below, in the range of these values, depending on memory available in the system.",
    source: SOURCES.tcp,
  },
  {
    post: "1.1", stage: "recv() copies into the broker's buffer", who: "CPU", copiesPayload: true,
    what: "The broker's recv() (or read()) copies the bytes from the queued socket buffers into its own buffer in user space: the first copy the CPU makes on the broker. Only now has the data reached the application.",
    quote: "The recv(), recvfrom(), and recvmsg() calls are used to receive messages from a socket.",
    source: SOURCES.recv,
  },
  {
    post: "1.2", stage: "write() copies into the page cache", who: "CPU", copiesPayload: true,
    what: "The broker checks the batch (its CRC, the offsets), then write() appends it to the log segment: the CPU copies it into the page cache and marks the pages dirty. write() returns; nothing has reached the disk. The kernel already charges the bytes to the process's write_bytes.",
    quote: "Attempt to count the number of bytes which this process caused to be sent to the storage layer.",
    source: SOURCES.proc,
  },
  {
    post: "1.3", stage: "writeback, later, by DMA", who: "kernel (flusher), then DMA engine", copiesPayload: true,
    what: "A flusher thread writes the dirty pages to the disk by DMA once they are old enough, or an fsync() writes them now and waits. Kafka leaves it to the flusher by default and relies on replication for durability.",
    quote: "Data which has been dirty in-memory for longer than this interval will be written out next time a flusher thread wakes up.",
    source: SOURCES.vm,
  },
];

/** What this machine's loopback changes in the receive path: no NIC, no DMA, no hardware interrupt. */
export const LOOPBACK_RECEIVE_PATH: readonly PathStage[] = [
  {
    post: "1.1", stage: "no wire, no NIC: the sender's skb is handed over", who: "kernel (softirq)", copiesPayload: false,
    what: "The loopback device's transmit function takes the socket buffer the producer's write() filled and passes it straight to the receive side (loopback_xmit calls __netif_rx): no frame, no RX ring, no DMA, no interrupt. The packet waits in this CPU's backlog queue.",
    source: SOURCES.loopback,
  },
  {
    post: "1.1", stage: "IP and TCP in the NET_RX softirq", who: "kernel (softirq)", copiesPayload: false,
    what: "The backlog is processed in the same NET_RX softirq a NIC's packets get, so IP, TCP and the socket's receive queue work as with a real NIC. The loopback device's MTU is 64 KiB, so segments are much larger than Ethernet's 1500 bytes.",
    source: SOURCES.loopback,
  },
  {
    post: "1.1", stage: "recv() copies into the broker's buffer", who: "CPU", copiesPayload: true,
    what: "As with a NIC: the CPU copies the bytes from the socket buffers into the broker's buffer. With loopback the producer's copy into the socket buffer and this copy are the only copies of the payload before the page cache, and both run on this machine's CPUs.",
    quote: "The recv(), recvfrom(), and recvmsg() calls are used to receive messages from a socket.",
    source: SOURCES.recv,
  },
  {
    post: "1.2", stage: "write() copies into the page cache", who: "CPU", copiesPayload: true,
    what: "Unchanged: the broker's write() copies into the page cache and returns.",
    source: SOURCES.write,
  },
  {
    post: "1.3", stage: "writeback, later, by DMA", who: "kernel (flusher), then DMA engine", copiesPayload: true,
    what: "Unchanged: the disk is a real device (here a virtual one), written back later or by fsync().",
    quote: "The call blocks until the device reports that the transfer has completed.",
    source: SOURCES.fsync,
  },
];
