// Node-API glue: turns the plain wrappers in syscalls.cc into promise-returning
// functions. Each call becomes a Job that runs on the addon's own pool
// (pool.h) and comes back to the JS thread through one thread-safe function
// per addon instance, where its promise is settled.
#include <napi.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>

#include "pool.h"
#include "readcache.h"
#include "syscalls.h"

namespace {

struct Job;
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

enum class Kind { kStatfs, kSysinfo, kGetrlimit, kUname, kAdjtimex, kReadFiles, kNetlinkDump, kIfaceIoctl, kPathIoctl, kPerfOpen, kFdReads, kFdClose };

// Total reply bytes of one netlink dump: a routing table of a full BGP feed
// is far below this; beyond it something is wrong and the call fails (EFBIG).
constexpr size_t kNetlinkLimit = 256u << 20;

struct Job final : nx::PoolTask {
  Job(ChannelRef ch, Kind k, const char* name) : channel(std::move(ch)), kind(k), syscall(name) {}

  void Run() override;

  ChannelRef channel;
  // Created and settled on the JS thread only. If the environment goes away
  // first the deferred is never settled; its small handle is then leaked, as
  // nothing may touch JS state without an env.
  napi_deferred deferred = nullptr;
  Kind kind;
  const char* syscall;
  std::string path;
  int resource = 0;

  int err = 0;
  nx::StatfsInfo statfs{};
  nx::SysinfoInfo sysinfo{};
  nx::RlimitInfo rlimit{};
  nx::UnameInfo uname;
  nx::TimexInfo timex{};
  std::vector<std::string> paths;  // kReadFiles
  size_t limit = 0;
  bool may_hang = false;  // a network filesystem (textfile dir), not /proc or /sys
  std::vector<nx::FileRead> files;
  // kNetlinkDump: the request, then the raw reply datagrams.
  int protocol = 0;
  uint16_t nl_type = 0;
  uint16_t nl_flags = 0;
  std::string payload;
  std::vector<std::string> datagrams;
  // kIfaceIoctl / kPathIoctl: the interface (or `path`), the request, and the
  // buffer filled in place.
  std::string ifname;
  unsigned long request = 0;
  std::string data;
  // kPerfOpen / kFdClose: attr in `data`; fd in and out. kFdReads: `fds`,
  // one read of `limit` bytes each, results in `files`.
  int pid = 0, cpu = 0, group_fd = -1, fd = -1;
  std::vector<int> fds;
  unsigned long perf_flags = 0;
};

void Job::Run() {
  switch (kind) {
    case Kind::kStatfs: err = nx::Statfs(path.c_str(), &statfs); break;
    case Kind::kSysinfo: err = nx::Sysinfo(&sysinfo); break;
    case Kind::kGetrlimit: err = nx::Getrlimit(resource, &rlimit); break;
    case Kind::kUname: err = nx::Uname(&uname); break;
    case Kind::kAdjtimex: err = nx::Adjtimex(&timex); break;
    case Kind::kReadFiles:
      // One trip to a pool thread for many small files: per-file errors are
      // results, not a failure of the batch.
      files.resize(paths.size());
      if (may_hang) {
        for (size_t i = 0; i < paths.size(); i++) files[i].err = nx::ReadFile(paths[i].c_str(), limit, &files[i].data);
      } else {
        // procfs and sysfs through descriptors kept open across scrapes (readcache.h).
        nx::DirChecks checks;
        for (size_t i = 0; i < paths.size(); i++) files[i].err = nx::ReadFileKept(paths[i], limit, &files[i].data, &checks);
      }
      break;
    case Kind::kNetlinkDump:
      err = nx::NetlinkDump(protocol, nl_type, nl_flags, payload, kNetlinkLimit, &datagrams);
      break;
    case Kind::kIfaceIoctl: err = nx::IfaceIoctl(ifname, request, &data); break;
    case Kind::kPathIoctl: err = nx::PathIoctl(path.c_str(), request, &data); break;
    case Kind::kPerfOpen: err = nx::PerfEventOpen(data, pid, cpu, group_fd, perf_flags, &fd); break;
    case Kind::kFdReads:
      // Every counter of a scrape in one trip, like kReadFiles.
      files.resize(fds.size());
      for (size_t i = 0; i < fds.size(); i++) files[i].err = nx::FdRead(fds[i], limit, &files[i].data);
      break;
    case Kind::kFdClose: err = nx::FdClose(fd); break;
  }
  // Our own reference: once queued, the JS thread may delete the job (and its
  // channel reference) before the lock below is released.
  const ChannelRef ch = channel;
  std::lock_guard<std::mutex> lock(ch->mu);
  if (!ch->open || ch->tsfn.NonBlockingCall(this) != napi_ok) delete this;
}

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
  if (job.kind == Kind::kStatfs || job.kind == Kind::kPathIoctl) error.Set("path", job.path);
  return error;
}

Napi::Number Num(Napi::Env env, uint64_t v) { return Napi::Number::New(env, static_cast<double>(v)); }

Napi::Value MakeResult(Napi::Env env, Job& job) {
  if (job.kind == Kind::kReadFiles) {
    // The whole batch as three values instead of an object per file: every file's bytes in one
    // Buffer, where each starts (n + 1 offsets), and each file's errno (0: read).
    size_t total = 0;
    for (const nx::FileRead& f : job.files) total += f.data.size();
    const size_t n = job.files.size();
    // Offsets are 32-bit: a batch over 4 GiB (only with absurd limits) fails its last files.
    for (size_t i = n; total > UINT32_MAX && i-- > 0;) {
      total -= job.files[i].data.size();
      job.files[i].data = std::string();
      job.files[i].err = EFBIG;
    }
    Napi::Buffer<char> data = Napi::Buffer<char>::New(env, total);
    Napi::Uint32Array offsets = Napi::Uint32Array::New(env, n + 1);
    Napi::Int32Array errnos = Napi::Int32Array::New(env, n);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
      const nx::FileRead& f = job.files[i];
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
  if (job.kind == Kind::kFdReads) {
    // Each entry: a Buffer, or {code, errno, message} for that fd.
    Napi::Array out = Napi::Array::New(env, job.files.size());
    for (uint32_t i = 0; i < job.files.size(); i++) {
      const nx::FileRead& f = job.files[i];
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
  if (job.kind == Kind::kNetlinkDump) {
    Napi::Array out = Napi::Array::New(env, job.datagrams.size());
    for (uint32_t i = 0; i < job.datagrams.size(); i++) {
      out.Set(i, Napi::Buffer<char>::Copy(env, job.datagrams[i].data(), job.datagrams[i].size()));
    }
    return out;
  }
  if (job.kind == Kind::kPerfOpen) return Napi::Number::New(env, job.fd);
  if (job.kind == Kind::kFdClose) return env.Undefined();
  if (job.kind == Kind::kIfaceIoctl || job.kind == Kind::kPathIoctl) return Napi::Buffer<char>::Copy(env, job.data.data(), job.data.size());
  Napi::Object o = Napi::Object::New(env);
  switch (job.kind) {
    case Kind::kStatfs: {
      const nx::StatfsInfo& s = job.statfs;
      o.Set("type", Num(env, s.type));
      o.Set("bsize", Num(env, s.bsize));
      o.Set("frsize", Num(env, s.frsize));
      o.Set("blocks", Num(env, s.blocks));
      o.Set("bfree", Num(env, s.bfree));
      o.Set("bavail", Num(env, s.bavail));
      o.Set("files", Num(env, s.files));
      o.Set("ffree", Num(env, s.ffree));
      o.Set("flags", Num(env, s.flags));
      o.Set("namelen", Num(env, s.namelen));
      break;
    }
    case Kind::kSysinfo: {
      const nx::SysinfoInfo& s = job.sysinfo;
      Napi::Array loads = Napi::Array::New(env, 3);
      for (uint32_t i = 0; i < 3; i++) loads.Set(i, s.loads[i]);
      o.Set("uptime", Napi::Number::New(env, static_cast<double>(s.uptime)));
      o.Set("loads", loads);
      o.Set("totalram", Num(env, s.totalram));
      o.Set("freeram", Num(env, s.freeram));
      o.Set("sharedram", Num(env, s.sharedram));
      o.Set("bufferram", Num(env, s.bufferram));
      o.Set("totalswap", Num(env, s.totalswap));
      o.Set("freeswap", Num(env, s.freeswap));
      o.Set("procs", Num(env, s.procs));
      o.Set("totalhigh", Num(env, s.totalhigh));
      o.Set("freehigh", Num(env, s.freehigh));
      o.Set("memUnit", Num(env, s.mem_unit));
      break;
    }
    case Kind::kGetrlimit: {
      const nx::RlimitInfo& r = job.rlimit;
      o.Set("soft", r.soft_infinite ? Napi::Number::New(env, INFINITY) : Num(env, r.soft));
      o.Set("hard", r.hard_infinite ? Napi::Number::New(env, INFINITY) : Num(env, r.hard));
      break;
    }
    case Kind::kUname: {
      const nx::UnameInfo& u = job.uname;
      o.Set("sysname", u.sysname);
      o.Set("nodename", u.nodename);
      o.Set("release", u.release);
      o.Set("version", u.version);
      o.Set("machine", u.machine);
      o.Set("domainname", u.domainname);
      break;
    }
    case Kind::kReadFiles:
    case Kind::kNetlinkDump:
    case Kind::kIfaceIoctl:
    case Kind::kPathIoctl:
    case Kind::kPerfOpen:
    case Kind::kFdReads:
    case Kind::kFdClose:
      break;  // handled above
    case Kind::kAdjtimex: {
      const nx::TimexInfo& t = job.timex;
      const auto set = [&](const char* k, int64_t v) { o.Set(k, Napi::Number::New(env, static_cast<double>(v))); };
      set("offset", t.offset); set("freq", t.freq); set("maxerror", t.maxerror);
      set("esterror", t.esterror); set("constant", t.constant); set("precision", t.precision);
      set("tolerance", t.tolerance); set("tick", t.tick); set("ppsfreq", t.ppsfreq);
      set("jitter", t.jitter); set("stabil", t.stabil); set("jitcnt", t.jitcnt);
      set("calcnt", t.calcnt); set("errcnt", t.errcnt); set("stbcnt", t.stbcnt);
      set("status", t.status); set("shift", t.shift); set("tai", t.tai); set("state", t.state);
      break;
    }
  }
  return o;
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
    napi_resolve_deferred(env, job->deferred, MakeResult(env, *job));
  }
}

Napi::Value Submit(Napi::Env env, std::unique_ptr<Job> job) {
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
  if (ch.pending++ == 0) ch.tsfn.Ref(env);
  // Only calls that may never return get a thread of their own.
  const bool may_hang = job->kind == Kind::kStatfs || job->kind == Kind::kPathIoctl || (job->kind == Kind::kReadFiles && job->may_hang);
  const int err = nx::PoolSubmit(job.get(), may_hang ? nx::PoolKind::kElastic : nx::PoolKind::kBounded);
  if (err != 0) {
    // No thread for it: fail this call now rather than let it wait behind
    // threads that may never come back.
    if (--ch.pending == 0) ch.tsfn.Unref(env);
    job->err = err;
    job->syscall = "pthread_create";
    napi_reject_deferred(env, job->deferred, MakeError(env, *job));
    return Napi::Value(env, promise);
  }
  job.release();  // the pool owns it now
  return Napi::Value(env, promise);
}

std::unique_ptr<Job> NewJob(Napi::Env env, Kind kind, const char* syscall) {
  return std::make_unique<Job>(*env.GetInstanceData<ChannelRef>(), kind, syscall);
}

Napi::Value Statfs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) {
    Napi::TypeError::New(env, "statfs: path must be a string").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string path = info[0].As<Napi::String>().Utf8Value();
  // The kernel would see only the part before a NUL: a different path.
  if (path.empty() || path.find('\0') != std::string::npos) {
    Napi::TypeError::New(env, "statfs: path must be non-empty and contain no NUL").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::unique_ptr<Job> job = NewJob(env, Kind::kStatfs, "statfs");
  job->path = std::move(path);
  return Submit(env, std::move(job));
}

Napi::Value Sysinfo(const Napi::CallbackInfo& info) {
  return Submit(info.Env(), NewJob(info.Env(), Kind::kSysinfo, "sysinfo"));
}

Napi::Value Getrlimit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) {
    Napi::TypeError::New(env, "getrlimit: resource must be a number").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::unique_ptr<Job> job = NewJob(env, Kind::kGetrlimit, "getrlimit");
  job->resource = info[0].As<Napi::Number>().Int32Value();
  return Submit(env, std::move(job));
}

Napi::Value Uname(const Napi::CallbackInfo& info) {
  return Submit(info.Env(), NewJob(info.Env(), Kind::kUname, "uname"));
}

Napi::Value ReadFiles(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsNumber()) {
    Napi::TypeError::New(env, "readFiles: (paths: NUL-separated string, limit: number)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  // The paths come as one string, NUL-separated: one conversion for the batch, not one per path.
  const std::string joined = info[0].As<Napi::String>().Utf8Value();
  std::unique_ptr<Job> job = NewJob(env, Kind::kReadFiles, "read");
  for (size_t start = 0; start <= joined.size();) {
    size_t end = joined.find('\0', start);
    if (end == std::string::npos) end = joined.size();
    job->paths.emplace_back(joined, start, end - start);
    start = end + 1;
  }
  job->limit = static_cast<size_t>(info[1].As<Napi::Number>().Int64Value());
  job->may_hang = info.Length() > 2 && info[2].ToBoolean().Value();
  return Submit(env, std::move(job));
}

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

Napi::Value NetlinkDump(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 4 || !info[0].IsNumber() || !info[1].IsNumber() || !info[2].IsNumber() || !info[3].IsBuffer()) {
    Napi::TypeError::New(env, "netlinkDump: (protocol: number, type: number, flags: number, payload: Buffer)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const int64_t protocol = info[0].As<Napi::Number>().Int64Value();
  const int64_t type = info[1].As<Napi::Number>().Int64Value();
  const int64_t flags = info[2].As<Napi::Number>().Int64Value();
  if (protocol < 0 || protocol > 31 || type < 0 || type > 0xffff || flags < 0 || flags > 0xffff) {
    Napi::RangeError::New(env, "netlinkDump: protocol 0-31, type and flags 0-65535").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::unique_ptr<Job> job = NewJob(env, Kind::kNetlinkDump, "netlink");
  job->protocol = static_cast<int>(protocol);
  job->nl_type = static_cast<uint16_t>(type);
  job->nl_flags = static_cast<uint16_t>(flags);
  Napi::Buffer<char> payload = info[3].As<Napi::Buffer<char>>();
  job->payload.assign(payload.Data(), payload.Length());
  return Submit(env, std::move(job));
}

Napi::Value IfaceIoctl(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsString() || !info[1].IsNumber() || !info[2].IsBuffer()) {
    Napi::TypeError::New(env, "ifaceIoctl: (ifname: string, request: number, buffer: Buffer)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const int64_t request = info[1].As<Napi::Number>().Int64Value();
  if (request < 0 || request > 0xffffffffLL) {
    Napi::RangeError::New(env, "ifaceIoctl: request 0-0xffffffff").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::unique_ptr<Job> job = NewJob(env, Kind::kIfaceIoctl, "ioctl");
  job->ifname = info[0].As<Napi::String>().Utf8Value();
  job->request = static_cast<unsigned long>(request);
  Napi::Buffer<char> buffer = info[2].As<Napi::Buffer<char>>();
  job->data.assign(buffer.Data(), buffer.Length());
  return Submit(env, std::move(job));
}

// Arguments are checked in src/native.ts; here only their JS types and the
// path's NUL (the kernel would see a different path).
Napi::Value PathIoctl(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsString() || !info[1].IsNumber() || !info[2].IsBuffer()) {
    Napi::TypeError::New(env, "pathIoctl: (path: string, request: number, buffer: Buffer)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string path = info[0].As<Napi::String>().Utf8Value();
  const int64_t request = info[1].As<Napi::Number>().Int64Value();
  if (path.empty() || path.find('\0') != std::string::npos || request < 0 || request > 0xffffffffLL) {
    Napi::RangeError::New(env, "pathIoctl: non-empty path without NUL, request 0-0xffffffff").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::unique_ptr<Job> job = NewJob(env, Kind::kPathIoctl, "ioctl");
  job->path = std::move(path);
  job->request = static_cast<unsigned long>(request);
  Napi::Buffer<char> buffer = info[2].As<Napi::Buffer<char>>();
  job->data.assign(buffer.Data(), buffer.Length());
  return Submit(env, std::move(job));
}

// Arguments are checked in src/native.ts; here only their JS types.
Napi::Value PerfEventOpen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 5 || !info[0].IsBuffer() || !info[1].IsNumber() || !info[2].IsNumber() || !info[3].IsNumber() || !info[4].IsNumber()) {
    Napi::TypeError::New(env, "perfEventOpen: (attr: Buffer, pid, cpu, groupFd, flags: number)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::unique_ptr<Job> job = NewJob(env, Kind::kPerfOpen, "perf_event_open");
  Napi::Buffer<char> attr = info[0].As<Napi::Buffer<char>>();
  job->data.assign(attr.Data(), attr.Length());
  job->pid = info[1].As<Napi::Number>().Int32Value();
  job->cpu = info[2].As<Napi::Number>().Int32Value();
  job->group_fd = info[3].As<Napi::Number>().Int32Value();
  job->perf_flags = static_cast<unsigned long>(info[4].As<Napi::Number>().Uint32Value());
  return Submit(env, std::move(job));
}

Napi::Value FdReads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsArray() || !info[1].IsNumber()) {
    Napi::TypeError::New(env, "fdReads: (fds: number[], size: number)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Array arr = info[0].As<Napi::Array>();
  std::unique_ptr<Job> job = NewJob(env, Kind::kFdReads, "read");
  job->fds.reserve(arr.Length());
  for (uint32_t i = 0; i < arr.Length(); i++) {
    Napi::Value v = arr.Get(i);
    if (!v.IsNumber()) {
      Napi::TypeError::New(env, "fdReads: every fd must be a number").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    job->fds.push_back(v.As<Napi::Number>().Int32Value());
  }
  job->limit = static_cast<size_t>(info[1].As<Napi::Number>().Uint32Value());
  return Submit(env, std::move(job));
}

Napi::Value FdClose(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) {
    Napi::TypeError::New(env, "fdClose: (fd: number)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::unique_ptr<Job> job = NewJob(env, Kind::kFdClose, "close");
  job->fd = info[0].As<Napi::Number>().Int32Value();
  return Submit(env, std::move(job));
}

Napi::Value Adjtimex(const Napi::CallbackInfo& info) {
  return Submit(info.Env(), NewJob(info.Env(), Kind::kAdjtimex, "adjtimex"));
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

  exports.Set("statfs", Napi::Function::New(env, Statfs, "statfs"));
  exports.Set("sysinfo", Napi::Function::New(env, Sysinfo, "sysinfo"));
  exports.Set("getrlimit", Napi::Function::New(env, Getrlimit, "getrlimit"));
  exports.Set("uname", Napi::Function::New(env, Uname, "uname"));
  exports.Set("adjtimex", Napi::Function::New(env, Adjtimex, "adjtimex"));
  exports.Set("readFiles", Napi::Function::New(env, ReadFiles, "readFiles"));
  exports.Set("errnoInfo", Napi::Function::New(env, ErrnoInfo, "errnoInfo"));
  exports.Set("netlinkDump", Napi::Function::New(env, NetlinkDump, "netlinkDump"));
  exports.Set("ifaceIoctl", Napi::Function::New(env, IfaceIoctl, "ifaceIoctl"));
  exports.Set("pathIoctl", Napi::Function::New(env, PathIoctl, "pathIoctl"));
  exports.Set("perfEventOpen", Napi::Function::New(env, PerfEventOpen, "perfEventOpen"));
  exports.Set("fdReads", Napi::Function::New(env, FdReads, "fdReads"));
  exports.Set("fdClose", Napi::Function::New(env, FdClose, "fdClose"));
  exports.Set("threads", Napi::Function::New(env, Threads, "threads"));
  exports.Set("readCacheStats", Napi::Function::New(env, ReadCacheStats, "readCacheStats"));
  return exports;
}

}  // namespace

NODE_API_MODULE(node_exporter_native, Init)
