// Addon-owned threads for syscalls, in two pools.
//
// Why not libuv's threadpool (Napi::AsyncWorker, uv_queue_work): it has 4
// threads by default, and statfs on a dead NFS/FUSE mount blocks for ever, so
// four hung mounts would stall every fs call of the process.
//
// - kElastic, for calls that may never return (statfs, reads on network
//   filesystems): a task never waits behind a busy thread; if no thread is
//   idle, a new one is started. A thread stuck in the kernel just stays stuck.
// - kBounded, for calls that always return (reads of /proc and /sys, sysinfo,
//   uname, ...): at most kBoundedThreads threads, tasks queue. A scrape of a
//   large host submits thousands of these at once; a thread each would cost
//   more in clone() than the reads themselves.
#ifndef NODE_EXPORTER_NATIVE_POOL_H_
#define NODE_EXPORTER_NATIVE_POOL_H_

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>

namespace nx {

class PoolTask {
 public:
  virtual ~PoolTask() = default;
  // Runs on a pool thread and owns the task from then on: it hands the task
  // on (to the JS thread) or deletes it.
  virtual void Run() = 0;
};

enum class PoolKind { kElastic, kBounded };

struct PoolCounts {
  uint32_t live;     // threads alive, including ones stuck in a syscall
  uint32_t idle;     // threads waiting for a task
  uint32_t pending;  // tasks queued or running
};

namespace pool_detail {

// Spare threads make bursts cheap. Prometheus scrapes every 15-60 s: a thread
// that outlives the interval is reused by the next scrape instead of started
// again. Eight covers two scrapers at once (an HA pair) with four stat workers
// each; more than that is just memory (a parked thread: its stack's touched
// pages and a kernel task, tens of KiB).
constexpr auto kIdleTimeout = std::chrono::seconds(75);
constexpr size_t kMaxIdle = 8;
// The tasks are one syscall each; the 8 MiB default would only reserve
// address space per (possibly stuck) thread.
constexpr size_t kStackSize = 256 * 1024;
constexpr size_t kBoundedThreads = 4;

struct State {
  explicit State(size_t max) : max_live(max) {}
  const size_t max_live;  // 0: no limit
  std::mutex mu;
  std::condition_variable cv;
  std::deque<PoolTask*> queue;
  size_t live = 0;
  size_t idle = 0;
  size_t running = 0;
};

// Process-wide and never destroyed: detached threads, some perhaps parked in
// the kernel for good, may still touch it while static destructors run at exit.
inline State& Get(PoolKind kind) {
  static State* elastic = new State(0);
  static State* bounded = new State(kBoundedThreads);
  return kind == PoolKind::kElastic ? *elastic : *bounded;
}

inline void* WorkerMain(void* arg) {
  // Named so a thread stuck on a dead mount is recognisable in /proc/<pid>/task/*/comm.
  pthread_setname_np(pthread_self(), "nts-syscall");
  State& p = *static_cast<State*>(arg);
  std::unique_lock<std::mutex> lock(p.mu);
  for (;;) {
    // Checked before every wait, not only after a task: a new thread whose
    // task was taken by a thread that just finished its own arrives here
    // with nothing to do.
    if (p.queue.empty() && p.idle >= kMaxIdle) break;
    p.idle++;
    const bool got = p.cv.wait_for(lock, kIdleTimeout, [&p] { return !p.queue.empty(); });
    p.idle--;
    if (!got) break;  // idle for too long
    PoolTask* task = p.queue.front();
    p.queue.pop_front();
    p.running++;
    lock.unlock();
    task->Run();
    lock.lock();
    p.running--;
  }
  p.live--;
  return nullptr;
}

// pthread rather than std::thread: we build without exceptions, and a failed
// std::thread constructor would terminate the process instead of returning
// an error we can hand to the caller.
inline int StartWorker(State& state) {
  pthread_attr_t attr;
  int err = pthread_attr_init(&attr);
  if (err != 0) return err;
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, kStackSize);
  // A new thread inherits its creator's signal mask. Blocking everything
  // around the create keeps process signals (SIGINT, SIGTERM, ...) going to
  // Node's own threads, never to a worker sitting in an uninterruptible call.
  sigset_t all;
  sigset_t old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pthread_t thread;
  err = pthread_create(&thread, &attr, WorkerMain, &state);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  pthread_attr_destroy(&attr);
  return err;
}

}  // namespace pool_detail

// Queues a task and makes sure a thread will take it without waiting for a
// busy one. Returns 0, or the pthread_create error, in which case the task
// was not queued and the caller still owns it.
inline int PoolSubmit(PoolTask* task, PoolKind kind) {
  pool_detail::State& p = pool_detail::Get(kind);
  std::lock_guard<std::mutex> lock(p.mu);
  p.queue.push_back(task);
  // Each queued task needs its own idle thread (bounded pool: up to its cap);
  // a notified idle thread counts until it wakes, so two quick submits with
  // one idle thread start one more.
  if (p.queue.size() > p.idle && (p.max_live == 0 || p.live < p.max_live)) {
    const int err = pool_detail::StartWorker(p);
    if (err != 0) {
      p.queue.pop_back();
      return err;
    }
    p.live++;
  }
  p.cv.notify_one();
  return 0;
}

// Both pools together.
inline PoolCounts PoolStats() {
  PoolCounts c{0, 0, 0};
  for (PoolKind kind : {PoolKind::kElastic, PoolKind::kBounded}) {
    pool_detail::State& p = pool_detail::Get(kind);
    std::lock_guard<std::mutex> lock(p.mu);
    c.live += static_cast<uint32_t>(p.live);
    c.idle += static_cast<uint32_t>(p.idle);
    c.pending += static_cast<uint32_t>(p.queue.size() + p.running);
  }
  return c;
}

}  // namespace nx

#endif  // NODE_EXPORTER_NATIVE_POOL_H_
