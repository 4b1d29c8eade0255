// The workbook's native addon: the system calls Node does not expose, each a small, visible loop.
//
//   sendfile(fileFd, sockFd, offset, length)          -> Promise<{ bytes, calls, polls }>  file -> socket in the kernel
//   splice(fileFd, sockFd, offset, length)            -> Promise<{ bytes, calls, polls }>  file -> pipe -> socket
//   readWrite(fileFd, sockFd, offset, length, chunk)  -> Promise<{ bytes, calls, polls }>  the C control: pread + write
//   fadviseDontNeed(fd)                                posix_fadvise(POSIX_FADV_DONTNEED) over the whole file
//   residentPages(fd)                                  { resident, total } pages of the file in the page cache (mmap + mincore)
//   getrusage()                                        this process's rusage (all threads)
//   alignedBuffer(size, alignment)                     a zeroed Buffer at an aligned address, for O_DIRECT
//   crc32c, crc32cImplementation                       CRC32C for Kafka record batches (crc32c.cc)
//   sendfileSome, writeSome, watchWritable, unwatchWritable   non-blocking sends for the broker (socket-send.cc)
//
// Transfers run on libuv's thread pool (Napi::AsyncWorker) so the event loop stays free. Both fds are
// duplicated on the JS thread before the worker starts: if JS closes the socket meanwhile, the fd number
// can be reused by something else, but our copy still names the same socket. The socket stays
// non-blocking (libuv set O_NONBLOCK on the shared file description); on EAGAIN the loop poll()s for
// POLLOUT and counts the poll as a system call, so `calls + polls` is what the loop asked the kernel.
#include <napi.h>

void RegisterCrc32c(Napi::Env env, Napi::Object exports);      // crc32c.cc
void RegisterSocketSend(Napi::Env env, Napi::Object exports);  // socket_send.cc

#ifdef __linux__
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace {

// Linux moves at most MAX_RW_COUNT (INT_MAX rounded down to a page) per read/write/sendfile/splice call.
constexpr int64_t kMaxRwCount = 0x7ffff000;
// A peer that accepts nothing for this long is treated as gone: the worker must not hold a pool thread forever.
constexpr int kStallTimeoutMs = 30000;
// The pipe splice() goes through: 1 MiB is /proc/sys/fs/pipe-max-size's default, 16 pages the fallback.
constexpr int kWantedPipeBytes = 1 << 20;

enum class Kind { Sendfile, Splice, ReadWrite };

/** What a loop needs and what it reports; filled on the JS thread, run on a pool thread. */
struct Transfer {
  Kind kind;
  int fileFd = -1;  // our dup()
  int sockFd = -1;  // our dup()
  int64_t offset = 0;
  int64_t length = 0;
  int64_t chunk = 0;
  // results
  int64_t bytes = 0;
  int64_t calls = 0;
  int64_t polls = 0;
  int err = 0;            // errno of the failure, 0 when none (kernel error) or when `what` is a logic failure
  std::string what;       // empty on success
};

/** Records a failure: which call, the errno text, how far it got. Called by the loops. */
void Fail(Transfer& t, const char* call, int err) {
  t.err = err;
  t.what = std::string(call) + " failed: " + (err ? strerror(err) : "unexpected end of file") + " after " +
           std::to_string(t.bytes) + " of " + std::to_string(t.length) + " bytes";
}

/** Waits until the socket can take more bytes; false (with the failure recorded) on stall or poll error. */
bool WaitWritable(Transfer& t) {
  for (;;) {
    struct pollfd p = {t.sockFd, POLLOUT, 0};
    t.polls++;
    int r = poll(&p, 1, kStallTimeoutMs);
    if (r > 0) {
      if (p.revents & POLLNVAL) {
        Fail(t, "poll", EBADF);
        return false;
      }
      return true;  // POLLOUT, or POLLERR/POLLHUP: the next send reports the real error
    }
    if (r == 0) {
      Fail(t, "poll (receiver stopped reading)", ETIMEDOUT);
      return false;
    }
    if (errno != EINTR) {
      Fail(t, "poll", errno);
      return false;
    }
  }
}

/** file -> socket without a user-space copy. Called by TransferWorker::Execute. */
void SendfileLoop(Transfer& t) {
  off_t offset = t.offset;
  while (t.bytes < t.length) {
    size_t want = static_cast<size_t>(std::min(t.length - t.bytes, kMaxRwCount));
    // "sendfile() copies data between one file descriptor and another. Because this copying is done
    //  within the kernel, sendfile() is more efficient than the combination of read(2) and write(2)" (sendfile(2))
    t.calls++;
    ssize_t n = sendfile(t.sockFd, t.fileFd, &offset, want);
    if (n > 0) {
      t.bytes += n;
    } else if (n == 0) {
      Fail(t, "sendfile", 0);  // the file is shorter than offset + length
      return;
    } else if (errno == EAGAIN) {
      if (!WaitWritable(t)) return;
    } else if (errno != EINTR) {
      Fail(t, "sendfile", errno);
      return;
    }
  }
}

/** Pushes `count` bytes already in the pipe out to the socket. Called by SpliceLoop. */
bool DrainPipe(Transfer& t, int pipeRead, int64_t count) {
  while (count > 0) {
    // SPLICE_F_MORE only while more follows: on the last piece it would hold back the final segment.
    unsigned flags = SPLICE_F_MOVE | SPLICE_F_NONBLOCK | (t.bytes + count < t.length ? SPLICE_F_MORE : 0);
    t.calls++;
    ssize_t n = splice(pipeRead, nullptr, t.sockFd, nullptr, static_cast<size_t>(count), flags);
    if (n > 0) {
      t.bytes += n;
      count -= n;
    } else if (n < 0 && errno == EAGAIN) {
      if (!WaitWritable(t)) return false;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      Fail(t, "splice (pipe to socket)", n == 0 ? EPIPE : errno);
      return false;
    }
  }
  return true;
}

/** file -> pipe -> socket: splice moves page references, one of the two ends must be a pipe. */
void SpliceLoop(Transfer& t) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    Fail(t, "pipe2", errno);
    return;
  }
  fcntl(fds[1], F_SETPIPE_SZ, kWantedPipeBytes);  // best effort; the real size is read back
  int pipeBytes = fcntl(fds[1], F_GETPIPE_SZ);
  if (pipeBytes <= 0) pipeBytes = 65536;
  loff_t offset = t.offset;
  while (t.bytes < t.length) {
    size_t want = static_cast<size_t>(std::min<int64_t>(t.length - t.bytes, pipeBytes));
    // "splice() moves data between two file descriptors without copying between kernel address space
    //  and user address space ... one of the file descriptors must refer to a pipe." (splice(2))
    t.calls++;
    ssize_t n = splice(t.fileFd, &offset, fds[1], nullptr, want, SPLICE_F_MOVE | SPLICE_F_MORE);
    if (n == 0) {
      Fail(t, "splice (file to pipe)", 0);
      break;
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      Fail(t, "splice (file to pipe)", errno);
      break;
    }
    if (!DrainPipe(t, fds[0], n)) break;
  }
  close(fds[0]);
  close(fds[1]);
}

/** The control: read into a user buffer, write it out, as a C program would. Called by TransferWorker. */
void ReadWriteLoop(Transfer& t) {
  // No bigger than the transfer: a 2 GiB chunk for a 4 KiB send would only waste memory.
  std::vector<char> buffer(static_cast<size_t>(std::max<int64_t>(1, std::min(t.chunk, t.length))));
  off_t offset = t.offset;
  while (t.bytes < t.length) {
    size_t want = static_cast<size_t>(std::min(t.length - t.bytes, t.chunk));
    t.calls++;
    ssize_t n = pread(t.fileFd, buffer.data(), want, offset);  // pread: our dup shares the file offset with JS
    if (n == 0) {
      Fail(t, "read", 0);
      return;
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      Fail(t, "read", errno);
      return;
    }
    offset += n;
    ssize_t done = 0;
    while (done < n) {
      t.calls++;
      ssize_t w = write(t.sockFd, buffer.data() + done, static_cast<size_t>(n - done));
      if (w > 0) {
        done += w;
        t.bytes += w;
      } else if (w < 0 && errno == EAGAIN) {
        if (!WaitWritable(t)) return;
      } else if (w < 0 && errno == EINTR) {
        continue;
      } else {
        Fail(t, "write", w == 0 ? EPIPE : errno);
        return;
      }
    }
  }
}

/** Runs one transfer on the thread pool and settles its promise. Created by StartTransfer. */
class TransferWorker : public Napi::AsyncWorker {
 public:
  TransferWorker(Napi::Env env, const Transfer& t)
      : Napi::AsyncWorker(env, "zeroCopyTransfer"), deferred_(Napi::Promise::Deferred::New(env)), t_(t) {}
  ~TransferWorker() override {
    if (t_.fileFd >= 0) close(t_.fileFd);
    if (t_.sockFd >= 0) close(t_.sockFd);
  }
  Napi::Promise Promise() const { return deferred_.Promise(); }

  /** Pool thread: the loop itself; no JS here. */
  void Execute() override {
    switch (t_.kind) {
      case Kind::Sendfile: SendfileLoop(t_); break;
      case Kind::Splice: SpliceLoop(t_); break;
      case Kind::ReadWrite: ReadWriteLoop(t_); break;
    }
  }

  /** JS thread: resolve with the counters, or reject with an Error carrying code/bytes. */
  void OnOK() override {
    Napi::Env env = Env();
    if (!t_.what.empty()) {
      Napi::Error error = Napi::Error::New(env, t_.what);
      error.Set("code", Napi::String::New(env, t_.err ? ErrnoName(t_.err) : "ESHORTFILE"));
      error.Set("bytesSent", Napi::Number::New(env, static_cast<double>(t_.bytes)));
      deferred_.Reject(error.Value());
      return;
    }
    Napi::Object result = Napi::Object::New(env);
    result.Set("bytes", Napi::Number::New(env, static_cast<double>(t_.bytes)));
    result.Set("calls", Napi::Number::New(env, static_cast<double>(t_.calls)));
    result.Set("polls", Napi::Number::New(env, static_cast<double>(t_.polls)));
    deferred_.Resolve(result);
  }

  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  /** The symbolic errno names callers test for. */
  static const char* ErrnoName(int err) {
    switch (err) {
      case EPIPE: return "EPIPE";
      case ECONNRESET: return "ECONNRESET";
      case ETIMEDOUT: return "ETIMEDOUT";
      case EBADF: return "EBADF";
      case EINVAL: return "EINVAL";
      case EIO: return "EIO";
      case ENOTCONN: return "ENOTCONN";
      default: return "ESYSCALL";
    }
  }
  Napi::Promise::Deferred deferred_;
  Transfer t_;
};

/** Throws a JS Error "<what>: <strerror>" and returns undefined; for the synchronous functions. */
Napi::Value ThrowErrno(Napi::Env env, const std::string& what, int err) {
  Napi::Error::New(env, what + ": " + strerror(err)).ThrowAsJavaScriptException();
  return env.Undefined();
}

/** Reads argument i as a whole number >= min; throws a TypeError naming it otherwise. */
bool ReadInteger(const Napi::CallbackInfo& info, size_t i, const char* name, int64_t min, int64_t* out) {
  Napi::Env env = info.Env();
  if (i >= info.Length() || !info[i].IsNumber()) {
    Napi::TypeError::New(env, std::string(name) + " must be a number").ThrowAsJavaScriptException();
    return false;
  }
  double v = info[i].As<Napi::Number>().DoubleValue();
  if (!(v >= static_cast<double>(min)) || v > 9007199254740991.0 || v != static_cast<double>(static_cast<int64_t>(v))) {
    Napi::RangeError::New(env, std::string(name) + " must be a whole number >= " + std::to_string(min))
        .ThrowAsJavaScriptException();
    return false;
  }
  *out = static_cast<int64_t>(v);
  return true;
}

/** Validates the arguments, duplicates the fds and queues the worker. Called by the three transfer exports. */
Napi::Value StartTransfer(const Napi::CallbackInfo& info, Kind kind) {
  Napi::Env env = info.Env();
  int64_t fileFd, sockFd;
  Transfer t;
  t.kind = kind;
  if (!ReadInteger(info, 0, "fileFd", 0, &fileFd) || !ReadInteger(info, 1, "socketFd", 0, &sockFd) ||
      !ReadInteger(info, 2, "offset", 0, &t.offset) || !ReadInteger(info, 3, "length", 0, &t.length)) {
    return env.Undefined();
  }
  t.chunk = kMaxRwCount;
  if (kind == Kind::ReadWrite && !ReadInteger(info, 4, "chunk", 1, &t.chunk)) return env.Undefined();
  struct stat st;
  if (fstat(static_cast<int>(fileFd), &st) != 0) return ThrowErrno(env, "fileFd " + std::to_string(fileFd), errno);
  if (!S_ISREG(st.st_mode)) {
    Napi::TypeError::New(env, "fileFd must refer to a regular file").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (fstat(static_cast<int>(sockFd), &st) != 0) return ThrowErrno(env, "socketFd " + std::to_string(sockFd), errno);
  if (!S_ISSOCK(st.st_mode)) {
    Napi::TypeError::New(env, "socketFd must refer to a socket").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  // Our own copies of both fds, closed by the worker's destructor: a socket closed by JS cannot be hit.
  t.fileFd = fcntl(static_cast<int>(fileFd), F_DUPFD_CLOEXEC, 0);
  if (t.fileFd < 0) return ThrowErrno(env, "dup(fileFd)", errno);
  t.sockFd = fcntl(static_cast<int>(sockFd), F_DUPFD_CLOEXEC, 0);
  if (t.sockFd < 0) {
    int err = errno;
    close(t.fileFd);
    return ThrowErrno(env, "dup(socketFd)", err);
  }
  TransferWorker* worker = new TransferWorker(env, t);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value Sendfile(const Napi::CallbackInfo& info) { return StartTransfer(info, Kind::Sendfile); }
Napi::Value Splice(const Napi::CallbackInfo& info) { return StartTransfer(info, Kind::Splice); }
Napi::Value ReadWrite(const Napi::CallbackInfo& info) { return StartTransfer(info, Kind::ReadWrite); }

/** Drops the file's clean pages from the page cache: the workbook's "cold cache" without drop_caches. */
Napi::Value FadviseDontNeed(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t fd;
  if (!ReadInteger(info, 0, "fd", 0, &fd)) return env.Undefined();
  // "POSIX_FADV_DONTNEED attempts to free cached pages associated with the specified region.
  //  ... dirty pages which have not been synchronized will not be freed" (posix_fadvise(2)): fsync first.
  int err = posix_fadvise(static_cast<int>(fd), 0, 0, POSIX_FADV_DONTNEED);
  if (err != 0) return ThrowErrno(env, "posix_fadvise(DONTNEED)", err);
  return env.Undefined();
}

/** Counts the file's pages that are in the page cache (mmap without touching, then mincore). */
Napi::Value ResidentPages(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t fd;
  if (!ReadInteger(info, 0, "fd", 0, &fd)) return env.Undefined();
  struct stat st;
  if (fstat(static_cast<int>(fd), &st) != 0) return ThrowErrno(env, "fstat", errno);
  long page = sysconf(_SC_PAGESIZE);
  size_t size = static_cast<size_t>(st.st_size);
  size_t total = (size + page - 1) / page;
  size_t resident = 0;
  if (size > 0) {
    void* map = mmap(nullptr, size, PROT_READ, MAP_SHARED, static_cast<int>(fd), 0);
    if (map == MAP_FAILED) return ThrowErrno(env, "mmap", errno);
    std::vector<unsigned char> vec(total);
    // "mincore() returns a vector that indicates whether pages of the calling process's virtual memory
    //  are resident in core (RAM)" (mincore(2)); for a shared file mapping that is the page cache.
    int r = mincore(map, size, vec.data());
    int err = errno;
    munmap(map, size);
    if (r != 0) return ThrowErrno(env, "mincore", err);
    for (unsigned char v : vec) resident += v & 1;
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("resident", Napi::Number::New(env, static_cast<double>(resident)));
  out.Set("total", Napi::Number::New(env, static_cast<double>(total)));
  out.Set("pageSize", Napi::Number::New(env, static_cast<double>(page)));
  return out;
}

/** getrusage(RUSAGE_SELF): CPU time, faults and context switches of every thread of this process. */
Napi::Value GetRusage(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0) return ThrowErrno(env, "getrusage", errno);
  auto micros = [](const struct timeval& tv) { return static_cast<double>(tv.tv_sec) * 1e6 + tv.tv_usec; };
  Napi::Object out = Napi::Object::New(env);
  out.Set("userMicros", micros(ru.ru_utime));
  out.Set("systemMicros", micros(ru.ru_stime));
  out.Set("maxRssKiB", static_cast<double>(ru.ru_maxrss));
  out.Set("minorFaults", static_cast<double>(ru.ru_minflt));
  out.Set("majorFaults", static_cast<double>(ru.ru_majflt));
  out.Set("voluntarySwitches", static_cast<double>(ru.ru_nvcsw));
  out.Set("involuntarySwitches", static_cast<double>(ru.ru_nivcsw));
  out.Set("blockInputs", static_cast<double>(ru.ru_inblock));
  out.Set("blockOutputs", static_cast<double>(ru.ru_oublock));
  return out;
}

/** A zeroed Buffer whose address is a multiple of `alignment`: O_DIRECT needs aligned memory. */
Napi::Value AlignedBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t size, alignment;
  if (!ReadInteger(info, 0, "size", 1, &size) || !ReadInteger(info, 1, "alignment", 1, &alignment)) {
    return env.Undefined();
  }
  void* p = nullptr;
  int err = posix_memalign(&p, static_cast<size_t>(alignment), static_cast<size_t>(size));
  if (err != 0) return ThrowErrno(env, "posix_memalign", err);
  memset(p, 0, static_cast<size_t>(size));
  return Napi::Buffer<uint8_t>::New(env, static_cast<uint8_t*>(p), static_cast<size_t>(size),
                                    [](Napi::Env, uint8_t* data) { free(data); });
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("platformSupported", Napi::Boolean::New(env, true));
  exports.Set("sendfile", Napi::Function::New(env, Sendfile, "sendfile"));
  exports.Set("splice", Napi::Function::New(env, Splice, "splice"));
  exports.Set("readWrite", Napi::Function::New(env, ReadWrite, "readWrite"));
  exports.Set("fadviseDontNeed", Napi::Function::New(env, FadviseDontNeed, "fadviseDontNeed"));
  exports.Set("residentPages", Napi::Function::New(env, ResidentPages, "residentPages"));
  exports.Set("getrusage", Napi::Function::New(env, GetRusage, "getrusage"));
  exports.Set("alignedBuffer", Napi::Function::New(env, AlignedBuffer, "alignedBuffer"));
  RegisterCrc32c(env, exports);
  RegisterSocketSend(env, exports);
  return exports;
}

#else  // not Linux: sendfile/splice/mincore as used here are Linux calls; say so instead of failing the build.

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("platformSupported", Napi::Boolean::New(env, false));
  RegisterCrc32c(env, exports);  // portable: the table loop works everywhere
  return exports;
}

#endif

NODE_API_MODULE(zero_copy, Init)
