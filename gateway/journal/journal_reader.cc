// JournalReader (validating front-to-back scan) and RecoverJournal (cut a torn tail).
//
// Deciding "torn tail" versus "corrupt middle" at the first bad record B (offset P):
//
//   ... good | good | B (bad: short, bad length, or bad checksum) | ??? ... EOF
//
// A crash can only damage the end of an append-only file: a record cut short by kill -9
// in the middle of a large write(2), or blocks that never reached the disk (zeros or stale
// data) after power loss. So B is a torn tail iff no valid record of this journal starts at
// any byte after P: we try every offset P+1 .. EOF-28 and accept a record only if its
// sequence is plausible (>= the one B should have had, and at most one per 28 bytes after
// it), its length fits in the file and its CRC-32 matches. One valid record after B means
// B sits in the middle of data that was acknowledged: refuse to start. (A false match needs
// a 64-bit sequence in range and a 32-bit CRC agreeing by chance.)
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/journal/journal.h"
#include "gateway/journal/posix_file.h"

namespace ccx {

using journal_format::kFileHeaderSize;
using journal_format::kRecordHeaderSize;
using journal_internal::ErrnoError;
using journal_internal::UniqueFd;
using journal_internal::WithPath;

std::string TailDamage::ToString() const {
  std::string out = absl::StrCat("torn tail at byte ", offset);
  if (sequence != 0) absl::StrAppend(&out, " (sequence ", sequence, ")");
  absl::StrAppend(&out, ": ", reason, "; ", bytes, " bytes cut");
  return out;
}

absl::StatusOr<JournalReader> JournalReader::Open(std::string path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return ErrnoError(path, "open", errno);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return ErrnoError(path, "fstat", errno);
  const auto size = static_cast<uint64_t>(st.st_size);
  const uint8_t* data = nullptr;
  if (size > 0) {
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
    if (map == MAP_FAILED) return ErrnoError(path, "mmap", errno);
    ::madvise(map, size, MADV_SEQUENTIAL);  // a hint; failure is harmless
    data = static_cast<const uint8_t*>(map);
  }
  JournalReader reader(std::move(path), data, size);  // owns the mapping from here
  if (size == 0) {
    reader.done_ = true;  // an empty file: a journal whose header was never written
  } else if (size < kFileHeaderSize) {
    if (!journal_format::IsTornFileHeader({data, size})) {
      return absl::InvalidArgumentError(absl::StrCat(
          "journal ", reader.path_, ": not a ccx journal (", size, " bytes, no magic)"));
    }
    reader.tail_ =
        TailDamage{0, size, 0,
                   absl::StrCat("partial file header (", size, " of ", kFileHeaderSize, " bytes)")};
    reader.done_ = true;
  } else {
    journal_format::FileHeader header;
    if (absl::Status s = journal_format::DecodeFileHeader({data, size}, &header); !s.ok()) {
      return WithPath(reader.path_, s);
    }
    reader.first_sequence_ = header.first_sequence;
    reader.created_at_ns_ = header.created_at_ns;
    reader.expected_ = header.first_sequence;
    reader.pos_ = kFileHeaderSize;
  }
  return reader;
}

JournalReader::JournalReader(std::string path, const uint8_t* data, uint64_t size)
    : path_(std::move(path)), data_(data), size_(size) {}

JournalReader::JournalReader(JournalReader&& other) noexcept
    : path_(std::move(other.path_)),
      data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      pos_(other.pos_),
      expected_(other.expected_),
      first_sequence_(other.first_sequence_),
      created_at_ns_(other.created_at_ns_),
      done_(other.done_),
      error_(std::move(other.error_)),
      tail_(std::move(other.tail_)) {}

JournalReader& JournalReader::operator=(JournalReader&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) ::munmap(const_cast<uint8_t*>(data_), size_);
    path_ = std::move(other.path_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    pos_ = other.pos_;
    expected_ = other.expected_;
    first_sequence_ = other.first_sequence_;
    created_at_ns_ = other.created_at_ns_;
    done_ = other.done_;
    error_ = std::move(other.error_);
    tail_ = std::move(other.tail_);
  }
  return *this;
}

JournalReader::~JournalReader() {
  if (data_ != nullptr) ::munmap(const_cast<uint8_t*>(data_), size_);
}

absl::StatusOr<bool> JournalReader::Next(JournalRecord* record) {
  if (!error_.ok()) return error_;
  if (done_) return false;
  const uint64_t left = size_ - pos_;
  if (left == 0) {
    done_ = true;
    return false;
  }
  if (left < kRecordHeaderSize) {
    return Damaged(
        absl::StrCat("partial record header (", left, " of ", kRecordHeaderSize, " bytes)"));
  }
  const uint8_t* p = data_ + pos_;
  const journal_format::RecordHeader h = journal_format::DecodeRecordHeader(p);
  if (h.payload_size > kJournalMaxPayload) {
    return Damaged(
        absl::StrCat("length field ", h.payload_size, " exceeds the maximum ", kJournalMaxPayload));
  }
  const uint64_t total = kRecordHeaderSize + uint64_t{h.payload_size};
  if (total > left) {
    return Damaged(absl::StrCat("record runs past the end of the file (", total, " bytes, ", left,
                                " present)"));
  }
  const absl::Span<const uint8_t> payload(p + kRecordHeaderSize, h.payload_size);
  const uint32_t computed = journal_format::RecordChecksum(p, payload);
  if (computed != h.checksum) {
    return Damaged(absl::StrCat("checksum mismatch (stored 0x",
                                absl::Hex(h.checksum, absl::kZeroPad8), ", computed 0x",
                                absl::Hex(computed, absl::kZeroPad8), ")"));
  }
  // The checksum holds, so what follows was written this way: not a torn write.
  std::string what;
  if (h.type == kJournalRecordInvalid) {
    what = "record type 0";
  } else if (h.reserved != 0) {
    what = absl::StrCat("reserved field is ", h.reserved);
  } else if (h.sequence != expected_) {
    what = absl::StrCat("sequence ", h.sequence, " out of order (gap or duplicate)");
  }
  if (!what.empty()) {
    error_ = absl::DataLossError(absl::StrCat("journal ", path_, ": bad record at byte ", pos_,
                                              " (sequence ", expected_, "): ", what, "; ",
                                              size_ - pos_, " bytes follow - refusing to start"));
    return error_;
  }
  record->sequence = h.sequence;
  record->timestamp_ns = h.timestamp_ns;
  record->type = h.type;
  record->payload = payload;
  record->offset = pos_;
  pos_ += total;
  ++expected_;
  return true;
}

uint64_t JournalReader::FindValidRecordAfterPos(uint64_t* sequence) const {
  for (uint64_t o = pos_ + 1; o + kRecordHeaderSize <= size_; ++o) {
    const uint8_t* p = data_ + o;
    uint64_t seq;
    std::memcpy(&seq, p + 8, sizeof(seq));
    // Cheap filter first: a record at `o` is at most (o - pos_) / 28 sequences after B.
    if (seq < expected_ || seq - expected_ > (o - pos_) / kRecordHeaderSize) continue;
    const journal_format::RecordHeader h = journal_format::DecodeRecordHeader(p);
    if (h.payload_size > kJournalMaxPayload) continue;
    if (kRecordHeaderSize + uint64_t{h.payload_size} > size_ - o) continue;
    const absl::Span<const uint8_t> payload(p + kRecordHeaderSize, h.payload_size);
    if (journal_format::RecordChecksum(p, payload) != h.checksum) continue;
    *sequence = seq;
    return o;
  }
  return size_;
}

absl::StatusOr<bool> JournalReader::Damaged(std::string what) {
  uint64_t next_sequence = 0;
  const uint64_t next = FindValidRecordAfterPos(&next_sequence);
  if (next < size_) {
    error_ = absl::DataLossError(absl::StrCat(
        "journal ", path_, ": corrupt record at byte ", pos_, " (sequence ", expected_, "): ", what,
        "; ", size_ - pos_, " bytes follow, including a valid record at byte ", next, " (sequence ",
        next_sequence, ") - refusing to start"));
    return error_;
  }
  tail_ = TailDamage{pos_, size_ - pos_, expected_, std::move(what)};
  done_ = true;
  return false;
}

absl::StatusOr<RecoveryReport> RecoverJournal(const std::string& path,
                                              const JournalVisitor& visit) {
  RecoveryReport report;
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) {
      report.new_journal = true;
      return report;
    }
    return ErrnoError(path, "open", errno);
  }
  if (absl::Status s = journal_internal::LockExclusive(fd.get(), path); !s.ok()) return s;
  {
    absl::StatusOr<JournalReader> reader = JournalReader::Open(path);
    if (!reader.ok()) return reader.status();
    JournalRecord record;
    while (true) {
      absl::StatusOr<bool> more = reader->Next(&record);
      if (!more.ok()) return more.status();
      if (!*more) break;
      if (visit) {
        if (absl::Status s = visit(record); !s.ok()) return s;
      }
      ++report.records;
      report.last_sequence = record.sequence;
    }
    report.first_sequence = reader->first_sequence();
    report.next_sequence = report.first_sequence == 0 ? 1 : reader->next_sequence();
    report.size_bytes = reader->valid_end();
    report.cut = reader->tail_damage();
  }  // unmapped before the file shrinks
  if (report.cut) {
    if (::ftruncate(fd.get(), static_cast<off_t>(report.size_bytes)) != 0) {
      return ErrnoError(path, "ftruncate", errno);
    }
    if (::fdatasync(fd.get()) != 0) return ErrnoError(path, "fdatasync", errno);
  }
  report.new_journal = report.size_bytes == 0;
  return report;
}

}  // namespace ccx
