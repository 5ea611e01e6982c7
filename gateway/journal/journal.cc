// JournalWriter: appends sequenced records with writev(2), syncing per FsyncMode.
// (The reader and the recovery live in journal_reader.cc.)
#include "gateway/journal/journal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/journal/posix_file.h"

namespace ccx {

using journal_format::kFileHeaderSize;
using journal_format::kRecordHeaderSize;
using journal_internal::ErrnoError;
using journal_internal::UniqueFd;
using journal_internal::WithPath;

namespace {

// Writes all of iov[0..count) at the end of the file (O_APPEND), continuing after short
// writes and EINTR. `iov` is modified.
absl::Status WriteAll(int fd, struct iovec* iov, int count, absl::string_view path) {
  while (count > 0) {
    const ssize_t n = ::writev(fd, iov, count);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(path, "writev", errno);
    }
    if (n == 0) return absl::DataLossError(absl::StrCat("journal ", path, ": writev wrote 0"));
    auto left = static_cast<size_t>(n);
    while (count > 0 && left >= iov->iov_len) {
      left -= iov->iov_len;
      ++iov;
      --count;
    }
    if (count > 0) {
      iov->iov_base = static_cast<uint8_t*>(iov->iov_base) + left;
      iov->iov_len -= left;
    }
  }
  return absl::OkStatus();
}

absl::Status DataSync(int fd, absl::string_view path) {
  while (::fdatasync(fd) != 0) {
    if (errno == EINTR) continue;
    return ErrnoError(path, "fdatasync", errno);
  }
  return absl::OkStatus();
}

// Makes a newly created directory entry durable.
absl::Status SyncParentDirectory(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  const std::filesystem::path dir = parent.empty() ? std::filesystem::path(".") : parent;
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return ErrnoError(path, "open parent directory", errno);
  if (::fsync(fd.get()) != 0) return ErrnoError(path, "fsync parent directory", errno);
  return absl::OkStatus();
}

int64_t WallClockNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string_view FsyncModeName(FsyncMode mode) {
  switch (mode) {
    case FsyncMode::kNone:
      return "none";
    case FsyncMode::kBatch:
      return "batch";
    case FsyncMode::kAlways:
      return "always";
  }
  return "?";
}

absl::StatusOr<FsyncMode> ParseFsyncMode(std::string_view text) {
  for (FsyncMode m : {FsyncMode::kNone, FsyncMode::kBatch, FsyncMode::kAlways}) {
    if (text == FsyncModeName(m)) return m;
  }
  return absl::InvalidArgumentError(absl::StrCat("fsync mode \"",
                                                 absl::string_view(text.data(), text.size()),
                                                 "\": expected none, batch or always"));
}

bool AbslParseFlag(absl::string_view text, FsyncMode* mode, std::string* error) {
  absl::StatusOr<FsyncMode> parsed = ParseFsyncMode(std::string_view(text.data(), text.size()));
  if (!parsed.ok()) {
    *error = std::string(parsed.status().message());
    return false;
  }
  *mode = *parsed;
  return true;
}

std::string AbslUnparseFlag(FsyncMode mode) { return std::string(FsyncModeName(mode)); }

std::string DefaultJournalPath(std::string_view data_dir) {
  return (std::filesystem::path(data_dir) / "journal" / "ccx.journal").string();
}

absl::StatusOr<JournalWriter> JournalWriter::Open(std::string path, FsyncMode mode,
                                                  uint64_t next_sequence) {
  if (next_sequence == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("journal ", path, ": sequence numbers start at 1"));
  }
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (fd.get() < 0) return ErrnoError(path, "open", errno);
  if (absl::Status s = journal_internal::LockExclusive(fd.get(), path); !s.ok()) return s;
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return ErrnoError(path, "fstat", errno);
  auto size = static_cast<uint64_t>(st.st_size);

  if (size == 0) {  // new journal (or one whose torn header recovery cut away)
    uint8_t header[kFileHeaderSize];
    journal_format::EncodeFileHeader({next_sequence, WallClockNanos()}, header);
    struct iovec iov = {header, sizeof(header)};
    if (absl::Status s = WriteAll(fd.get(), &iov, 1, path); !s.ok()) return s;
    if (mode != FsyncMode::kNone) {
      if (absl::Status s = DataSync(fd.get(), path); !s.ok()) return s;
      if (absl::Status s = SyncParentDirectory(path); !s.ok()) return s;
    }
    size = kFileHeaderSize;
  } else if (size < kFileHeaderSize) {
    return absl::FailedPreconditionError(absl::StrCat("journal ", path,
                                                      ": file is shorter than its header (", size,
                                                      " bytes); run RecoverJournal first"));
  } else {
    uint8_t header[kFileHeaderSize];
    if (::pread(fd.get(), header, sizeof(header), 0) != static_cast<ssize_t>(sizeof(header))) {
      return ErrnoError(path, "pread header", errno);
    }
    journal_format::FileHeader decoded;
    if (absl::Status s = journal_format::DecodeFileHeader(header, &decoded); !s.ok()) {
      return WithPath(path, s);
    }
    // Cheap consistency checks; the full check is RecoverJournal's scan.
    if (size == kFileHeaderSize && decoded.first_sequence != next_sequence) {
      return absl::FailedPreconditionError(
          absl::StrCat("journal ", path, ": empty journal starts at sequence ",
                       decoded.first_sequence, ", not ", next_sequence));
    }
    if (size > kFileHeaderSize && next_sequence <= decoded.first_sequence) {
      return absl::FailedPreconditionError(
          absl::StrCat("journal ", path, ": next sequence ", next_sequence,
                       " but the journal holds records from ", decoded.first_sequence));
    }
  }
  return JournalWriter(std::move(path), fd.release(), mode, next_sequence, size);
}

JournalWriter::JournalWriter(std::string path, int fd, FsyncMode mode, uint64_t next_sequence,
                             uint64_t size)
    : path_(std::move(path)), fd_(fd), mode_(mode), next_sequence_(next_sequence), size_(size) {}

JournalWriter::JournalWriter(JournalWriter&& other) noexcept
    : path_(std::move(other.path_)),
      fd_(std::exchange(other.fd_, -1)),
      mode_(other.mode_),
      next_sequence_(other.next_sequence_),
      size_(other.size_),
      unsynced_(other.unsynced_),
      failure_(std::move(other.failure_)) {}

JournalWriter& JournalWriter::operator=(JournalWriter&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
    mode_ = other.mode_;
    next_sequence_ = other.next_sequence_;
    size_ = other.size_;
    unsynced_ = other.unsynced_;
    failure_ = std::move(other.failure_);
  }
  return *this;
}

JournalWriter::~JournalWriter() {
  if (fd_ >= 0) ::close(fd_);
}

absl::Status JournalWriter::Fail(absl::Status status) {
  failure_ = std::move(status);
  return failure_;
}

absl::StatusOr<uint64_t> JournalWriter::Append(uint16_t type, int64_t timestamp_ns,
                                               absl::Span<const uint8_t> payload) {
  if (!failure_.ok()) return failure_;
  if (fd_ < 0) return absl::FailedPreconditionError(absl::StrCat("journal ", path_, ": closed"));
  if (type == kJournalRecordInvalid) {
    return absl::InvalidArgumentError(absl::StrCat("journal ", path_, ": record type 0"));
  }
  if (payload.size() > kJournalMaxPayload) {
    return absl::InvalidArgumentError(absl::StrCat(
        "journal ", path_, ": payload of ", payload.size(), " bytes exceeds ", kJournalMaxPayload));
  }
  journal_format::RecordHeader h;
  h.payload_size = static_cast<uint32_t>(payload.size());
  h.sequence = next_sequence_;
  h.timestamp_ns = timestamp_ns;
  h.type = type;
  uint8_t header[kRecordHeaderSize];
  journal_format::EncodeRecordHeader(h, header);
  h.checksum = journal_format::RecordChecksum(header, payload);
  journal_format::EncodeRecordHeader(h, header);

  // One writev: header and payload go to the kernel together, no copy into a buffer.
  struct iovec iov[2] = {{header, sizeof(header)},
                         {const_cast<uint8_t*>(payload.data()), payload.size()}};
  if (absl::Status s = WriteAll(fd_, iov, payload.empty() ? 1 : 2, path_); !s.ok()) {
    return Fail(std::move(s));
  }
  size_ += kRecordHeaderSize + payload.size();
  if (mode_ == FsyncMode::kAlways) {
    if (absl::Status s = DataSync(fd_, path_); !s.ok()) return Fail(std::move(s));
  } else if (mode_ == FsyncMode::kBatch) {
    unsynced_ = true;
  }
  return next_sequence_++;
}

absl::Status JournalWriter::Sync() {
  if (!failure_.ok()) return failure_;
  if (fd_ < 0) return absl::FailedPreconditionError(absl::StrCat("journal ", path_, ": closed"));
  if (mode_ != FsyncMode::kBatch || !unsynced_) return absl::OkStatus();
  if (absl::Status s = DataSync(fd_, path_); !s.ok()) return Fail(std::move(s));
  unsynced_ = false;
  return absl::OkStatus();
}

absl::Status JournalWriter::Close() {
  absl::Status status = Sync();
  if (fd_ >= 0 && ::close(std::exchange(fd_, -1)) != 0 && status.ok()) {
    status = Fail(ErrnoError(path_, "close", errno));
  }
  return status;
}

}  // namespace ccx
