// Data paths as ordered step tables, and the counters a transfer of N bytes produces.
// A table row is one step: [kind, actor, from, to, post, mode, call]. `post` is the step's number in ByteByteGo's
// post "Why is Kafka fast?" with the post's meaning (22 = "2.2", the OS cache copied to the Kafka application;
// 0 = a step the post does not number, such as every mode switch: those come from the IBM article). `mode` is the
// process's CPU mode during the step, `call` the system call it happens inside (or the context doing it on its own).
import {
  DISK, PAGE_CACHE, USER_BUFFER, SOCKET_BUFFER, NIC, PIPE, NETWORK,
  ACTOR_CPU, ACTOR_DMA, ACTOR_SYSCALL, ACTOR_NIC,
  KIND_TO_KERNEL, KIND_TO_USER, KIND_COPY, KIND_DESCRIPTOR, KIND_FAULT, KIND_WIRE,
  MODE_USER, MODE_KERNEL,
  CALL_READ, CALL_WRITE, CALL_SENDFILE, CALL_SPLICE, CALL_RECV, CALL_FSYNC, CALL_MMAP, CALL_SOFTIRQ, CALL_WRITEBACK, CALL_NIC,
} from "./places";

/** Path ids; src/model/vocabulary.ts holds their names in the same order. */
export const READ_WRITE: i32 = 0;
export const MMAP_WRITE: i32 = 1;
export const SENDFILE: i32 = 2;
export const SENDFILE_SG: i32 = 3;
export const SPLICE: i32 = 4;
export const RECV_WRITE: i32 = 5;
export const RECV_WRITE_FSYNC: i32 = 6;
export const PATH_COUNT: i32 = 7;

/** Number of i32 fields in one step row. */
export const STEP_FIELDS: i32 = 7;

/** Linux moves at most 0x7ffff000 bytes per read/write/sendfile/splice call (MAX_RW_COUNT). */
export const MAX_RW_COUNT: f64 = 2147479552.0;

// Row layout, spelled out once:   kind, actor, from, to, post, mode, call

// --- per-transfer setup steps (run once, before the first chunk) ---
const NO_STEPS: StaticArray<i32> = [];

// mmap() only sets up the mapping: no byte moves yet. The pages come in later, by page faults
// taken inside write() when it reads the mapped addresses (see MMAP_WRITE_CHUNK).
const MMAP_SETUP: StaticArray<i32> = [
  KIND_TO_KERNEL, ACTOR_SYSCALL, USER_BUFFER, PAGE_CACHE, 0, MODE_KERNEL, CALL_MMAP,
  KIND_TO_USER, ACTOR_SYSCALL, PAGE_CACHE, USER_BUFFER, 0, MODE_USER, CALL_MMAP,
];

// --- per-chunk steps ---
// IBM, "Efficient data transfer through zero copy", traditional approach (abridged): "The read() call
// causes a context switch from user mode to kernel mode ... The first copy is performed by the direct
// memory access (DMA) engine, which reads file contents from the disk and stores them into a kernel
// address space buffer. The requested amount of data is copied from the read buffer into the user
// buffer, and the read() call returns ... The send() socket call causes a context switch from user
// mode to kernel mode. A third copy is performed to put the data into a kernel address space buffer
// again ... The send() system call returns, creating the fourth context switch. Independently and
// asynchronously, a fourth copy happens as the DMA engine passes the data from the kernel buffer to
// the protocol engine." The post's 2.1-2.4 are the four copies in this order (2 DMA, 2 CPU); its 2.5 is the NIC
// sending the bytes on the wire. The four mode switches are IBM's, not the post's: they carry no post number.
const READ_WRITE_CHUNK: StaticArray<i32> = [
  KIND_TO_KERNEL, ACTOR_SYSCALL, USER_BUFFER, PAGE_CACHE, 0, MODE_KERNEL, CALL_READ,
  KIND_COPY, ACTOR_DMA, DISK, PAGE_CACHE, 21, MODE_KERNEL, CALL_READ,
  KIND_COPY, ACTOR_CPU, PAGE_CACHE, USER_BUFFER, 22, MODE_KERNEL, CALL_READ,
  KIND_TO_USER, ACTOR_SYSCALL, PAGE_CACHE, USER_BUFFER, 0, MODE_USER, CALL_READ,
  KIND_TO_KERNEL, ACTOR_SYSCALL, USER_BUFFER, SOCKET_BUFFER, 0, MODE_KERNEL, CALL_WRITE,
  KIND_COPY, ACTOR_CPU, USER_BUFFER, SOCKET_BUFFER, 23, MODE_KERNEL, CALL_WRITE,
  KIND_COPY, ACTOR_DMA, SOCKET_BUFFER, NIC, 24, MODE_KERNEL, CALL_WRITE,
  KIND_TO_USER, ACTOR_SYSCALL, SOCKET_BUFFER, USER_BUFFER, 0, MODE_USER, CALL_WRITE,
  KIND_WIRE, ACTOR_NIC, NIC, NETWORK, 25, MODE_USER, CALL_NIC,
];

// mmap + write: the user buffer is the page cache itself, so one CPU copy is saved; the pages are
// brought in by page faults that write() takes while copying from the mapping.
const MMAP_WRITE_CHUNK: StaticArray<i32> = [
  KIND_TO_KERNEL, ACTOR_SYSCALL, USER_BUFFER, SOCKET_BUFFER, 0, MODE_KERNEL, CALL_WRITE,
  KIND_FAULT, ACTOR_SYSCALL, USER_BUFFER, PAGE_CACHE, 0, MODE_KERNEL, CALL_WRITE,
  KIND_COPY, ACTOR_DMA, DISK, PAGE_CACHE, 0, MODE_KERNEL, CALL_WRITE,
  KIND_COPY, ACTOR_CPU, PAGE_CACHE, SOCKET_BUFFER, 0, MODE_KERNEL, CALL_WRITE,
  KIND_COPY, ACTOR_DMA, SOCKET_BUFFER, NIC, 0, MODE_KERNEL, CALL_WRITE,
  KIND_TO_USER, ACTOR_SYSCALL, SOCKET_BUFFER, USER_BUFFER, 0, MODE_USER, CALL_WRITE,
  KIND_WIRE, ACTOR_NIC, NIC, NETWORK, 0, MODE_USER, CALL_NIC,
];

// sendfile without a NIC that gathers, IBM: "The transferTo() method causes the file contents to be copied into a
// read buffer by the DMA engine. Then the data is copied by the kernel into the kernel buffer associated with the
// output socket. The third copy happens as the DMA engine passes the data from the kernel socket buffers to the
// protocol engine." 3 copies (2 DMA, 1 CPU), 2 mode switches, no user buffer. The post's 3.2 (OS cache -> network
// card) takes two copies here: the CPU into the socket buffer, then the NIC's DMA out of it.
const SENDFILE_CHUNK: StaticArray<i32> = [
  KIND_TO_KERNEL, ACTOR_SYSCALL, USER_BUFFER, PAGE_CACHE, 0, MODE_KERNEL, CALL_SENDFILE,
  KIND_COPY, ACTOR_DMA, DISK, PAGE_CACHE, 31, MODE_KERNEL, CALL_SENDFILE,
  KIND_COPY, ACTOR_CPU, PAGE_CACHE, SOCKET_BUFFER, 32, MODE_KERNEL, CALL_SENDFILE,
  KIND_COPY, ACTOR_DMA, SOCKET_BUFFER, NIC, 32, MODE_KERNEL, CALL_SENDFILE,
  KIND_TO_USER, ACTOR_SYSCALL, SOCKET_BUFFER, USER_BUFFER, 0, MODE_USER, CALL_SENDFILE,
  KIND_WIRE, ACTOR_NIC, NIC, NETWORK, 33, MODE_USER, CALL_NIC,
];

// IBM, "gather operations": "No data is copied into the socket buffer. Instead, only descriptors
// with information about the location and length of the data are appended to the socket buffer.
// The DMA engine passes data directly from the kernel buffer to the protocol engine."
// 2 DMA copies, 0 CPU copies. This is the post's 3.2 as drawn: the OS cache straight to the network card.
const SENDFILE_SG_CHUNK: StaticArray<i32> = [
  KIND_TO_KERNEL, ACTOR_SYSCALL, USER_BUFFER, PAGE_CACHE, 0, MODE_KERNEL, CALL_SENDFILE,
  KIND_COPY, ACTOR_DMA, DISK, PAGE_CACHE, 31, MODE_KERNEL, CALL_SENDFILE,
  KIND_DESCRIPTOR, ACTOR_SYSCALL, PAGE_CACHE, SOCKET_BUFFER, 32, MODE_KERNEL, CALL_SENDFILE,
  KIND_COPY, ACTOR_DMA, PAGE_CACHE, NIC, 32, MODE_KERNEL, CALL_SENDFILE,
  KIND_TO_USER, ACTOR_SYSCALL, SOCKET_BUFFER, USER_BUFFER, 0, MODE_USER, CALL_SENDFILE,
  KIND_WIRE, ACTOR_NIC, NIC, NETWORK, 33, MODE_USER, CALL_NIC,
];

// splice(2) file -> pipe -> socket, two calls per chunk: "splice() moves data between two file
// descriptors without copying between kernel address space and user address space". The pipe holds
// page references; the NIC gathers straight from the page cache.
const SPLICE_CHUNK: StaticArray<i32> = [
  KIND_TO_KERNEL, ACTOR_SYSCALL, USER_BUFFER, PAGE_CACHE, 0, MODE_KERNEL, CALL_SPLICE,
  KIND_COPY, ACTOR_DMA, DISK, PAGE_CACHE, 0, MODE_KERNEL, CALL_SPLICE,
  KIND_DESCRIPTOR, ACTOR_SYSCALL, PAGE_CACHE, PIPE, 0, MODE_KERNEL, CALL_SPLICE,
  KIND_TO_USER, ACTOR_SYSCALL, PIPE, USER_BUFFER, 0, MODE_USER, CALL_SPLICE,
  KIND_TO_KERNEL, ACTOR_SYSCALL, USER_BUFFER, PIPE, 0, MODE_KERNEL, CALL_SPLICE,
  KIND_DESCRIPTOR, ACTOR_SYSCALL, PIPE, SOCKET_BUFFER, 0, MODE_KERNEL, CALL_SPLICE,
  KIND_COPY, ACTOR_DMA, PAGE_CACHE, NIC, 0, MODE_KERNEL, CALL_SPLICE,
  KIND_TO_USER, ACTOR_SYSCALL, SOCKET_BUFFER, USER_BUFFER, 0, MODE_USER, CALL_SPLICE,
  KIND_WIRE, ACTOR_NIC, NIC, NETWORK, 0, MODE_USER, CALL_NIC,
];

// The producer's side (a Kafka broker appending to its log), the post's 1.1-1.3. 1.1, the producer's bytes reach
// the broker's application: the frame arrives at the NIC, whose DMA engine writes it into a receive buffer in
// memory; after the interrupt the kernel's softirq runs IP and TCP and queues that buffer on the socket without a
// copy (the "socket buffer"); recv() copies it to user space. 1.2: write() copies it into the page cache and returns
// with the pages dirty. 1.3: the flusher thread writes them back to the disk later, while the broker runs on.
const RECV_WRITE_CHUNK: StaticArray<i32> = [
  KIND_WIRE, ACTOR_NIC, NETWORK, NIC, 11, MODE_USER, CALL_NIC,
  KIND_COPY, ACTOR_DMA, NIC, SOCKET_BUFFER, 11, MODE_USER, CALL_SOFTIRQ,
  KIND_TO_KERNEL, ACTOR_SYSCALL, USER_BUFFER, SOCKET_BUFFER, 0, MODE_KERNEL, CALL_RECV,
  KIND_COPY, ACTOR_CPU, SOCKET_BUFFER, USER_BUFFER, 11, MODE_KERNEL, CALL_RECV,
  KIND_TO_USER, ACTOR_SYSCALL, SOCKET_BUFFER, USER_BUFFER, 0, MODE_USER, CALL_RECV,
  KIND_TO_KERNEL, ACTOR_SYSCALL, USER_BUFFER, PAGE_CACHE, 0, MODE_KERNEL, CALL_WRITE,
  KIND_COPY, ACTOR_CPU, USER_BUFFER, PAGE_CACHE, 12, MODE_KERNEL, CALL_WRITE,
  KIND_TO_USER, ACTOR_SYSCALL, PAGE_CACHE, USER_BUFFER, 0, MODE_USER, CALL_WRITE,
  KIND_COPY, ACTOR_DMA, PAGE_CACHE, DISK, 13, MODE_USER, CALL_WRITEBACK,
];

// Same, with fsync() after each write: fsync(2) "transfers ("flushes") all modified in-core data of ... the file
// ... to the disk device ... The call blocks until the device reports that the transfer has completed": the
// writeback DMA (the post's 1.3) now happens inside a third syscall, and the broker waits for it.
const RECV_WRITE_FSYNC_CHUNK: StaticArray<i32> = [
  KIND_WIRE, ACTOR_NIC, NETWORK, NIC, 11, MODE_USER, CALL_NIC,
  KIND_COPY, ACTOR_DMA, NIC, SOCKET_BUFFER, 11, MODE_USER, CALL_SOFTIRQ,
  KIND_TO_KERNEL, ACTOR_SYSCALL, USER_BUFFER, SOCKET_BUFFER, 0, MODE_KERNEL, CALL_RECV,
  KIND_COPY, ACTOR_CPU, SOCKET_BUFFER, USER_BUFFER, 11, MODE_KERNEL, CALL_RECV,
  KIND_TO_USER, ACTOR_SYSCALL, SOCKET_BUFFER, USER_BUFFER, 0, MODE_USER, CALL_RECV,
  KIND_TO_KERNEL, ACTOR_SYSCALL, USER_BUFFER, PAGE_CACHE, 0, MODE_KERNEL, CALL_WRITE,
  KIND_COPY, ACTOR_CPU, USER_BUFFER, PAGE_CACHE, 12, MODE_KERNEL, CALL_WRITE,
  KIND_TO_USER, ACTOR_SYSCALL, PAGE_CACHE, USER_BUFFER, 0, MODE_USER, CALL_WRITE,
  KIND_TO_KERNEL, ACTOR_SYSCALL, USER_BUFFER, PAGE_CACHE, 0, MODE_KERNEL, CALL_FSYNC,
  KIND_COPY, ACTOR_DMA, PAGE_CACHE, DISK, 13, MODE_KERNEL, CALL_FSYNC,
  KIND_TO_USER, ACTOR_SYSCALL, PAGE_CACHE, USER_BUFFER, 0, MODE_USER, CALL_FSYNC,
];

/** The step table of a path for one phase (0 = setup, 1 = per chunk); called by the exports and by simulateTransfer(). */
export function stepTable(path: i32, phase: i32): StaticArray<i32> {
  if (phase == 0) return path == MMAP_WRITE ? MMAP_SETUP : NO_STEPS;
  if (path == READ_WRITE) return READ_WRITE_CHUNK;
  if (path == MMAP_WRITE) return MMAP_WRITE_CHUNK;
  if (path == SENDFILE) return SENDFILE_CHUNK;
  if (path == SENDFILE_SG) return SENDFILE_SG_CHUNK;
  if (path == SPLICE) return SPLICE_CHUNK;
  if (path == RECV_WRITE) return RECV_WRITE_CHUNK;
  return RECV_WRITE_FSYNC_CHUNK;
}
