// A loopback TCP sender in C, for the machine profile's network micro-benchmarks. It sends one block of memory
// again and again to 127.0.0.1:<port>, then half-closes and waits for the receiver's reply, and prints what it
// cost as one JSON line. No file is read: this measures the socket half of a transfer, not a transfer path.
//
//   loopback-sender <port> <block file> <total bytes> <write bytes> copy|borrow [pause microseconds [cpu]]
//
// (cpu: pin the sender to that CPU; the profile does not, as the experiment's processes are not pinned either)
//
//   copy    write(2) of <write bytes> at a time: the kernel copies the bytes into socket buffers (copy_from_user)
//   borrow  vmsplice(2) the block into a pipe, then splice(2) pipe -> socket: the socket buffers reference the
//           block's pages instead of copying them, as they reference page-cache pages under sendfile and splice
//
// With a pause, the sender sleeps after every send call, long enough for the receiver to drain it: the receiver
// always keeps up, so the sender's own context carries each segment all the way into the receiving socket.
// The socket is blocking and Nagle is off (TCP_NODELAY), like the experiment's sockets. Compiled by
// src/calibration/c-benchmark.ts with the system C compiler into the profile's scratch directory.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/** Prints a one-line JSON error for the parent and exits 1. */
static int fail(const char* what) {
  printf("{\"error\":\"%s: %s\"}\n", what, strerror(errno));
  return 1;
}

/** Seconds of a timeval. */
static double seconds(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec / 1e6; }

int main(int argc, char** argv) {
  if (argc < 6 || argc > 8) {
    fprintf(stderr, "usage: loopback-sender <port> <block file> <total bytes> <write bytes> copy|borrow [pause microseconds [cpu]]\n");
    return 2;
  }
  long pauseMicros = argc >= 7 ? atol(argv[6]) : 0;
  if (argc == 8 && atoi(argv[7]) >= 0) {
    // run on this CPU only: the receiver is pinned to another, so the two never share a core
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    CPU_SET(atoi(argv[7]), &cpus);
    if (sched_setaffinity(0, sizeof cpus, &cpus) != 0) return fail("sched_setaffinity");
  }
  struct timespec pause = {pauseMicros / 1000000, (pauseMicros % 1000000) * 1000};
  int port = atoi(argv[1]);
  long long total = atoll(argv[3]);
  long long writeBytes = atoll(argv[4]);
  int borrow = strcmp(argv[5], "borrow") == 0;
  // The block: page-aligned memory (vmsplice maps whole pages), filled from the parent's file so the receiver's
  // checksum can be checked.
  int blockFd = open(argv[2], O_RDONLY);
  if (blockFd < 0) return fail("open block file");
  long long block = lseek(blockFd, 0, SEEK_END);
  if (block <= 0 || total % block != 0 || block % writeBytes != 0) {
    errno = EINVAL;
    return fail("block size must divide the total and be a multiple of the write size");
  }
  char* buffer = mmap(NULL, (size_t)block, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (buffer == MAP_FAILED) return fail("mmap");
  if (pread(blockFd, buffer, (size_t)block, 0) != block) return fail("read block file");
  close(blockFd);

  int sock = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct sockaddr_in address = {0};
  address.sin_family = AF_INET;
  address.sin_port = htons((unsigned short)port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(sock, (struct sockaddr*)&address, sizeof address) != 0) return fail("connect");
  struct sockaddr_in local;
  socklen_t localLength = sizeof local;
  getsockname(sock, (struct sockaddr*)&local, &localLength);
  int pipeFds[2] = {-1, -1};
  if (borrow) {
    if (pipe(pipeFds) != 0) return fail("pipe");
    fcntl(pipeFds[1], F_SETPIPE_SZ, (int)writeBytes);  // best effort: a smaller pipe only means more calls
  }

  struct rusage before, after;
  struct timespec t0, t1;
  long long sent = 0, calls = 0;
  getrusage(RUSAGE_SELF, &before);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  while (sent < total) {
    char* piece = buffer + (sent % block);
    if (!borrow) {
      calls++;
      ssize_t n = write(sock, piece, (size_t)writeBytes);
      if (n <= 0) return fail("write");
      sent += n;
      if (pauseMicros > 0) nanosleep(&pause, NULL);
      continue;
    }
    // "vmsplice() ... maps ... user memory ... into a pipe" without copying it (vmsplice(2)); the pages stay
    // ours, so the block is never written while the socket may still reference it.
    struct iovec iov = {piece, (size_t)writeBytes};
    calls++;
    ssize_t n = vmsplice(pipeFds[1], &iov, 1, 0);
    if (n <= 0) return fail("vmsplice");
    for (ssize_t left = n; left > 0;) {
      calls++;
      // SPLICE_F_MORE while more follows, as the kernel's sendfile and the addon's splice loop pass it: TCP may then
      // hold a segment back until it can be sent full, or until an ACK releases it
      ssize_t m = splice(pipeFds[0], NULL, sock, NULL, (size_t)left, SPLICE_F_MOVE | (sent + n < total ? SPLICE_F_MORE : 0));
      if (m <= 0) return fail("splice");
      left -= m;
    }
    sent += n;
    if (pauseMicros > 0) nanosleep(&pause, NULL);
  }
  shutdown(sock, SHUT_WR);
  char reply[64];
  ssize_t got = 0, r;
  while ((r = read(sock, reply + got, sizeof reply - 1 - (size_t)got)) > 0) got += r;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  getrusage(RUSAGE_SELF, &after);
  reply[got] = 0;
  printf("{\"localPort\":%d,\"bytes\":%lld,\"calls\":%lld,\"wallSeconds\":%.9f,\"userSeconds\":%.6f,\"systemSeconds\":%.6f,\"reply\":\"%s\"}\n",
         ntohs(local.sin_port), sent, calls, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
         seconds(after.ru_utime) - seconds(before.ru_utime), seconds(after.ru_stime) - seconds(before.ru_stime),
         strncmp(reply, "done\n", 5) == 0 ? "done" : "other");
  return 0;
}
