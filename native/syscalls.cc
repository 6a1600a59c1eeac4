#include "syscalls.h"

#include <cerrno>
#include <cstring>
#include <linux/netlink.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/timex.h>
#include <sys/utsname.h>
#include <time.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace nx {

int Statfs(const char* path, StatfsInfo* out) {
  struct statfs s {};
  int rc;
  // Network and FUSE filesystems may be interrupted; the caller wants an
  // answer (or a hang it already plans for), not a spurious EINTR.
  do {
    rc = ::statfs(path, &s);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) return errno;
  // f_type is a signed word but magics are bit patterns (0xFF534D42 for CIFS).
  out->type = static_cast<uint64_t>(static_cast<unsigned long>(s.f_type));
  out->bsize = static_cast<uint64_t>(s.f_bsize);
  // Kernels before 2.6 left f_frsize zero; block counts are then in f_bsize.
  out->frsize = static_cast<uint64_t>(s.f_frsize != 0 ? s.f_frsize : s.f_bsize);
  out->blocks = s.f_blocks;
  out->bfree = s.f_bfree;
  out->bavail = s.f_bavail;
  out->files = s.f_files;
  out->ffree = s.f_ffree;
  out->flags = static_cast<uint64_t>(s.f_flags);
  out->namelen = static_cast<uint64_t>(s.f_namelen);
  return 0;
}

int TrimHeap(HeapTrimInfo* out) {
  timespec start{};
  timespec end{};
  clock_gettime(CLOCK_MONOTONIC, &start);
#if defined(__GLIBC__)
  out->supported = true;
  out->released = ::malloc_trim(0) != 0;
#else
  out->supported = false;
  out->released = false;
#endif
  clock_gettime(CLOCK_MONOTONIC, &end);
  out->nanoseconds = static_cast<uint64_t>(end.tv_sec - start.tv_sec) * 1000000000ULL + static_cast<uint64_t>(end.tv_nsec) - static_cast<uint64_t>(start.tv_nsec);
  return 0;
}

int Sysinfo(SysinfoInfo* out) {
  struct sysinfo s {};
  if (::sysinfo(&s) != 0) return errno;
  // mem_unit is 0 on kernels older than 2.3.23, meaning bytes.
  const uint64_t unit = s.mem_unit != 0 ? s.mem_unit : 1;
  out->uptime = s.uptime;
  for (int i = 0; i < 3; i++) {
    out->loads[i] = static_cast<double>(s.loads[i]) / static_cast<double>(1UL << SI_LOAD_SHIFT);
  }
  out->totalram = s.totalram * unit;
  out->freeram = s.freeram * unit;
  out->sharedram = s.sharedram * unit;
  out->bufferram = s.bufferram * unit;
  out->totalswap = s.totalswap * unit;
  out->freeswap = s.freeswap * unit;
  out->totalhigh = s.totalhigh * unit;
  out->freehigh = s.freehigh * unit;
  out->procs = s.procs;
  out->mem_unit = static_cast<uint32_t>(unit);
  return 0;
}

int Getrlimit(int resource, RlimitInfo* out) {
  struct rlimit r {};
  // The glibc prototype takes an enum; any int the kernel rejects comes back
  // as EINVAL, which is what the caller should see.
  if (::getrlimit(static_cast<__rlimit_resource_t>(resource), &r) != 0) return errno;
  out->soft_infinite = r.rlim_cur == RLIM_INFINITY;
  out->hard_infinite = r.rlim_max == RLIM_INFINITY;
  out->soft = r.rlim_cur;
  out->hard = r.rlim_max;
  return 0;
}

int Uname(UnameInfo* out) {
  struct utsname u {};
  if (::uname(&u) != 0) return errno;
  out->sysname = u.sysname;
  out->nodename = u.nodename;
  out->release = u.release;
  out->version = u.version;
  out->machine = u.machine;
  out->domainname = u.domainname;  // a GNU extension; g++ defines _GNU_SOURCE
  return 0;
}

int Adjtimex(TimexInfo* out) {
  struct timex t {};  // modes 0: read only, no privilege needed
  const int state = ::adjtimex(&t);
  if (state < 0) return errno;
  out->offset = t.offset;
  out->freq = t.freq;
  out->maxerror = t.maxerror;
  out->esterror = t.esterror;
  out->constant = t.constant;
  out->precision = t.precision;
  out->tolerance = t.tolerance;
  out->tick = t.tick;
  out->ppsfreq = t.ppsfreq;
  out->jitter = t.jitter;
  out->stabil = t.stabil;
  out->jitcnt = t.jitcnt;
  out->calcnt = t.calcnt;
  out->errcnt = t.errcnt;
  out->stbcnt = t.stbcnt;
  out->status = t.status;
  out->shift = t.shift;
  out->tai = t.tai;
  out->state = state;
  return 0;
}

int ReadFile(const char* path, size_t limit, std::string* out) {
  int fd;
  do {
    fd = ::open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return errno;
  out->clear();
  char buf[16384];
  int err = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      err = errno;
      break;
    }
    if (n == 0) break;
    if (out->size() + static_cast<size_t>(n) > limit) {
      err = EFBIG;
      break;
    }
    out->append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  if (err != 0) out->clear();
  return err;
}

namespace {

// Closes the socket on every return path.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// Scans one reply datagram for the end of the dump. Only the message headers
// are read here (enough to know when to stop); the payloads are parsed in TS.
// Returns 1 at NLMSG_DONE, 0 to keep reading, or a positive errno.
int ScanDatagram(const char* data, size_t len, uint32_t seq) {
  size_t at = 0;
  while (at + sizeof(nlmsghdr) <= len) {
    nlmsghdr h;
    std::memcpy(&h, data + at, sizeof h);
    if (h.nlmsg_len < sizeof(nlmsghdr) || h.nlmsg_len > len - at) return EBADMSG;
    // Not an answer to our request: the kernel never sends those on a fresh
    // unicast socket, but a stale one must not end our dump.
    if (h.nlmsg_seq == seq) {
      if (h.nlmsg_type == NLMSG_ERROR || h.nlmsg_type == NLMSG_DONE) {
        int32_t status = 0;
        if (h.nlmsg_len >= NLMSG_HDRLEN + sizeof status) std::memcpy(&status, data + at + NLMSG_HDRLEN, sizeof status);
        if (status < 0) return -status;
        return 1;  // DONE, or an ACK (error 0) for a request that was no dump
      }
    }
    at += NLMSG_ALIGN(h.nlmsg_len);
  }
  return 0;
}

}  // namespace

int NetlinkDump(int protocol, uint16_t type, uint16_t flags, const std::string& payload, size_t limit,
                std::vector<std::string>* out) {
  out->clear();
  Fd sock{::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol)};
  if (sock.fd < 0) return errno;
  // The kernel answers dumps at once; the timeout only guarantees the pool
  // thread comes back whatever happens.
  const timeval timeout{5, 0};
  if (::setsockopt(sock.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) != 0) return errno;
  sockaddr_nl local{};
  local.nl_family = AF_NETLINK;
  if (::bind(sock.fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) return errno;

  const uint32_t seq = 1;
  std::string request(NLMSG_HDRLEN + payload.size(), '\0');
  nlmsghdr h{};
  h.nlmsg_len = static_cast<uint32_t>(request.size());
  h.nlmsg_type = type;
  h.nlmsg_flags = static_cast<uint16_t>(NLM_F_REQUEST | NLM_F_DUMP | flags);
  h.nlmsg_seq = seq;
  std::memcpy(&request[0], &h, sizeof h);
  if (!payload.empty()) std::memcpy(&request[NLMSG_HDRLEN], payload.data(), payload.size());
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  ssize_t sent;
  do {
    sent = ::sendto(sock.fd, request.data(), request.size(), 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) return errno;

  std::string buf(32768, '\0');
  size_t total = 0;
  for (;;) {
    // Peek first: a datagram longer than the buffer would be cut short.
    ssize_t n = ::recv(sock.fd, &buf[0], buf.size(), MSG_PEEK | MSG_TRUNC);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno == EAGAIN || errno == EWOULDBLOCK ? ETIMEDOUT : errno;
    }
    if (static_cast<size_t>(n) > buf.size()) {
      buf.resize(static_cast<size_t>(n));
      continue;
    }
    do {
      n = ::recv(sock.fd, &buf[0], buf.size(), 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return errno;
    total += static_cast<size_t>(n);
    if (total > limit) {
      out->clear();
      return EFBIG;
    }
    out->emplace_back(buf.data(), static_cast<size_t>(n));
    const int r = ScanDatagram(buf.data(), static_cast<size_t>(n), seq);
    if (r == 1) return 0;
    if (r != 0) {
      out->clear();
      return r;
    }
  }
}

int IfaceIoctl(const std::string& ifname, unsigned long request, std::string* data) {
  ifreq req{};
  if (ifname.empty() || ifname.size() >= sizeof req.ifr_name) return ENAMETOOLONG;
  std::memcpy(req.ifr_name, ifname.data(), ifname.size());
  Fd sock{::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
  if (sock.fd < 0) return errno;
  req.ifr_data = data->data();
  if (::ioctl(sock.fd, request, &req) != 0) return errno;
  return 0;
}

int PathIoctl(const char* path, unsigned long request, std::string* data) {
  int fd;
  do {
    fd = ::open(path, O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return errno;
  const Fd owned{fd};
  if (::ioctl(owned.fd, request, data->data()) != 0) return errno;
  return 0;
}

int PerfEventOpen(const std::string& attr, int pid, int cpu, int group_fd, unsigned long flags, int* fd) {
  // The kernel reads attr.size bytes; a copy at least that long keeps it in bounds.
  if (attr.size() < PERF_ATTR_SIZE_VER0) return EINVAL;
  std::string copy = attr;
  const long rc = ::syscall(SYS_perf_event_open, copy.data(), pid, cpu, group_fd, flags | PERF_FLAG_FD_CLOEXEC);
  if (rc < 0) return errno;
  *fd = static_cast<int>(rc);
  return 0;
}

int FdRead(int fd, size_t size, std::string* out) {
  out->assign(size, '\0');
  ssize_t n;
  do {
    n = ::read(fd, out->data(), size);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return errno;
  out->resize(static_cast<size_t>(n));
  return 0;
}

int FdClose(int fd) { return ::close(fd) == 0 ? 0 : errno; }

int FdOpen(const char* path, int* fd) {
  int rc;
  do {
    rc = ::open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) return errno;
  *fd = rc;
  return 0;
}

int FdPoll(int fd, short events, short* revents) {
  pollfd p{fd, events, 0};
  int rc;
  do {
    rc = ::poll(&p, 1, 0);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) return errno;
  *revents = p.revents;
  return 0;
}

}  // namespace nx
