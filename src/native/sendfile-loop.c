/* The benchmark's reference: a plain C program that sends a file over TCP with a blocking sendfile loop,
 * the way a C server would. Compiled at bench time with the system cc (src/bench/transfer-bench.ts) and
 * timed exactly like the workbook's sender: clock from the first sendfile to the receiver's "done" reply.
 *
 *   sendfile_loop <port> <file> <bytes>   ->  one JSON line on stdout
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Prints "sendfile_loop: <what>: <strerror>" and exits 1. */
static void die(const char *what) {
  fprintf(stderr, "sendfile_loop: %s: %s\n", what, strerror(errno));
  exit(1);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double micros(struct timeval tv) { return tv.tv_sec * 1e6 + tv.tv_usec; }

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: sendfile_loop <port> <file> <bytes>\n");
    return 2;
  }
  long long length = atoll(argv[3]);
  int file = open(argv[2], O_RDONLY);
  if (file < 0) die("open");
  int sock = socket(AF_INET, SOCK_STREAM, 0);
  if (sock < 0) die("socket");
  int one = 1;
  setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* as the Node sender (setNoDelay) */
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)atoi(argv[1]));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(sock, (struct sockaddr *)&addr, sizeof addr) != 0) die("connect");
  socklen_t len = sizeof addr;
  getsockname(sock, (struct sockaddr *)&addr, &len);

  struct rusage r0, r1;
  getrusage(RUSAGE_SELF, &r0);
  double t0 = now();
  off_t offset = 0;
  long long calls = 0;
  while (offset < length) {
    size_t want = (size_t)(length - offset < 0x7ffff000 ? length - offset : 0x7ffff000);
    calls++;
    ssize_t n = sendfile(sock, file, &offset, want); /* blocking socket: no EAGAIN, the kernel waits */
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die("sendfile");
    if (n == 0) {
      errno = 0;
      die("file ended early");
    }
  }
  shutdown(sock, SHUT_WR);
  char reply[16];
  size_t got = 0;
  for (;;) { /* wait for the receiver's "done\n" and its close */
    ssize_t n = read(sock, reply + got, sizeof reply - 1 - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die("read reply");
    if (n == 0) break;
    got += (size_t)n;
    if (got >= sizeof reply - 1) break;
  }
  double t1 = now();
  getrusage(RUSAGE_SELF, &r1);
  reply[got] = 0;
  printf("{\"localPort\":%d,\"bytes\":%lld,\"wallSeconds\":%.9f,\"calls\":%lld,\"userMicros\":%.0f,\"systemMicros\":%.0f,"
         "\"voluntarySwitches\":%ld,\"involuntarySwitches\":%ld,\"minorFaults\":%ld,\"majorFaults\":%ld,\"replyOk\":%s}\n",
         ntohs(addr.sin_port), (long long)offset, t1 - t0, calls, micros(r1.ru_utime) - micros(r0.ru_utime),
         micros(r1.ru_stime) - micros(r0.ru_stime), r1.ru_nvcsw - r0.ru_nvcsw, r1.ru_nivcsw - r0.ru_nivcsw,
         r1.ru_minflt - r0.ru_minflt, r1.ru_majflt - r0.ru_majflt, strcmp(reply, "done\n") == 0 ? "true" : "false");
  close(sock);
  close(file);
  return 0;
}
