// Node-API glue: turns the plain wrappers in syscalls.cc into promise-returning
// functions. Each primitive is one Job type: it reads its JS arguments
// (Parse), makes its call on one of the addon's pools (pool.h) (Execute), and
// turns what it got into a JS value (Result). The glue around them is shared:
// Submit queues a job, one thread-safe function per addon instance brings it
// back to the JS thread, and SettleOnJsThread settles its promise.
//
// Adding a primitive: a Job subclass here, its wrapper in syscalls.cc, one
// line in Init and its TypeScript signature in src/native.ts.
#include <napi.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "pool.h"
#include "readcache.h"
#include "syscalls.h"

namespace {

class Job;
void SettleOnJsThread(Napi::Env env, Napi::Function unused, std::nullptr_t* context, Job* job);
using Tsfn = Napi::TypedThreadSafeFunction<std::nullptr_t, Job, SettleOnJsThread>;

// One per addon instance (the main thread and each worker_thread get their
// own). Every job in flight holds a reference, so a pool thread that returns
// from a hung syscall after its environment was torn down still finds `open`
// false here instead of calling into a freed thread-safe function.
struct Channel {
  std::mutex mu;
  bool open = true;    // guarded by mu; once false, tsfn may already be freed
  Tsfn tsfn;           // called from pool threads only under mu while open
  size_t pending = 0;  // JS thread only: submitted jobs not yet settled
};
using ChannelRef = std::shared_ptr<Channel>;

// One call of one primitive. Created by its type's Parse on the JS thread,
// run on a pool thread, settled (and deleted) on the JS thread.
class Job : public nx::PoolTask {
 public:
  explicit Job(const char* syscall_name) : syscall(syscall_name) {}

  // Pool thread: make the call, then hand the job back.
  void Run() override {
    Execute();
    Post();
  }
  // Hands the job to the JS thread; from here on it may be deleted at any
  // moment, so this is the last thing a pool thread does with it.
  void Post() {
    // Our own reference: once queued, the JS thread may delete the job (and
    // its channel reference) before the lock below is released.
    const ChannelRef ch = channel;
    std::lock_guard<std::mutex> lock(ch->mu);
    if (!ch->open || ch->tsfn.NonBlockingCall(this) != napi_ok) delete this;
  }

  // Pool thread: the call itself; sets err on failure.
  virtual void Execute() = 0;
  // JS thread, err == 0: the value the promise resolves to.
  virtual Napi::Value Result(Napi::Env env) = 0;
  // Calls that may never return (a dead mount) get a thread of their own.
  virtual nx::PoolKind Pool() const { return nx::PoolKind::kBounded; }
  // The path a failed call names in its error, if it took one.
  virtual const std::string* ErrorPath() const { return nullptr; }
  // JS thread, before the job is queued: what the binding returns (the promise,
  // unless the primitive hands back more).
  virtual Napi::Value Returned(Napi::Env, Napi::Value promise) { return promise; }

  ChannelRef channel;
  // Created and settled on the JS thread only. If the environment goes away
  // first the deferred is never settled; its small handle is then leaked, as
  // nothing may touch JS state without an env.
  napi_deferred deferred = nullptr;
  const char* syscall;
  int err = 0;
};

// The errno names Node users match on; anything rarer becomes "E<number>".
std::string ErrnoName(int err) {
  switch (err) {
#define NX_ERRNO(name) \
  case name:           \
    return #name;
    NX_ERRNO(EPERM) NX_ERRNO(ENOENT) NX_ERRNO(ESRCH) NX_ERRNO(EINTR) NX_ERRNO(EIO)
    NX_ERRNO(ENXIO) NX_ERRNO(E2BIG) NX_ERRNO(EBADF) NX_ERRNO(EAGAIN) NX_ERRNO(ENOMEM)
    NX_ERRNO(EACCES) NX_ERRNO(EFAULT) NX_ERRNO(EBUSY) NX_ERRNO(EEXIST) NX_ERRNO(ENODEV)
    NX_ERRNO(ENOTDIR) NX_ERRNO(EISDIR) NX_ERRNO(EINVAL) NX_ERRNO(ENFILE) NX_ERRNO(EMFILE)
    NX_ERRNO(ENOSPC) NX_ERRNO(EROFS) NX_ERRNO(ENAMETOOLONG) NX_ERRNO(ENOSYS)
    NX_ERRNO(ELOOP) NX_ERRNO(EOVERFLOW) NX_ERRNO(ENOTSUP) NX_ERRNO(ENOTCONN)
    NX_ERRNO(ETIMEDOUT) NX_ERRNO(ECONNREFUSED) NX_ERRNO(EHOSTDOWN) NX_ERRNO(EHOSTUNREACH)
    NX_ERRNO(ESTALE) NX_ERRNO(EREMOTEIO) NX_ERRNO(ENOMEDIUM) NX_ERRNO(ECONNABORTED)
    NX_ERRNO(ENETDOWN) NX_ERRNO(ENETUNREACH) NX_ERRNO(ENOLINK) NX_ERRNO(ECOMM) NX_ERRNO(EFBIG) NX_ERRNO(EBADMSG) NX_ERRNO(EPROTONOSUPPORT)
    NX_ERRNO(ENOTTY)
#undef NX_ERRNO
    default:
      return "E" + std::to_string(err);
  }
}

Napi::Value MakeError(Napi::Env env, const Job& job) {
  char buf[256];
  // GNU strerror_r (g++ always defines _GNU_SOURCE): returns the message,
  // which may or may not be in buf.
  const char* message = strerror_r(job.err, buf, sizeof buf);
  Napi::Object error = Napi::Error::New(env, message).Value();
  error.Set("code", ErrnoName(job.err));
  error.Set("errno", job.err);
  error.Set("syscall", job.syscall);
  if (const std::string* path = job.ErrorPath()) error.Set("path", *path);
  return error;
}

// Runs on the JS thread for each finished job, or with a null env while the
// thread-safe function is being torn down (then only the memory is freed).
// During environment teardown it may also run with an env that can no longer
// run JS: the calls below then fail and are ignored (see binding.gyp).
void SettleOnJsThread(Napi::Env env, Napi::Function, std::nullptr_t*, Job* job) {
  const std::unique_ptr<Job> owned(job);
  if (env == nullptr) return;
  Channel& ch = *job->channel;
  // Only outstanding jobs keep the event loop alive.
  if (--ch.pending == 0) ch.tsfn.Unref(env);
  if (job->err != 0) {
    napi_reject_deferred(env, job->deferred, MakeError(env, *job));
  } else {
    napi_resolve_deferred(env, job->deferred, job->Result(env));
  }
}

Napi::Value Submit(Napi::Env env, std::unique_ptr<Job> job) {
  job->channel = *env.GetInstanceData<ChannelRef>();
  Channel& ch = *job->channel;
  {
    std::lock_guard<std::mutex> lock(ch.mu);
    if (!ch.open) {
      Napi::Error::New(env, "node_exporter_native: environment is shutting down").ThrowAsJavaScriptException();
      return env.Undefined();
    }
  }
  napi_value promise;
  if (napi_create_promise(env, &job->deferred, &promise) != napi_ok) {
    Napi::Error::New(env, "node_exporter_native: cannot create a promise").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const Napi::Value returned = job->Returned(env, Napi::Value(env, promise));
  if (ch.pending++ == 0) ch.tsfn.Ref(env);
  const int err = nx::PoolSubmit(job.get(), job->Pool());
  if (err != 0) {
    // No thread for it: fail this call now rather than let it wait behind
    // threads that may never come back.
    if (--ch.pending == 0) ch.tsfn.Unref(env);
    job->err = err;
    job->syscall = "pthread_create";
    napi_reject_deferred(env, job->deferred, MakeError(env, *job));
    return returned;
  }
  job.release();  // the pool owns it now
  return returned;
}

// The one binding every primitive goes through: J::Parse reads the arguments
// (or throws and returns null), Submit does the rest.
template <class J>
Napi::Value Bind(const Napi::CallbackInfo& info) {
  std::unique_ptr<J> job = J::Parse(info);
  if (job == nullptr) return info.Env().Undefined();
  return Submit(info.Env(), std::move(job));
}

// Throws a JS error of type E and returns null, for Parse functions.
template <class E>
std::nullptr_t Fail(Napi::Env env, const char* message) {
  E::New(env, message).ThrowAsJavaScriptException();
  return nullptr;
}

Napi::Number Num(Napi::Env env, uint64_t v) { return Napi::Number::New(env, static_cast<double>(v)); }

// A path argument the kernel sees as written: non-empty, no NUL (the kernel
// would stop at it and answer for a different path).
bool GoodPath(const std::string& path) { return !path.empty() && path.find('\0') == std::string::npos; }

// Splits the NUL-separated path list batches receive: one string conversion
// for the whole batch instead of one per path.
void SplitNulInto(const std::string& joined, std::vector<std::string>* into) {
  std::vector<std::string>& out = *into;
  for (size_t start = 0; start <= joined.size();) {
    size_t end = joined.find('\0', start);
    if (end == std::string::npos) end = joined.size();
    out.emplace_back(joined, start, end - start);
    start = end + 1;
  }
}

std::vector<std::string> SplitNul(const std::string& joined) {
  std::vector<std::string> out;
  SplitNulInto(joined, &out);
  return out;
}

// ---- The primitives ----

// A call on one path, which may never return (a dead mount): on the elastic
// pool, its path named in its errors.
class PathJob : public Job {
 public:
  using Job::Job;
  nx::PoolKind Pool() const override { return nx::PoolKind::kElastic; }
  const std::string* ErrorPath() const override { return &path_; }

 protected:
  // Parse for a J whose one argument is its path. `name` is the JS function's.
  template <class J>
  static std::unique_ptr<J> ParsePath(const Napi::CallbackInfo& info, const char* name) {
    if (info.Length() < 1 || !info[0].IsString()) return Fail<Napi::TypeError>(info.Env(), (std::string(name) + ": path must be a string").c_str());
    auto job = std::make_unique<J>();
    job->path_ = info[0].As<Napi::String>().Utf8Value();
    if (!GoodPath(job->path_)) return Fail<Napi::TypeError>(info.Env(), (std::string(name) + ": path must be non-empty and contain no NUL").c_str());
    return job;
  }

  std::string path_;
};

class StatfsJob final : public PathJob {
 public:
  StatfsJob() : PathJob("statfs") {}
  static std::unique_ptr<StatfsJob> Parse(const Napi::CallbackInfo& info) { return ParsePath<StatfsJob>(info, "statfs"); }
  void Execute() override { err = nx::Statfs(path_.c_str(), &out_); }
  Napi::Value Result(Napi::Env env) override {
    Napi::Object o = Napi::Object::New(env);
    o.Set("type", Num(env, out_.type));
    o.Set("bsize", Num(env, out_.bsize));
    o.Set("frsize", Num(env, out_.frsize));
    o.Set("blocks", Num(env, out_.blocks));
    o.Set("bfree", Num(env, out_.bfree));
    o.Set("bavail", Num(env, out_.bavail));
    o.Set("files", Num(env, out_.files));
    o.Set("ffree", Num(env, out_.ffree));
    o.Set("flags", Num(env, out_.flags));
    o.Set("namelen", Num(env, out_.namelen));
    return o;
  }

 private:
  nx::StatfsInfo out_{};
};

class SysinfoJob final : public Job {
 public:
  SysinfoJob() : Job("sysinfo") {}
  static std::unique_ptr<SysinfoJob> Parse(const Napi::CallbackInfo&) { return std::make_unique<SysinfoJob>(); }
  void Execute() override { err = nx::Sysinfo(&s_); }
  Napi::Value Result(Napi::Env env) override {
    Napi::Object o = Napi::Object::New(env);
    Napi::Array loads = Napi::Array::New(env, 3);
    for (uint32_t i = 0; i < 3; i++) loads.Set(i, s_.loads[i]);
    o.Set("uptime", Napi::Number::New(env, static_cast<double>(s_.uptime)));
    o.Set("loads", loads);
    o.Set("totalram", Num(env, s_.totalram));
    o.Set("freeram", Num(env, s_.freeram));
    o.Set("sharedram", Num(env, s_.sharedram));
    o.Set("bufferram", Num(env, s_.bufferram));
    o.Set("totalswap", Num(env, s_.totalswap));
    o.Set("freeswap", Num(env, s_.freeswap));
    o.Set("procs", Num(env, s_.procs));
    o.Set("totalhigh", Num(env, s_.totalhigh));
    o.Set("freehigh", Num(env, s_.freehigh));
    o.Set("memUnit", Num(env, s_.mem_unit));
    return o;
  }

 private:
  nx::SysinfoInfo s_{};
};

class TrimHeapJob final : public Job {
 public:
  TrimHeapJob() : Job("malloc_trim") {}
  static std::unique_ptr<TrimHeapJob> Parse(const Napi::CallbackInfo&) { return std::make_unique<TrimHeapJob>(); }
  void Execute() override { err = nx::TrimHeap(&t_); }
  Napi::Value Result(Napi::Env env) override {
    Napi::Object o = Napi::Object::New(env);
    o.Set("supported", t_.supported);
    o.Set("released", t_.released);
    o.Set("seconds", static_cast<double>(t_.nanoseconds) / 1e9);
    return o;
  }

 private:
  nx::HeapTrimInfo t_{};
};

class GetrlimitJob final : public Job {
 public:
  GetrlimitJob() : Job("getrlimit") {}
  static std::unique_ptr<GetrlimitJob> Parse(const Napi::CallbackInfo& info) {
    if (info.Length() < 1 || !info[0].IsNumber()) return Fail<Napi::TypeError>(info.Env(), "getrlimit: resource must be a number");
    auto job = std::make_unique<GetrlimitJob>();
    job->resource_ = info[0].As<Napi::Number>().Int32Value();
    return job;
  }
  void Execute() override { err = nx::Getrlimit(resource_, &r_); }
  Napi::Value Result(Napi::Env env) override {
    Napi::Object o = Napi::Object::New(env);
    o.Set("soft", r_.soft_infinite ? Napi::Number::New(env, INFINITY) : Num(env, r_.soft));
    o.Set("hard", r_.hard_infinite ? Napi::Number::New(env, INFINITY) : Num(env, r_.hard));
    return o;
  }

 private:
  int resource_ = 0;
  nx::RlimitInfo r_{};
};

class UnameJob final : public Job {
 public:
  UnameJob() : Job("uname") {}
  static std::unique_ptr<UnameJob> Parse(const Napi::CallbackInfo&) { return std::make_unique<UnameJob>(); }
  void Execute() override { err = nx::Uname(&u_); }
  Napi::Value Result(Napi::Env env) override {
    Napi::Object o = Napi::Object::New(env);
    o.Set("sysname", u_.sysname);
    o.Set("nodename", u_.nodename);
    o.Set("release", u_.release);
    o.Set("version", u_.version);
    o.Set("machine", u_.machine);
    o.Set("domainname", u_.domainname);
    return o;
  }

 private:
  nx::UnameInfo u_;
};

class AdjtimexJob final : public Job {
 public:
  AdjtimexJob() : Job("adjtimex") {}
  static std::unique_ptr<AdjtimexJob> Parse(const Napi::CallbackInfo&) { return std::make_unique<AdjtimexJob>(); }
  void Execute() override { err = nx::Adjtimex(&t_); }
  Napi::Value Result(Napi::Env env) override {
    Napi::Object o = Napi::Object::New(env);
    const auto set = [&](const char* k, int64_t v) { o.Set(k, Napi::Number::New(env, static_cast<double>(v))); };
    set("offset", t_.offset); set("freq", t_.freq); set("maxerror", t_.maxerror);
    set("esterror", t_.esterror); set("constant", t_.constant); set("precision", t_.precision);
    set("tolerance", t_.tolerance); set("tick", t_.tick); set("ppsfreq", t_.ppsfreq);
    set("jitter", t_.jitter); set("stabil", t_.stabil); set("jitcnt", t_.jitcnt);
    set("calcnt", t_.calcnt); set("errcnt", t_.errcnt); set("stbcnt", t_.stbcnt);
    set("status", t_.status); set("shift", t_.shift); set("tai", t_.tai); set("state", t_.state);
    return o;
  }

 private:
  nx::TimexInfo t_{};
};

// Many small files in one trip to a pool thread: per-file errors are results,
// not a failure of the batch.
class ReadFilesJob final : public Job {
 public:
  ReadFilesJob() : Job("read") {}
  static std::unique_ptr<ReadFilesJob> Parse(const Napi::CallbackInfo& info) {
    if (info.Length() < 2 || !(info[0].IsString() || info[0].IsArray()) || !info[1].IsNumber()) {
      return Fail<Napi::TypeError>(info.Env(), "readFiles: (paths: NUL-separated string or an array of them, limit: number)");
    }
    auto job = std::make_unique<ReadFilesJob>();
    if (info[0].IsString()) {
      SplitNulInto(info[0].As<Napi::String>().Utf8Value(), &job->paths_);
    } else {
      // Several requests' lists as they are: no joined copy of them all made on the JS heap.
      Napi::Array lists = info[0].As<Napi::Array>();
      for (uint32_t i = 0; i < lists.Length(); i++) {
        Napi::Value list = lists.Get(i);
        if (!list.IsString()) return Fail<Napi::TypeError>(info.Env(), "readFiles: paths must be strings");
        SplitNulInto(list.As<Napi::String>().Utf8Value(), &job->paths_);
      }
    }
    job->limit_ = static_cast<size_t>(info[1].As<Napi::Number>().Int64Value());
    job->may_hang_ = info.Length() > 2 && info[2].ToBoolean().Value();
    return job;
  }
  void Execute() override {
    files_.resize(paths_.size());
    if (may_hang_) {
      for (size_t i = 0; i < paths_.size(); i++) files_[i].err = nx::ReadFile(paths_[i].c_str(), limit_, &files_[i].data);
    } else {
      // procfs and sysfs through descriptors kept open across scrapes (readcache.h).
      nx::DirChecks checks;
      for (size_t i = 0; i < paths_.size(); i++) files_[i].err = nx::ReadFileKept(paths_[i], limit_, &files_[i].data, &checks);
    }
  }
  // A network filesystem (textfile dir), not /proc or /sys: may never return.
  nx::PoolKind Pool() const override { return may_hang_ ? nx::PoolKind::kElastic : nx::PoolKind::kBounded; }
  Napi::Value Result(Napi::Env env) override {
    // The whole batch as three values instead of an object per file: every file's bytes in one
    // Buffer, where each starts (n + 1 offsets), and each file's errno (0: read).
    size_t total = 0;
    for (const nx::FileRead& f : files_) total += f.data.size();
    const size_t n = files_.size();
    // Offsets are 32-bit: a batch over 4 GiB (only with absurd limits) fails its last files.
    for (size_t i = n; total > UINT32_MAX && i-- > 0;) {
      total -= files_[i].data.size();
      files_[i].data = std::string();
      files_[i].err = EFBIG;
    }
    Napi::Buffer<char> data = Napi::Buffer<char>::New(env, total);
    Napi::Uint32Array offsets = Napi::Uint32Array::New(env, n + 1);
    Napi::Int32Array errnos = Napi::Int32Array::New(env, n);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
      const nx::FileRead& f = files_[i];
      offsets[i] = static_cast<uint32_t>(at);
      errnos[i] = f.err;
      if (!f.data.empty()) std::memcpy(data.Data() + at, f.data.data(), f.data.size());
      at += f.data.size();
    }
    offsets[n] = static_cast<uint32_t>(at);
    Napi::Array out = Napi::Array::New(env, 3);
    out.Set(0u, data);
    out.Set(1u, offsets);
    out.Set(2u, errnos);
    return out;
  }

 private:
  std::vector<std::string> paths_;
  size_t limit_ = 0;
  bool may_hang_ = false;
  std::vector<nx::FileRead> files_;
};

// Total reply bytes of one netlink dump: a routing table of a full BGP feed
// is far below this; beyond it something is wrong and the call fails (EFBIG).
constexpr size_t kNetlinkLimit = 256u << 20;

class NetlinkDumpJob final : public Job {
 public:
  NetlinkDumpJob() : Job("netlink") {}
  static std::unique_ptr<NetlinkDumpJob> Parse(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 4 || !info[0].IsNumber() || !info[1].IsNumber() || !info[2].IsNumber() || !info[3].IsBuffer()) {
      return Fail<Napi::TypeError>(env, "netlinkDump: (protocol: number, type: number, flags: number, payload: Buffer)");
    }
    const int64_t protocol = info[0].As<Napi::Number>().Int64Value();
    const int64_t type = info[1].As<Napi::Number>().Int64Value();
    const int64_t flags = info[2].As<Napi::Number>().Int64Value();
    if (protocol < 0 || protocol > 31 || type < 0 || type > 0xffff || flags < 0 || flags > 0xffff) {
      return Fail<Napi::RangeError>(env, "netlinkDump: protocol 0-31, type and flags 0-65535");
    }
    auto job = std::make_unique<NetlinkDumpJob>();
    job->protocol_ = static_cast<int>(protocol);
    job->type_ = static_cast<uint16_t>(type);
    job->flags_ = static_cast<uint16_t>(flags);
    Napi::Buffer<char> payload = info[3].As<Napi::Buffer<char>>();
    job->payload_.assign(payload.Data(), payload.Length());
    return job;
  }
  void Execute() override { err = nx::NetlinkDump(protocol_, type_, flags_, payload_, kNetlinkLimit, &datagrams_); }
  Napi::Value Result(Napi::Env env) override {
    Napi::Array out = Napi::Array::New(env, datagrams_.size());
    for (uint32_t i = 0; i < datagrams_.size(); i++) out.Set(i, Napi::Buffer<char>::Copy(env, datagrams_[i].data(), datagrams_[i].size()));
    return out;
  }

 private:
  int protocol_ = 0;
  uint16_t type_ = 0;
  uint16_t flags_ = 0;
  std::string payload_;
  std::vector<std::string> datagrams_;
};

// An ioctl whose struct the kernel reads and fills in place; resolves to the
// buffer as the kernel left it. On a network interface (never blocks), or with
// kOnPath on a file (open may hang on a dead mount). Arguments are checked in
// src/native.ts; here only their JS types, the request's range and the path's
// NUL (the kernel would see a different path).
template <bool kOnPath>
class IoctlJob final : public Job {
 public:
  IoctlJob() : Job("ioctl") {}
  static std::unique_ptr<IoctlJob> Parse(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 3 || !info[0].IsString() || !info[1].IsNumber() || !info[2].IsBuffer()) {
      return Fail<Napi::TypeError>(env, kOnPath ? "pathIoctl: (path: string, request: number, buffer: Buffer)" : "ifaceIoctl: (ifname: string, request: number, buffer: Buffer)");
    }
    auto job = std::make_unique<IoctlJob>();
    job->target_ = info[0].As<Napi::String>().Utf8Value();
    const int64_t request = info[1].As<Napi::Number>().Int64Value();
    if ((kOnPath && !GoodPath(job->target_)) || request < 0 || request > 0xffffffffLL) {
      return Fail<Napi::RangeError>(env, kOnPath ? "pathIoctl: non-empty path without NUL, request 0-0xffffffff" : "ifaceIoctl: request 0-0xffffffff");
    }
    job->request_ = static_cast<unsigned long>(request);
    Napi::Buffer<char> buffer = info[2].As<Napi::Buffer<char>>();
    job->data_.assign(buffer.Data(), buffer.Length());
    return job;
  }
  void Execute() override {
    err = kOnPath ? nx::PathIoctl(target_.c_str(), request_, &data_) : nx::IfaceIoctl(target_, request_, &data_);
  }
  nx::PoolKind Pool() const override { return kOnPath ? nx::PoolKind::kElastic : nx::PoolKind::kBounded; }
  const std::string* ErrorPath() const override { return kOnPath ? &target_ : nullptr; }
  Napi::Value Result(Napi::Env env) override { return Napi::Buffer<char>::Copy(env, data_.data(), data_.size()); }

 private:
  std::string target_;  // the interface name, or the path
  unsigned long request_ = 0;
  std::string data_;
};

// Arguments are checked in src/native.ts; here only their JS types.
class PerfEventOpenJob final : public Job {
 public:
  PerfEventOpenJob() : Job("perf_event_open") {}
  static std::unique_ptr<PerfEventOpenJob> Parse(const Napi::CallbackInfo& info) {
    if (info.Length() < 5 || !info[0].IsBuffer() || !info[1].IsNumber() || !info[2].IsNumber() || !info[3].IsNumber() || !info[4].IsNumber()) {
      return Fail<Napi::TypeError>(info.Env(), "perfEventOpen: (attr: Buffer, pid, cpu, groupFd, flags: number)");
    }
    auto job = std::make_unique<PerfEventOpenJob>();
    Napi::Buffer<char> attr = info[0].As<Napi::Buffer<char>>();
    job->attr_.assign(attr.Data(), attr.Length());
    job->pid_ = info[1].As<Napi::Number>().Int32Value();
    job->cpu_ = info[2].As<Napi::Number>().Int32Value();
    job->group_fd_ = info[3].As<Napi::Number>().Int32Value();
    job->flags_ = static_cast<unsigned long>(info[4].As<Napi::Number>().Uint32Value());
    return job;
  }
  void Execute() override { err = nx::PerfEventOpen(attr_, pid_, cpu_, group_fd_, flags_, &fd_); }
  Napi::Value Result(Napi::Env env) override { return Napi::Number::New(env, fd_); }

 private:
  std::string attr_;
  int pid_ = 0, cpu_ = 0, group_fd_ = -1, fd_ = -1;
  unsigned long flags_ = 0;
};

// Every counter of a scrape in one trip: one read of `size` bytes per fd.
class FdReadsJob final : public Job {
 public:
  FdReadsJob() : Job("read") {}
  static std::unique_ptr<FdReadsJob> Parse(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 2 || !info[0].IsArray() || !info[1].IsNumber()) return Fail<Napi::TypeError>(env, "fdReads: (fds: number[], size: number)");
    Napi::Array arr = info[0].As<Napi::Array>();
    auto job = std::make_unique<FdReadsJob>();
    job->fds_.reserve(arr.Length());
    for (uint32_t i = 0; i < arr.Length(); i++) {
      Napi::Value v = arr.Get(i);
      if (!v.IsNumber()) return Fail<Napi::TypeError>(env, "fdReads: every fd must be a number");
      job->fds_.push_back(v.As<Napi::Number>().Int32Value());
    }
    job->size_ = static_cast<size_t>(info[1].As<Napi::Number>().Uint32Value());
    return job;
  }
  void Execute() override {
    files_.resize(fds_.size());
    for (size_t i = 0; i < fds_.size(); i++) files_[i].err = nx::FdRead(fds_[i], size_, &files_[i].data);
  }
  Napi::Value Result(Napi::Env env) override {
    // Each entry: a Buffer, or {code, errno, message} for that fd.
    Napi::Array out = Napi::Array::New(env, files_.size());
    for (uint32_t i = 0; i < files_.size(); i++) {
      const nx::FileRead& f = files_[i];
      if (f.err != 0) {
        char buf[256];
        Napi::Object e = Napi::Object::New(env);
        e.Set("code", ErrnoName(f.err));
        e.Set("errno", f.err);
        e.Set("message", strerror_r(f.err, buf, sizeof buf));
        out.Set(i, e);
      } else {
        out.Set(i, Napi::Buffer<char>::Copy(env, f.data.data(), f.data.size()));
      }
    }
    return out;
  }

 private:
  std::vector<int> fds_;
  size_t size_ = 0;
  std::vector<nx::FileRead> files_;
};

class FdCloseJob final : public Job {
 public:
  FdCloseJob() : Job("close") {}
  static std::unique_ptr<FdCloseJob> Parse(const Napi::CallbackInfo& info) {
    if (info.Length() < 1 || !info[0].IsNumber()) return Fail<Napi::TypeError>(info.Env(), "fdClose: (fd: number)");
    auto job = std::make_unique<FdCloseJob>();
    job->fd_ = info[0].As<Napi::Number>().Int32Value();
    return job;
  }
  void Execute() override { err = nx::FdClose(fd_); }
  Napi::Value Result(Napi::Env env) override { return env.Undefined(); }

 private:
  int fd_ = -1;
};

// Opens a file to watch (FdPollJob); on the elastic pool, as the path may be anywhere.
class FdOpenJob final : public PathJob {
 public:
  FdOpenJob() : PathJob("open") {}
  static std::unique_ptr<FdOpenJob> Parse(const Napi::CallbackInfo& info) { return ParsePath<FdOpenJob>(info, "fdOpen"); }
  void Execute() override { err = nx::FdOpen(path_.c_str(), &fd_); }
  Napi::Value Result(Napi::Env env) override { return Napi::Number::New(env, fd_); }

 private:
  int fd_ = -1;
};

class FdPollJob final : public Job {
 public:
  FdPollJob() : Job("poll") {}
  static std::unique_ptr<FdPollJob> Parse(const Napi::CallbackInfo& info) {
    if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsNumber()) return Fail<Napi::TypeError>(info.Env(), "fdPoll: (fd: number, events: number)");
    auto job = std::make_unique<FdPollJob>();
    job->fd_ = info[0].As<Napi::Number>().Int32Value();
    job->events_ = static_cast<short>(info[1].As<Napi::Number>().Int32Value());
    return job;
  }
  void Execute() override { err = nx::FdPoll(fd_, events_, &revents_); }
  Napi::Value Result(Napi::Env env) override { return Napi::Number::New(env, revents_); }

 private:
  int fd_ = -1;
  short events_ = 0;
  short revents_ = 0;
};

// ---- Batched statfs ----
//
// Many paths in one trip, results in two typed arrays instead of an object
// per path. A few workers share one cursor over the paths, so a path that
// hangs holds only the worker inside it: the others go on with the paths
// after it. If every worker is stuck, StatfsBatchRescue (called by the
// TypeScript side on its own timer) starts a fresh worker for each one that
// has been inside a single call for longer than the hold it names; the stuck
// one leaves the batch when its call returns. So each thread parked in the
// kernel is parked on a path of its own, and the batch's stuck threads never
// outnumber its hung paths.

// Per path, in the order of StatfsInfo: type, bsize, frsize, blocks, bfree,
// bavail, files, ffree, flags, namelen.
constexpr size_t kStatfsFields = 10;
// A path's status until its call returns.
constexpr int32_t kPending = -1;

struct StatfsBatch {
  explicit StatfsBatch(std::vector<std::string> p)
      : paths(std::move(p)), remaining(paths.size()), status(paths.size(), kPending), stats(paths.size()) {}

  struct Worker {
    bool in_call = false;
    bool replaced = false;  // a fresh worker took over; leave after this call
    std::chrono::steady_clock::time_point since;
  };

  std::mutex mu;  // guards everything below
  std::vector<std::string> paths;  // emptied, with the results, once handed over
  size_t next = 0;       // the first path no worker has taken
  size_t remaining;      // paths whose call has not returned
  std::vector<int32_t> status;  // kPending, then the errno (0: stats[i] is set)
  std::vector<nx::StatfsInfo> stats;
  std::vector<Worker> workers;
  Job* job = nullptr;  // posted by whichever worker finishes the last path
};
using StatfsBatchRef = std::shared_ptr<StatfsBatch>;

// Status and stats as they are now, for the JS thread.
Napi::Value StatfsBatchSnapshot(Napi::Env env, StatfsBatch& b) {
  const size_t n = b.paths.size();
  Napi::Int32Array status = Napi::Int32Array::New(env, n);
  Napi::Float64Array stats = Napi::Float64Array::New(env, n * kStatfsFields);
  uint32_t started;
  {
    std::lock_guard<std::mutex> lock(b.mu);
    started = static_cast<uint32_t>(b.next);
    for (size_t i = 0; i < n; i++) {
      status[i] = b.status[i];
      if (b.status[i] != 0) continue;
      const nx::StatfsInfo& s = b.stats[i];
      double* row = stats.Data() + i * kStatfsFields;
      const uint64_t values[kStatfsFields] = {s.type, s.bsize, s.frsize, s.blocks, s.bfree, s.bavail, s.files, s.ffree, s.flags, s.namelen};
      for (size_t f = 0; f < kStatfsFields; f++) row[f] = static_cast<double>(values[f]);
    }
  }
  Napi::Array out = Napi::Array::New(env, 3);
  out.Set(0u, status);
  out.Set(1u, stats);
  out.Set(2u, Napi::Number::New(env, started));
  return out;
}

// One worker's share: take the next path until none is left (or a fresh
// worker took over). Touches only the shared state, never the job, which the
// JS thread may delete as soon as it is posted.
void StatfsBatchWork(const StatfsBatchRef& b, size_t w) {
  std::unique_lock<std::mutex> lock(b->mu);
  while (b->next < b->paths.size() && !b->workers[w].replaced) {
    const size_t i = b->next++;
    b->workers[w].in_call = true;
    b->workers[w].since = std::chrono::steady_clock::now();
    lock.unlock();
    nx::StatfsInfo s{};
    const int err = nx::Statfs(b->paths[i].c_str(), &s);
    lock.lock();
    b->workers[w].in_call = false;
    b->stats[i] = s;
    b->status[i] = err;
    if (--b->remaining == 0) {
      Job* job = b->job;
      b->job = nullptr;
      lock.unlock();
      job->Post();
      return;
    }
  }
}

class StatfsBatchWorker final : public nx::PoolTask {
 public:
  StatfsBatchWorker(StatfsBatchRef b, size_t w) : batch_(std::move(b)), w_(w) {}
  void Run() override {
    StatfsBatchWork(batch_, w_);
    delete this;
  }

 private:
  StatfsBatchRef batch_;
  size_t w_;
};

// Starts one more worker on the elastic pool. Caller holds b->mu.
bool StartStatfsBatchWorker(const StatfsBatchRef& b) {
  b->workers.emplace_back();
  auto* task = new StatfsBatchWorker(b, b->workers.size() - 1);
  if (nx::PoolSubmit(task, nx::PoolKind::kElastic) == 0) return true;
  delete task;
  b->workers.pop_back();
  return false;
}

// statfsBatch(paths: NUL-separated, workers) → [done: Promise<[status, stats, started]>, handle].
// Runs as the batch's first worker and starts the others.
class StatfsBatchJob final : public Job {
 public:
  StatfsBatchJob() : Job("statfs") {}
  static std::unique_ptr<StatfsBatchJob> Parse(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 2 || !info[0].IsString() || !info[1].IsNumber()) return Fail<Napi::TypeError>(env, "statfsBatch: (paths: NUL-separated string, workers: number)");
    std::vector<std::string> paths = SplitNul(info[0].As<Napi::String>().Utf8Value());
    for (const std::string& p : paths) {
      if (p.empty()) return Fail<Napi::TypeError>(env, "statfsBatch: paths must be non-empty");
    }
    const int64_t workers = info[1].As<Napi::Number>().Int64Value();
    if (workers < 1 || workers > 64) return Fail<Napi::RangeError>(env, "statfsBatch: workers 1-64");
    auto job = std::make_unique<StatfsBatchJob>();
    job->batch_ = std::make_shared<StatfsBatch>(std::move(paths));
    job->batch_->job = job.get();
    job->workers_ = static_cast<size_t>(workers);
    return job;
  }
  void Run() override {
    const StatfsBatchRef b = batch_;  // `this` may be deleted once the last path is done
    {
      std::lock_guard<std::mutex> lock(b->mu);
      b->workers.emplace_back();  // this thread is worker 0
      // A thread we cannot start is a worker fewer, not a failure.
      for (size_t w = 1; w < workers_ && w < b->paths.size(); w++) {
        if (!StartStatfsBatchWorker(b)) break;
      }
    }
    StatfsBatchWork(b, 0);
  }
  void Execute() override {}
  nx::PoolKind Pool() const override { return nx::PoolKind::kElastic; }
  Napi::Value Result(Napi::Env env) override {
    Napi::Value out = StatfsBatchSnapshot(env, *batch_);
    // Every call has returned and JS has its copy: the handle may live on until the next
    // GC, its paths and results need not.
    std::lock_guard<std::mutex> lock(batch_->mu);
    std::vector<std::string>().swap(batch_->paths);
    std::vector<int32_t>().swap(batch_->status);
    std::vector<nx::StatfsInfo>().swap(batch_->stats);
    std::vector<StatfsBatch::Worker>().swap(batch_->workers);
    return out;
  }
  Napi::Value Returned(Napi::Env env, Napi::Value promise) override {
    Napi::Array out = Napi::Array::New(env, 2);
    out.Set(0u, promise);
    out.Set(1u, Napi::External<StatfsBatchRef>::New(env, new StatfsBatchRef(batch_), [](Napi::Env, StatfsBatchRef* ref) { delete ref; }));
    return out;
  }

  static StatfsBatch* FromHandle(const Napi::CallbackInfo& info, const char* usage) {
    if (info.Length() < 1 || !info[0].IsExternal()) {
      Fail<Napi::TypeError>(info.Env(), usage);
      return nullptr;
    }
    return info[0].As<Napi::External<StatfsBatchRef>>().Data()->get();
  }

 private:
  StatfsBatchRef batch_;
  size_t workers_ = 1;
};

// statfsBatchPeek(handle) → [status, stats, started]: what the batch has so far.
Napi::Value StatfsBatchPeek(const Napi::CallbackInfo& info) {
  StatfsBatch* b = StatfsBatchJob::FromHandle(info, "statfsBatchPeek: (handle)");
  if (b == nullptr) return info.Env().Undefined();
  return StatfsBatchSnapshot(info.Env(), *b);
}

// statfsBatchRescue(handle, holdMs) → paths not yet started. A worker that has
// been inside one call for holdMs or more, while paths wait, gets a fresh
// worker in its place.
Napi::Value StatfsBatchRescue(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsExternal() || !info[1].IsNumber()) {
    Fail<Napi::TypeError>(env, "statfsBatchRescue: (handle, holdMs: number)");
    return env.Undefined();
  }
  const StatfsBatchRef b = *info[0].As<Napi::External<StatfsBatchRef>>().Data();
  const auto hold = std::chrono::milliseconds(info[1].As<Napi::Number>().Int64Value());
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(b->mu);
  for (size_t w = 0, n = b->workers.size(); w < n && b->next < b->paths.size(); w++) {
    StatfsBatch::Worker& worker = b->workers[w];
    if (!worker.in_call || worker.replaced || now - worker.since < hold) continue;
    // Flag it only once a fresh worker runs: otherwise it carries on itself.
    if (!StartStatfsBatchWorker(b)) break;
    b->workers[w].replaced = true;  // emplace_back may have moved the vector
  }
  return Napi::Number::New(env, static_cast<double>(b->paths.size() - b->next));
}

// ---- Synchronous helpers (no syscall, no pool) ----

// An errno's name and message, for errors the JS side builds from a batch's errno array.
Napi::Value ErrnoInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) {
    Napi::TypeError::New(env, "errnoInfo: (errno: number)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const int err = info[0].As<Napi::Number>().Int32Value();
  char buf[256];
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, ErrnoName(err));
  out.Set(1u, strerror_r(err, buf, sizeof buf));
  return out;
}

Napi::Value Threads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const nx::PoolCounts c = nx::PoolStats();
  Napi::Object o = Napi::Object::New(env);
  o.Set("live", c.live);
  o.Set("idle", c.idle);
  o.Set("pending", c.pending);
  return o;
}

// How many procfs/sysfs descriptors the read cache keeps open, and under how many directories.
Napi::Value ReadCacheStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const nx::ReadCacheCounts c = nx::ReadCacheStats();
  Napi::Object o = Napi::Object::New(env);
  o.Set("files", c.files);
  o.Set("dirs", c.dirs);
  return o;
}

// Marks the channel closed; with `abort`, also tells Node to tear down the
// thread-safe function. Whichever of the two callers below runs first wins.
void CloseChannel(Channel& ch, bool abort) {
  std::lock_guard<std::mutex> lock(ch.mu);
  if (!ch.open) return;
  ch.open = false;
  if (abort) ch.tsfn.Abort();
}

// Environment teardown (process exit, worker_thread termination): stop
// accepting results before JS state goes away. Jobs already queued are freed
// by SettleOnJsThread with a null env; jobs still running see `open` false.
void OnEnvCleanup(void* arg) {
  const std::unique_ptr<ChannelRef> holder(static_cast<ChannelRef*>(arg));
  CloseChannel(**holder, true);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  ChannelRef ch = std::make_shared<Channel>();
  // The finalizer runs on the JS thread just before Node frees the
  // thread-safe function, whatever the reason; closing the channel there
  // (under the lock pool threads call through) makes a late call impossible.
  ch->tsfn = Tsfn::New(
      env, "node_exporter_native", 0, 1, nullptr,
      [](Napi::Env, ChannelRef* holder, std::nullptr_t*) {
        CloseChannel(**holder, false);
        delete holder;
      },
      new ChannelRef(ch));
  if (env.IsExceptionPending()) return exports;
  // An idle addon must not keep the process alive; Submit refs it per job.
  ch->tsfn.Unref(env);
  if (napi_add_env_cleanup_hook(env, OnEnvCleanup, new ChannelRef(ch)) != napi_ok) {
    Napi::Error::New(env, "node_exporter_native: cannot add a cleanup hook").ThrowAsJavaScriptException();
    return exports;
  }
  env.SetInstanceData<ChannelRef>(new ChannelRef(ch));

  const auto bind = [&](const char* name, Napi::Function::Callback fn) { exports.Set(name, Napi::Function::New(env, fn, name)); };
  bind("statfs", Bind<StatfsJob>);
  bind("sysinfo", Bind<SysinfoJob>);
  bind("trimHeap", Bind<TrimHeapJob>);
  bind("getrlimit", Bind<GetrlimitJob>);
  bind("uname", Bind<UnameJob>);
  bind("adjtimex", Bind<AdjtimexJob>);
  bind("readFiles", Bind<ReadFilesJob>);
  bind("netlinkDump", Bind<NetlinkDumpJob>);
  bind("ifaceIoctl", Bind<IoctlJob<false>>);
  bind("pathIoctl", Bind<IoctlJob<true>>);
  bind("perfEventOpen", Bind<PerfEventOpenJob>);
  bind("fdReads", Bind<FdReadsJob>);
  bind("fdClose", Bind<FdCloseJob>);
  bind("fdOpen", Bind<FdOpenJob>);
  bind("fdPoll", Bind<FdPollJob>);
  bind("statfsBatch", Bind<StatfsBatchJob>);
  bind("statfsBatchPeek", StatfsBatchPeek);
  bind("statfsBatchRescue", StatfsBatchRescue);
  bind("errnoInfo", ErrnoInfo);
  bind("threads", Threads);
  bind("readCacheStats", ReadCacheStats);
  return exports;
}

}  // namespace

NODE_API_MODULE(node_exporter_native, Init)
