// Data paths as ordered step tables, and the counters a transfer of N bytes produces.
// A table row is one step: [kind, actor, from, to, seedStep]; seedStep 21 means the seed's step "2.1".
import {
  DISK, PAGE_CACHE, USER_BUFFER, SOCKET_BUFFER, NIC, PIPE,
  ACTOR_CPU, ACTOR_DMA, ACTOR_NONE,
  KIND_TO_KERNEL, KIND_TO_USER, KIND_COPY, KIND_DESCRIPTOR,
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
export const STEP_FIELDS: i32 = 5;

/** Linux moves at most 0x7ffff000 bytes per read/write/sendfile/splice call (MAX_RW_COUNT). */
export const MAX_RW_COUNT: f64 = 2147479552.0;

// --- per-transfer setup steps (run once, before the first chunk) ---
const NO_STEPS: StaticArray<i32> = [];

// IBM zero-copy article, mmap + write: "mmap() ... DMA engine copies data into a kernel buffer
// shared with the user process"; here the page-in happens inside write, so setup is the call only.
const MMAP_SETUP: StaticArray<i32> = [
  KIND_TO_KERNEL, ACTOR_NONE, USER_BUFFER, PAGE_CACHE, 0,
  KIND_TO_USER, ACTOR_NONE, PAGE_CACHE, USER_BUFFER, 0,
];

// --- per-chunk steps ---
// Seed 2.1-2.5: read() enters the kernel, DMA fills the page cache, the CPU copies to the user
// buffer and read() returns; write() enters, the CPU copies to the socket buffer, DMA sends, write() returns.
const READ_WRITE_CHUNK: StaticArray<i32> = [
  KIND_TO_KERNEL, ACTOR_NONE, USER_BUFFER, PAGE_CACHE, 21,
  KIND_COPY, ACTOR_DMA, DISK, PAGE_CACHE, 21,
  KIND_COPY, ACTOR_CPU, PAGE_CACHE, USER_BUFFER, 22,
  KIND_TO_USER, ACTOR_NONE, PAGE_CACHE, USER_BUFFER, 22,
  KIND_TO_KERNEL, ACTOR_NONE, USER_BUFFER, SOCKET_BUFFER, 23,
  KIND_COPY, ACTOR_CPU, USER_BUFFER, SOCKET_BUFFER, 23,
  KIND_COPY, ACTOR_DMA, SOCKET_BUFFER, NIC, 24,
  KIND_TO_USER, ACTOR_NONE, SOCKET_BUFFER, USER_BUFFER, 25,
];

// mmap + write: the user buffer is the page cache itself, so one CPU copy is saved.
const MMAP_WRITE_CHUNK: StaticArray<i32> = [
  KIND_TO_KERNEL, ACTOR_NONE, USER_BUFFER, SOCKET_BUFFER, 0,
  KIND_COPY, ACTOR_DMA, DISK, PAGE_CACHE, 0,
  KIND_COPY, ACTOR_CPU, PAGE_CACHE, SOCKET_BUFFER, 0,
  KIND_COPY, ACTOR_DMA, SOCKET_BUFFER, NIC, 0,
  KIND_TO_USER, ACTOR_NONE, SOCKET_BUFFER, USER_BUFFER, 0,
];

// Seed 3.1-3.3: sendfile() enters the kernel, DMA fills the page cache, the CPU copies page cache
// to socket buffer inside the kernel, DMA sends, and sendfile() returns: no user buffer at all.
const SENDFILE_CHUNK: StaticArray<i32> = [
  KIND_TO_KERNEL, ACTOR_NONE, USER_BUFFER, PAGE_CACHE, 31,
  KIND_COPY, ACTOR_DMA, DISK, PAGE_CACHE, 31,
  KIND_COPY, ACTOR_CPU, PAGE_CACHE, SOCKET_BUFFER, 32,
  KIND_COPY, ACTOR_DMA, SOCKET_BUFFER, NIC, 33,
  KIND_TO_USER, ACTOR_NONE, SOCKET_BUFFER, USER_BUFFER, 33,
];

// IBM, "gather operations": "No data is copied into the socket buffer. Instead, only descriptors
// with information about the location and length of the data are appended to the socket buffer."
const SENDFILE_SG_CHUNK: StaticArray<i32> = [
  KIND_TO_KERNEL, ACTOR_NONE, USER_BUFFER, PAGE_CACHE, 31,
  KIND_COPY, ACTOR_DMA, DISK, PAGE_CACHE, 31,
  KIND_DESCRIPTOR, ACTOR_NONE, PAGE_CACHE, SOCKET_BUFFER, 32,
  KIND_COPY, ACTOR_DMA, PAGE_CACHE, NIC, 33,
  KIND_TO_USER, ACTOR_NONE, SOCKET_BUFFER, USER_BUFFER, 33,
];

// splice(2) file -> pipe -> socket: "moves data ... without copying between kernel address space
// and user address space"; the pipe holds page references, the NIC gathers from the page cache.
const SPLICE_CHUNK: StaticArray<i32> = [
  KIND_TO_KERNEL, ACTOR_NONE, USER_BUFFER, PAGE_CACHE, 0,
  KIND_COPY, ACTOR_DMA, DISK, PAGE_CACHE, 0,
  KIND_DESCRIPTOR, ACTOR_NONE, PAGE_CACHE, PIPE, 0,
  KIND_TO_USER, ACTOR_NONE, PIPE, USER_BUFFER, 0,
  KIND_TO_KERNEL, ACTOR_NONE, USER_BUFFER, PIPE, 0,
  KIND_DESCRIPTOR, ACTOR_NONE, PIPE, SOCKET_BUFFER, 0,
  KIND_COPY, ACTOR_DMA, PAGE_CACHE, NIC, 0,
  KIND_TO_USER, ACTOR_NONE, SOCKET_BUFFER, USER_BUFFER, 0,
];

// The producer's side: the NIC DMAs into the socket buffer, recv() copies to user space,
// write() copies into the page cache and returns; the flusher writes dirty pages back later.
const RECV_WRITE_CHUNK: StaticArray<i32> = [
  KIND_COPY, ACTOR_DMA, NIC, SOCKET_BUFFER, 0,
  KIND_TO_KERNEL, ACTOR_NONE, USER_BUFFER, SOCKET_BUFFER, 0,
  KIND_COPY, ACTOR_CPU, SOCKET_BUFFER, USER_BUFFER, 0,
  KIND_TO_USER, ACTOR_NONE, SOCKET_BUFFER, USER_BUFFER, 0,
  KIND_TO_KERNEL, ACTOR_NONE, USER_BUFFER, PAGE_CACHE, 0,
  KIND_COPY, ACTOR_CPU, USER_BUFFER, PAGE_CACHE, 0,
  KIND_TO_USER, ACTOR_NONE, PAGE_CACHE, USER_BUFFER, 0,
  KIND_COPY, ACTOR_DMA, PAGE_CACHE, DISK, 0,
];

// Same, with fsync() after each write: the writeback DMA happens inside a third syscall.
const RECV_WRITE_FSYNC_CHUNK: StaticArray<i32> = [
  KIND_COPY, ACTOR_DMA, NIC, SOCKET_BUFFER, 0,
  KIND_TO_KERNEL, ACTOR_NONE, USER_BUFFER, SOCKET_BUFFER, 0,
  KIND_COPY, ACTOR_CPU, SOCKET_BUFFER, USER_BUFFER, 0,
  KIND_TO_USER, ACTOR_NONE, SOCKET_BUFFER, USER_BUFFER, 0,
  KIND_TO_KERNEL, ACTOR_NONE, USER_BUFFER, PAGE_CACHE, 0,
  KIND_COPY, ACTOR_CPU, USER_BUFFER, PAGE_CACHE, 0,
  KIND_TO_USER, ACTOR_NONE, PAGE_CACHE, USER_BUFFER, 0,
  KIND_TO_KERNEL, ACTOR_NONE, USER_BUFFER, PAGE_CACHE, 0,
  KIND_COPY, ACTOR_DMA, PAGE_CACHE, DISK, 0,
  KIND_TO_USER, ACTOR_NONE, PAGE_CACHE, USER_BUFFER, 0,
];

/** The step table of a path for one phase (0 = setup, 1 = per chunk); called by the exports and by count(). */
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
