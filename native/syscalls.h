// Plain wrappers over the syscalls the exporter needs. No Node-API here: each
// call fills a plain struct and returns 0 or an errno value, so it can run on
// any thread and be tested or reused without a JS engine.
#ifndef NODE_EXPORTER_NATIVE_SYSCALLS_H_
#define NODE_EXPORTER_NATIVE_SYSCALLS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace nx {

struct StatfsInfo {
  uint64_t type;     // filesystem magic (f_type)
  uint64_t bsize;    // preferred I/O size
  uint64_t frsize;   // unit of blocks/bfree/bavail
  uint64_t blocks;
  uint64_t bfree;
  uint64_t bavail;
  uint64_t files;
  uint64_t ffree;
  uint64_t flags;    // ST_* mount flags
  uint64_t namelen;
};
int Statfs(const char* path, StatfsInfo* out);

struct SysinfoInfo {
  int64_t uptime;    // seconds
  double loads[3];   // already divided by 1 << SI_LOAD_SHIFT
  // Byte counts: already multiplied by mem_unit.
  uint64_t totalram;
  uint64_t freeram;
  uint64_t sharedram;
  uint64_t bufferram;
  uint64_t totalswap;
  uint64_t freeswap;
  uint64_t totalhigh;
  uint64_t freehigh;
  uint32_t procs;
  uint32_t mem_unit;
};
int Sysinfo(SysinfoInfo* out);

// malloc_trim(3): hands the kernel back the free pages anywhere in the C heap, not only at its
// top (which is all glibc returns by itself). glibc only; elsewhere nothing is done.
struct HeapTrimInfo {
  bool supported;      // built against glibc
  bool released;       // malloc_trim said it gave memory back
  uint64_t nanoseconds;  // how long the call took
};
int TrimHeap(HeapTrimInfo* out);

struct RlimitInfo {
  uint64_t soft;
  uint64_t hard;
  bool soft_infinite;  // RLIM_INFINITY; soft/hard are then meaningless
  bool hard_infinite;
};
int Getrlimit(int resource, RlimitInfo* out);

struct UnameInfo {
  std::string sysname;
  std::string nodename;
  std::string release;
  std::string version;
  std::string machine;
  std::string domainname;
};
int Uname(UnameInfo* out);

// adjtimex(2) in read-only mode (modes = 0): the kernel clock discipline.
// Raw kernel units; `state` is the call's return value (TIME_OK ... TIME_ERROR).
struct TimexInfo {
  int64_t offset, freq, maxerror, esterror, constant, precision, tolerance, tick;
  int64_t ppsfreq, jitter, stabil, jitcnt, calcnt, errcnt, stbcnt;
  int32_t status, shift, tai, state;
};
int Adjtimex(TimexInfo* out);

// Reads a whole file, at most `limit` bytes: /proc and /sys report sizes of 0
// or 4096 whatever they hold, so read until EOF. EFBIG when the file is longer.
int ReadFile(const char* path, size_t limit, std::string* out);

// One file of a batch read: errno 0 and its bytes, or the errno.
struct FileRead {
  int err = 0;
  std::string data;
};

// One netlink dump: opens an AF_NETLINK socket of `protocol` (NETLINK_ROUTE,
// NETLINK_GENERIC, NETLINK_SOCK_DIAG, ...), sends one message of `type` with
// NLM_F_REQUEST | NLM_F_DUMP | `flags` and `payload` after the header, and
// collects every reply datagram, raw, until NLMSG_DONE. An NLMSG_ERROR reply
// (or a negative status in NLMSG_DONE) returns its errno. The socket has a
// receive timeout, so the call always returns (ETIMEDOUT at worst); replies
// beyond `limit` bytes in total return EFBIG.
int NetlinkDump(int protocol, uint16_t type, uint16_t flags, const std::string& payload, size_t limit,
                std::vector<std::string>* out);

// One ioctl on a network interface: opens an AF_INET datagram socket and
// calls ioctl(fd, request, &ifreq) with ifr_name = `ifname` and ifr_data
// pointing at `data`, which the kernel reads and fills in place (SIOCETHTOOL
// and its struct layouts, built and parsed by the caller). Never blocks.
int IfaceIoctl(const std::string& ifname, unsigned long request, std::string* data);

// One ioctl on a file: open(path, O_RDONLY | O_CLOEXEC), ioctl(fd, request,
// data) with `data` read and filled in place by the kernel, close. For
// ioctls addressed to a filesystem through any fd on it (btrfs device
// stats on a mount point); the struct layouts are the caller's. open may
// hang on a dead mount, so run it where a stuck thread is expected.
int PathIoctl(const char* path, unsigned long request, std::string* data);

// perf_event_open(2) with a caller-built perf_event_attr (its size field
// included); returns the new fd in *fd (close-on-exec). The counter is read
// with FdRead and released with FdClose; the attr's meaning is the caller's.
int PerfEventOpen(const std::string& attr, int pid, int cpu, int group_fd, unsigned long flags, int* fd);

// One read(2) of at most `size` bytes from an fd this addon opened.
int FdRead(int fd, size_t size, std::string* out);

int FdClose(int fd);

// open(path, O_RDONLY | O_CLOEXEC): an fd to watch with FdPoll (a /proc mountinfo file).
int FdOpen(const char* path, int* fd);

// poll(2) of one fd for `events`, without waiting: *revents is what the kernel reports now.
// /proc/<pid>/mountinfo reports POLLPRI | POLLERR once after each change of the mount table.
int FdPoll(int fd, short events, short* revents);

}  // namespace nx

#endif  // NODE_EXPORTER_NATIVE_SYSCALLS_H_
