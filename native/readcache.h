// Whole-file reads of procfs and sysfs files through descriptors kept open
// across scrapes.
//
// A procfs or sysfs file regenerates its content on every read from offset 0
// (seq_file restarts its iterator, kernfs calls the attribute's show again),
// so a descriptor opened once can be re-read with pread at offset 0 for as
// long as the object behind it lives. That saves the path walk, the open and
// the close of every file a scrape reads: most of the cost of reading a small
// sysfs attribute.
//
// What keeps this correct:
// - Only procfs and sysfs files are kept (fstatfs after the open): a regular
//   file replaced by rename (an os-release upgraded) would otherwise be read
//   stale for ever. Files under an all-digit path component (a process's /proc directory)
//   are not kept either: processes come and go by the thousand.
// - A path can come to name another object while the old one lives on (an
//   interface renamed, and a new one created under the old name). Before a
//   batch uses a kept file, it stats the file's directory once and compares
//   device and inode with what they were when the file was opened: a changed
//   directory drops every file kept under it. A file removed from a living
//   directory fails its read (ENODEV, ENOENT, ESRCH) and is opened afresh.
// - Any failed read of a kept descriptor closes it and retries with a fresh
//   open, so an error is always the path's error, never a stale
//   descriptor's. EMFILE or ENFILE on an open closes every idle kept
//   descriptor and retries once: the cache never costs a read its file.
// - At most kMaxKept descriptors; files not read for kIdleSeconds are closed
//   (checked at most every kSweepSeconds, on the next read).
#ifndef NODE_EXPORTER_NATIVE_READCACHE_H_
#define NODE_EXPORTER_NATIVE_READCACHE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace nx {

// Directories checked by one batch: each is stat()ed at most once per batch.
// Value: the generation of the directory's identity the batch found (0: it
// could not be stat()ed, nothing under it is kept).
using DirChecks = std::unordered_map<std::string, uint64_t>;

// ReadFile's contract (whole file, at most `limit` bytes, EFBIG beyond),
// through the cache.
int ReadFileKept(const std::string& path, size_t limit, std::string* out, DirChecks* checks);

struct ReadCacheCounts {
  uint32_t files;  // descriptors kept open
  uint32_t dirs;   // directories they sit in
};
ReadCacheCounts ReadCacheStats();

// Closes every idle kept descriptor (for tests, and on EMFILE).
void ReadCacheClear();

}  // namespace nx

#endif  // NODE_EXPORTER_NATIVE_READCACHE_H_
