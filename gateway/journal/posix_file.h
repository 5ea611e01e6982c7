// Internal to gateway/journal: the few POSIX file helpers the writer and the recovery share.
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace ccx::journal_internal {

/// Owns a file descriptor; closes it on destruction unless released.
class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

/// `status` with its message prefixed by "journal <path>: ".
inline absl::Status WithPath(absl::string_view path, const absl::Status& status) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat("journal ", path, ": ", status.message()));
}

/// errno of the failed `call` as a Status: "journal <path>: <call>: <strerror>".
inline absl::Status ErrnoError(absl::string_view path, absl::string_view call, int error) {
  return absl::ErrnoToStatus(error, absl::StrCat("journal ", path, ": ", call));
}

/// Takes the journal's single-writer lock (flock, exclusive, non-blocking) on `fd`. The
/// lock lives as long as the open file description, and dies with the process.
inline absl::Status LockExclusive(int fd, absl::string_view path) {
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    if (errno == EWOULDBLOCK) {
      return absl::FailedPreconditionError(
          absl::StrCat("journal ", path, ": locked by another writer (is a server running?)"));
    }
    return ErrnoError(path, "flock", errno);
  }
  return absl::OkStatus();
}

}  // namespace ccx::journal_internal
