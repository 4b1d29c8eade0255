// Non-blocking sends for a server that must never wait on a slow reader: one system call per JS call, on
// the event loop, and a writability watch that lives on the event loop too (never on libuv's thread pool).
//
//   sendfileSome(fileFd, sockFd, offset, length) -> bytes sent (> 0), or -1 when the socket is full (EAGAIN)
//   writeSome(sockFd, bytes, start, end)         -> bytes written (> 0), or -1 when the socket is full
//   watchWritable(sockFd, callback) -> id         callback(status) once: 0 = writable (or hung up: the next
//                                                 send reports why), < 0 = -errno of the poll
//   unwatchWritable(id)                           stops a watch that has not fired; a no-op after it fired
//
// This is how Kafka's network threads serve a fetch: FileChannel.transferTo (sendfile) on a non-blocking
// SocketChannel, and when it moves fewer bytes than asked, the selector waits for OP_WRITE. A reader that
// stops reading then costs a registered file descriptor, not a thread.
//
// The watch polls a dup() of the socket: libuv keeps one watcher per fd, and Node's own TCP handle already
// owns the socket's fd. epoll(7): "it is possible to add a duplicate (dup(2) ...) file descriptor to the
// same epoll instance". Not thread-safe: call from the JS thread that loaded the addon.
#include <napi.h>

#ifdef __linux__
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include <cstdint>
#include <string>
#include <unordered_map>

namespace {

// Linux moves at most MAX_RW_COUNT (INT_MAX rounded down to a page) per sendfile/write call.
constexpr int64_t kMaxRwCount = 0x7ffff000;

/** Throws "<call> failed: <strerror>" with `code` set to the errno name, and returns undefined. */
Napi::Value ThrowSendError(Napi::Env env, const char* call, int err) {
  Napi::Error error = Napi::Error::New(env, std::string(call) + " failed: " + strerror(err));
  const char* code = err == EPIPE        ? "EPIPE"
                     : err == ECONNRESET ? "ECONNRESET"
                     : err == EBADF      ? "EBADF"
                     : err == EINVAL     ? "EINVAL"
                     : err == ENOTCONN   ? "ENOTCONN"
                     : err == EIO        ? "EIO"
                                         : "ESYSCALL";
  error.Set("code", Napi::String::New(env, code));
  error.ThrowAsJavaScriptException();
  return env.Undefined();
}

/** Reads argument i as a whole number in [min, max]; throws a RangeError naming it otherwise. */
bool Whole(const Napi::CallbackInfo& info, size_t i, const char* name, double min, double max, int64_t* out) {
  double v = i < info.Length() && info[i].IsNumber() ? info[i].As<Napi::Number>().DoubleValue() : -1e300;
  if (!(v >= min) || v > max || v != static_cast<double>(static_cast<int64_t>(v))) {
    Napi::RangeError::New(info.Env(), std::string(name) + " must be a whole number from " +
                                          std::to_string(static_cast<int64_t>(min)) + " to " +
                                          std::to_string(static_cast<int64_t>(max)))
        .ThrowAsJavaScriptException();
    return false;
  }
  *out = static_cast<int64_t>(v);
  return true;
}

/** JS: sendfileSome(fileFd, sockFd, offset, length): one sendfile(2) on a non-blocking socket. */
Napi::Value SendfileSome(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t fileFd, sockFd, offset, length;
  if (!Whole(info, 0, "fileFd", 0, INT32_MAX, &fileFd) || !Whole(info, 1, "sockFd", 0, INT32_MAX, &sockFd) ||
      !Whole(info, 2, "offset", 0, 9007199254740991.0, &offset) || !Whole(info, 3, "length", 1, 9007199254740991.0, &length)) {
    return env.Undefined();
  }
  off_t position = static_cast<off_t>(offset);
  size_t want = static_cast<size_t>(length < kMaxRwCount ? length : kMaxRwCount);
  for (;;) {
    // "sendfile() copies data between one file descriptor and another. Because this copying is done
    //  within the kernel, sendfile() is more efficient than the combination of read(2) and write(2)" (sendfile(2))
    ssize_t n = sendfile(static_cast<int>(sockFd), static_cast<int>(fileFd), &position, want);
    if (n > 0) return Napi::Number::New(env, static_cast<double>(n));
    if (n == 0) {
      Napi::Error error = Napi::Error::New(env, "sendfile moved 0 bytes: the file ends before offset + length");
      error.Set("code", Napi::String::New(env, "ESHORTFILE"));
      error.ThrowAsJavaScriptException();
      return env.Undefined();
    }
    if (errno == EAGAIN) return Napi::Number::New(env, -1);
    if (errno != EINTR) return ThrowSendError(env, "sendfile", errno);
  }
}

/** JS: writeSome(sockFd, bytes, start, end): one write(2) of bytes[start, end) on a non-blocking socket. */
Napi::Value WriteSome(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t sockFd, start, end;
  if (!Whole(info, 0, "sockFd", 0, INT32_MAX, &sockFd)) return env.Undefined();
  if (info.Length() < 2 || !info[1].IsTypedArray() || info[1].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    Napi::TypeError::New(env, "bytes must be a Buffer or Uint8Array").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  auto bytes = info[1].As<Napi::Uint8Array>();
  double size = static_cast<double>(bytes.ElementLength());
  if (!Whole(info, 2, "start", 0, size, &start) || !Whole(info, 3, "end", static_cast<double>(start) + 1, size, &end)) {
    return env.Undefined();
  }
  size_t want = static_cast<size_t>(end - start < kMaxRwCount ? end - start : kMaxRwCount);
  for (;;) {
    ssize_t n = write(static_cast<int>(sockFd), bytes.Data() + start, want);
    if (n > 0) return Napi::Number::New(env, static_cast<double>(n));
    if (n < 0 && errno == EAGAIN) return Napi::Number::New(env, -1);
    if (n < 0 && errno == EINTR) continue;
    return ThrowSendError(env, "write", n == 0 ? EPIPE : errno);
  }
}

/** One writability watch: a uv_poll on our dup of the socket, and the JS callback to call once. */
struct Watch {
  uv_poll_t poll;
  int fd = -1;  // our dup(), closed when the handle is closed
  uint32_t id = 0;
  Napi::FunctionReference callback;
  Napi::AsyncContext* context = nullptr;
  napi_env env = nullptr;
};

/** Live watches by id, so unwatchWritable can never touch a freed one. JS thread only. */
std::unordered_map<uint32_t, Watch*> watches;
uint32_t nextId = 1;

/** uv_close callback: the handle is gone, release everything. */
void OnClosed(uv_handle_t* handle) {
  Watch* w = static_cast<Watch*>(handle->data);
  if (w->fd >= 0) close(w->fd);
  delete w->context;
  w->callback.Reset();
  delete w;
}

/** Stops the poll (epoll_ctl DEL happens in uv_poll_stop), forgets the watch and closes the handle. */
void Finish(Watch* w) {
  uv_poll_stop(&w->poll);
  watches.erase(w->id);
  uv_close(reinterpret_cast<uv_handle_t*>(&w->poll), OnClosed);
}

/** uv_poll callback on the event loop: the socket can take bytes again (or broke); tell JS once. */
void OnWritable(uv_poll_t* handle, int status, int /*events*/) {
  Watch* w = static_cast<Watch*>(handle->data);
  Napi::Env env(w->env);
  Napi::HandleScope scope(env);
  Napi::FunctionReference callback = std::move(w->callback);
  Napi::AsyncContext* context = w->context;
  w->context = nullptr;
  Finish(w);
  // MakeCallback with an async context runs queued microtasks afterwards, as any libuv callback into JS must.
  callback.MakeCallback(env.Global(), {Napi::Number::New(env, status)}, *context);
  delete context;
  // A throwing callback must surface as an uncaught exception, not vanish in a libuv callback.
  if (env.IsExceptionPending()) napi_fatal_exception(env, env.GetAndClearPendingException().Value());
}

/** JS: watchWritable(sockFd, callback) -> id. */
Napi::Value WatchWritable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t sockFd;
  if (!Whole(info, 0, "sockFd", 0, INT32_MAX, &sockFd)) return env.Undefined();
  if (info.Length() < 2 || !info[1].IsFunction()) {
    Napi::TypeError::New(env, "callback must be a function").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  struct stat st;
  if (fstat(static_cast<int>(sockFd), &st) != 0 || !S_ISSOCK(st.st_mode)) {
    Napi::TypeError::New(env, "sockFd must be an open socket").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) {
    Napi::Error::New(env, "watchWritable: no event loop").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int fd = fcntl(static_cast<int>(sockFd), F_DUPFD_CLOEXEC, 0);
  if (fd < 0) return ThrowSendError(env, "dup", errno);
  Watch* w = new Watch();
  w->fd = fd;
  w->env = env;
  int r = uv_poll_init(loop, &w->poll, fd);
  if (r != 0) {
    close(fd);
    delete w;
    Napi::Error::New(env, std::string("uv_poll_init failed: ") + uv_strerror(r)).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  w->poll.data = w;
  w->id = nextId++;
  if (nextId == 0) nextId = 1;
  w->callback = Napi::Persistent(info[1].As<Napi::Function>());
  w->context = new Napi::AsyncContext(env, "watchWritable");
  r = uv_poll_start(&w->poll, UV_WRITABLE | UV_DISCONNECT, OnWritable);
  if (r != 0) {
    w->callback.Reset();
    uv_close(reinterpret_cast<uv_handle_t*>(&w->poll), OnClosed);
    Napi::Error::New(env, std::string("uv_poll_start failed: ") + uv_strerror(r)).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  watches[w->id] = w;
  return Napi::Number::New(env, w->id);
}

/** JS: unwatchWritable(id). */
Napi::Value UnwatchWritable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t id;
  if (!Whole(info, 0, "id", 0, UINT32_MAX, &id)) return env.Undefined();
  auto found = watches.find(static_cast<uint32_t>(id));
  if (found != watches.end()) Finish(found->second);
  return env.Undefined();
}

}  // namespace

/** Adds the non-blocking send functions to the addon's exports; called by the addon's Init. */
void RegisterSocketSend(Napi::Env env, Napi::Object exports) {
  exports.Set("sendfileSome", Napi::Function::New(env, SendfileSome, "sendfileSome"));
  exports.Set("writeSome", Napi::Function::New(env, WriteSome, "writeSome"));
  exports.Set("watchWritable", Napi::Function::New(env, WatchWritable, "watchWritable"));
  exports.Set("unwatchWritable", Napi::Function::New(env, UnwatchWritable, "unwatchWritable"));
}

#else  // not Linux: sendfile(2) as used here is Linux's.

void RegisterSocketSend(Napi::Env, Napi::Object) {}

#endif
