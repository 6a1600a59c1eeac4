#include "readcache.h"

#include "syscalls.h"

#include <cerrno>
#include <iterator>
#include <ctime>
#include <fcntl.h>
#include <linux/magic.h>
#include <mutex>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

namespace nx {

namespace {

constexpr size_t kMaxKept = 2048;
constexpr int64_t kIdleSeconds = 600;
constexpr int64_t kSweepSeconds = 60;
// When full: files idle this long make room before a new one is refused.
constexpr int64_t kFullIdleSeconds = 30;

struct Kept {
  int fd;
  int64_t used;  // CLOCK_MONOTONIC seconds of its last read
  std::string dir;
  bool sysfs;
};

// A directory as a batch found it. A new identity is a new generation: a
// descriptor opened under an older one is never kept under the new one.
struct Dir {
  dev_t dev;
  ino_t ino;
  uint64_t gen;
  size_t files;  // kept files under it
};

// A kept descriptor is in `files` only while idle: a reader takes it out, and
// puts it back after a good read. Two batches reading one path at once: the
// second opens its own descriptor and closes it again.
struct Cache {
  std::mutex mu;
  std::unordered_map<std::string, Kept> files;
  std::unordered_map<std::string, Dir> dirs;
  uint64_t next_gen = 1;
  int64_t last_sweep = 0;
};

// Never destroyed: pool threads are detached and may read while statics are
// destroyed at exit.
Cache& TheCache() {
  static Cache* cache = new Cache();
  return *cache;
}

int64_t Now() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
  return t.tv_sec;
}

// Caller holds mu. Directories stay (with 0 files) until the periodic sweep:
// a reader holding one of their descriptors puts it back under them.
void Forget(Cache& c, const std::string& dir) {
  auto d = c.dirs.find(dir);
  if (d != c.dirs.end() && d->second.files > 0) d->second.files--;
}

// Caller holds mu. Closing a procfs or sysfs descriptor never blocks.
void CloseIdle(Cache& c, int64_t older_than) {
  for (auto it = c.files.begin(); it != c.files.end();) {
    if (it->second.used < older_than) {
      ::close(it->second.fd);
      Forget(c, it->second.dir);
      it = c.files.erase(it);
    } else {
      ++it;
    }
  }
}

// Caller holds mu: the directory is no longer what its files were opened under.
void DropFilesIn(Cache& c, const std::string& dir) {
  for (auto it = c.files.begin(); it != c.files.end();) {
    if (it->second.dir == dir) {
      ::close(it->second.fd);
      it = c.files.erase(it);
    } else {
      ++it;
    }
  }
}

// Reads from offset 0 to EOF with pread (a fresh descriptor too: then it is
// known to work before the descriptor is kept). ESPIPE: no pread on this file.
// `short_is_eof`: a sysfs attribute shows its whole value (at most a page) in
// one read, so a first read shorter than a page is all there is; the read that
// would return 0 is saved. (procfs seq_files may return short reads before
// their end, so they always read to 0.)
int ReadAt0(int fd, size_t limit, std::string* out, bool short_is_eof) {
  out->clear();
  char buf[16384];
  for (;;) {
    const ssize_t n = ::pread(fd, buf, sizeof buf, static_cast<off_t>(out->size()));
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      out->clear();
      return err;
    }
    if (n == 0) return 0;
    if (out->size() + static_cast<size_t>(n) > limit) {
      out->clear();
      return EFBIG;
    }
    out->append(buf, static_cast<size_t>(n));
    if (short_is_eof && out->size() < 4096) return 0;
  }
}

// A process's directory in procfs (or any numbered one): processes come and
// go by the thousand, so their files are read the plain way.
bool HasNumberedComponent(const std::string& path) {
  for (size_t start = 0; start < path.size();) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    bool digits = end > start;
    for (size_t i = start; digits && i < end; i++) digits = path[i] >= '0' && path[i] <= '9';
    if (digits) return true;
    start = end + 1;
  }
  return false;
}

// 0: neither procfs nor sysfs (not kept), else its magic.
uint64_t PseudoFs(int fd) {
  struct statfs fs {};
  if (::fstatfs(fd, &fs) != 0) return 0;
  const auto magic = static_cast<uint64_t>(fs.f_type);
  return magic == SYSFS_MAGIC || magic == PROC_SUPER_MAGIC ? magic : 0;
}

int OpenRead(const std::string& path) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  } while (fd < 0 && errno == EINTR);
  return fd < 0 ? -errno : fd;
}

}  // namespace

int ReadFileKept(const std::string& path, size_t limit, std::string* out, DirChecks* checks) {
  if (HasNumberedComponent(path)) return ReadFile(path.c_str(), limit, out);
  Cache& c = TheCache();
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? std::string(".") : path.substr(0, slash == 0 ? 1 : slash);

  const int64_t now = Now();
  // The directory, once per batch: still the one its kept files were opened under?
  uint64_t gen;
  auto check = checks->find(dir);
  if (check != checks->end()) {
    gen = check->second;
  } else {
    struct stat st {};
    const bool ok = ::stat(dir.c_str(), &st) == 0;
    std::lock_guard<std::mutex> lock(c.mu);
    // Now and then, before this batch records anything: close what nobody read for long, and
    // forget directories left with no file (one a reader still holds a file of is recorded
    // again by its next batch).
    if (now - c.last_sweep >= kSweepSeconds) {
      c.last_sweep = now;
      CloseIdle(c, now - kIdleSeconds);
      for (auto it = c.dirs.begin(); it != c.dirs.end();) it = it->second.files == 0 ? c.dirs.erase(it) : std::next(it);
    }
    auto d = c.dirs.find(dir);
    if (d != c.dirs.end() && (!ok || d->second.dev != st.st_dev || d->second.ino != st.st_ino)) {
      DropFilesIn(c, dir);
      c.dirs.erase(d);
      d = c.dirs.end();
    }
    if (ok && d == c.dirs.end()) d = c.dirs.emplace(dir, Dir{st.st_dev, st.st_ino, c.next_gen++, 0}).first;
    gen = ok ? d->second.gen : 0;
    checks->emplace(dir, gen);
  }

  int fd = -1;
  bool sysfs = false;
  if (gen != 0) {
    std::lock_guard<std::mutex> lock(c.mu);
    auto it = c.files.find(path);
    if (it != c.files.end()) {
      fd = it->second.fd;
      sysfs = it->second.sysfs;
      c.files.erase(it);
      Forget(c, dir);
    }
  }

  int err = 0;
  if (fd >= 0) {
    err = ReadAt0(fd, limit, out, sysfs);
    if (err != 0 && err != EFBIG) {
      // The object behind the kept descriptor is gone: the path answers afresh.
      ::close(fd);
      fd = -1;
    }
  }
  if (fd < 0) {
    fd = OpenRead(path);
    if (fd == -EMFILE || fd == -ENFILE) {
      // Our kept descriptors must never cost a read its file.
      ReadCacheClear();
      fd = OpenRead(path);
    }
    if (fd < 0) return -fd;
    err = ReadAt0(fd, limit, out, false);
    if (err == ESPIPE) {
      ::close(fd);
      return ReadFile(path.c_str(), limit, out);
    }
    const uint64_t magic = gen == 0 || (err != 0 && err != EFBIG) ? 0 : PseudoFs(fd);
    if (magic == 0) {
      ::close(fd);
      return err;
    }
    sysfs = magic == SYSFS_MAGIC;
  }

  std::lock_guard<std::mutex> lock(c.mu);
  if (c.files.size() >= kMaxKept) CloseIdle(c, now - kFullIdleSeconds);
  auto d = c.dirs.find(dir);
  // Kept only under the directory generation it was read under, once, within the cap.
  if (d == c.dirs.end() || d->second.gen != gen || c.files.size() >= kMaxKept || !c.files.try_emplace(path, Kept{fd, now, dir, sysfs}).second) {
    ::close(fd);
  } else {
    d->second.files++;
  }
  return err;
}

ReadCacheCounts ReadCacheStats() {
  Cache& c = TheCache();
  std::lock_guard<std::mutex> lock(c.mu);
  return ReadCacheCounts{static_cast<uint32_t>(c.files.size()), static_cast<uint32_t>(c.dirs.size())};
}

void ReadCacheClear() {
  Cache& c = TheCache();
  std::lock_guard<std::mutex> lock(c.mu);
  for (auto& [path, kept] : c.files) ::close(kept.fd);
  c.files.clear();
  for (auto& [name, dir] : c.dirs) dir.files = 0;
}

}  // namespace nx
