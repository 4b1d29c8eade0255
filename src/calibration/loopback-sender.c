// A loopback TCP sender in C, for the machine profile's network micro-benchmarks. It sends one block (a small
// file, read once and cached) again and again to 127.0.0.1:<port>, then half-closes and waits for the receiver's
// reply, and prints what it cost as one JSON line. It measures the socket half of a transfer: the same few pages
// over and over, in calls of one size, paced or not; not a transfer path.
//
//   loopback-sender <port> <block file> <total bytes> <write bytes> copy|borrow [pause microseconds [cpu]]
//
// (cpu: pin the sender to that CPU; the profile does not, as the experiment's processes are not pinned either)
//
//   copy    write(2) of <write bytes> of the block, held in memory: the kernel copies the bytes into socket buffers
//   borrow  sendfile(2) of <write bytes> of the block file: the socket buffers reference its page-cache pages
//           instead of copying them, as under the experiment's sendfile and splice. (vmsplice of anonymous memory
//           references pages too, but on this kind of VM it cost the receiver half as much again per byte: its
//           pages are not the page cache's.)
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
#include <sys/sendfile.h>
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
  // The block: in memory for the copy sender (page-aligned, filled from the parent's file so the receiver's checksum
  // can be checked); the cached file itself for the borrowing one.
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
    // "sendfile() copies data between one file descriptor and another ... within the kernel" (sendfile(2)): on a
    // socket, the socket buffers take references to the file's cached pages; the block's pages stay cached
    off_t offset = (off_t)(sent % block);
    calls++;
    ssize_t n = sendfile(sock, blockFd, &offset, (size_t)writeBytes);
    if (n <= 0) return fail("sendfile");
    sent += n;
    if (pauseMicros > 0) nanosleep(&pause, NULL);
  }
  shutdown(sock, SHUT_WR);
  close(blockFd);
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
