// Where bytes can be, who moves them, and in which CPU mode: the vocabulary of every data path.
// The numbers cross the WebAssembly boundary; src/model/vocabulary.ts gives them names in the same order.

/** Places on the data path, in the order ByteByteGo's diagram draws them left to right. */
export const DISK: i32 = 0;
export const PAGE_CACHE: i32 = 1;
export const USER_BUFFER: i32 = 2;
export const SOCKET_BUFFER: i32 = 3;
export const NIC: i32 = 4;
export const PIPE: i32 = 5; // splice's in-kernel pipe: holds page references, not bytes
export const NETWORK: i32 = 6; // the wire, and the producer or consumer at its other end

/** Who does the work of a step. */
export const ACTOR_CPU: i32 = 0; // a CPU copy: the core touches every byte
export const ACTOR_DMA: i32 = 1; // a DMA engine copies; the CPU only programs it
export const ACTOR_SYSCALL: i32 = 2; // the kernel's bookkeeping in a call, no payload byte: a mode switch, a descriptor, a page fault
export const ACTOR_NIC: i32 = 3; // the network card puts the bytes on the wire, or takes them off it

/** What a step is. */
export const KIND_TO_KERNEL: i32 = 0; // user -> kernel mode switch (syscall entry)
export const KIND_TO_USER: i32 = 1; // kernel -> user mode switch (syscall return)
export const KIND_COPY: i32 = 2; // bytes move from one place to another
export const KIND_DESCRIPTOR: i32 = 3; // only (address, length) is appended: scatter-gather DMA
export const KIND_FAULT: i32 = 4; // a page fault maps file pages into the process (mmap)
export const KIND_WIRE: i32 = 5; // the NIC sends the bytes out, or receives them: they cross the network

/** The CPU mode the sending/receiving process is in while the step happens. */
export const MODE_USER: i32 = 0;
export const MODE_KERNEL: i32 = 1;

/** The system call a step happens inside, or the kernel context that does it asynchronously. */
export const CALL_READ: i32 = 0;
export const CALL_WRITE: i32 = 1;
export const CALL_SENDFILE: i32 = 2;
export const CALL_SPLICE: i32 = 3;
export const CALL_RECV: i32 = 4;
export const CALL_FSYNC: i32 = 5;
export const CALL_MMAP: i32 = 6;
export const CALL_SOFTIRQ: i32 = 7; // the receive path after the NIC interrupts (NAPI poll, IP, TCP): no syscall of ours runs
export const CALL_WRITEBACK: i32 = 8; // the kernel's flusher thread writes dirty pages back later
export const CALL_NIC: i32 = 9; // the NIC on its own, outside any call of ours: no CPU works
