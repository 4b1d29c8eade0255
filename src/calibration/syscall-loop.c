// The cost of one system call, timed from C so no language runtime sits between the clock and the kernel:
// `calls` 1-byte read(2)s of /dev/zero (a real read, as the transfer paths make, with a copy too small to matter),
// `runs` times, each run's CPU time per call printed as one JSON array. CPU time (CLOCK_PROCESS_CPUTIME_ID, the
// scheduler's runtime count): the wall clock would also count time our core spent on other processes, and
// getrusage's split into user and system is sampled per tick, too coarse for calls of about 100 ns.
//
//   syscall-loop <calls> <runs>
//
// Compiled by src/calibration/c-benchmark.ts with the system C compiler into the profile's scratch directory.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: syscall-loop <calls> <runs>\n");
    return 2;
  }
  long calls = atol(argv[1]);
  int runs = atoi(argv[2]);
  int fd = open("/dev/zero", O_RDONLY);
  if (fd < 0 || calls < 1 || runs < 1) {
    printf("{\"error\":\"cannot open /dev/zero or bad arguments\"}\n");
    return 1;
  }
  char byte;
  for (long i = 0; i < calls / 10; i++) read(fd, &byte, 1);  // warm up the caches and the branch predictors
  printf("{\"secondsPerCall\":[");
  for (int run = 0; run < runs; run++) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    for (long i = 0; i < calls; i++) {
      if (read(fd, &byte, 1) != 1) {
        printf("]}\n");
        return 1;
      }
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%s%.12g", run == 0 ? "" : ",", seconds / (double)calls);
  }
  printf("]}\n");
  close(fd);
  return 0;
}
