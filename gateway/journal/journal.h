// The exchange's journal: a write-ahead log of sequenced inputs (order entry, replace, cancel,
// clock events, operator actions). Every input that changes state gets a global sequence
// number and a timestamp and is appended here before any of its effects are sent out; on
// start the server replays the journal. Format: gateway/journal/record.h; rules and error
// messages: docs/JOURNAL.md.
//
// Start-up sequence of the server (single thread, before any session is accepted):
//
//   ASSIGN_OR_RETURN(RecoveryReport r, RecoverJournal(path, replay_into_engine));
//   if (r.cut) log loudly: r.cut->ToString();
//   ASSIGN_OR_RETURN(JournalWriter w, JournalWriter::Open(path, mode, r.next_sequence));
//
// The journal is single-writer: JournalWriter and RecoverJournal take an exclusive flock(2)
// on the file and fail if another process (or another open writer) holds it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "gateway/journal/record.h"

namespace ccx {

/// When appended records reach stable storage (`--fsync none|batch|always`).
enum class FsyncMode : uint8_t {
  kNone = 0,    ///< write(2) only: survives kill -9 of the process, not power loss
  kBatch = 1,   ///< group commit: durable once Sync() returns
  kAlways = 2,  ///< fdatasync(2) inside every Append: durable once Append returns
};

/// "none", "batch" or "always".
std::string_view FsyncModeName(FsyncMode mode);
/// Parses "none", "batch" or "always"; InvalidArgument otherwise.
absl::StatusOr<FsyncMode> ParseFsyncMode(std::string_view text);
/// absl::Flags hooks, so that `ABSL_FLAG(ccx::FsyncMode, fsync, ...)` works.
bool AbslParseFlag(absl::string_view text, FsyncMode* mode, std::string* error);
std::string AbslUnparseFlag(FsyncMode mode);

/// `data_dir`/journal/ccx.journal: where the server keeps its journal. The caller creates
/// the directory.
std::string DefaultJournalPath(std::string_view data_dir);

/// Appends records to one journal file. Not thread-safe: the sequencer thread owns it.
///
/// Guarantee on return of OK from Append: the whole record has been handed to the kernel
/// with writev(2) (one call unless the kernel writes short), so it survives a crash or
/// kill -9 of this process in every mode. It is on stable storage (survives power loss)
/// when Append returns in kAlways mode, and when the next Sync() returns OK in kBatch mode.
/// Acknowledge a record only after that point. There is no user-space buffer, hence no
/// Flush(). No allocation per Append.
///
/// Failures are sticky: after any I/O error (write, short write that cannot finish,
/// fdatasync) every later Append/Sync returns the same error and the process must stop
/// acknowledging. A record whose Append failed may or may not be found by the next
/// recovery; nobody has acted on it, so either is correct.
class JournalWriter {
 public:
  /// Opens `path` for appending, creating it (with a file header whose first sequence is
  /// `next_sequence`) if it is missing or empty. An existing file must have a valid header
  /// and must have been through RecoverJournal first (no torn tail); pass that report's
  /// next_sequence. On creation the header is fdatasync'ed and the directory fsync'ed
  /// except in kNone mode. The parent directory must exist. `next_sequence` >= 1.
  /// Errors: NotFound/PermissionDenied etc. from open(2); FailedPrecondition if the file is
  /// locked by another writer, shorter than a header, or if a header-only file starts at
  /// another sequence; the header errors of DecodeFileHeader.
  static absl::StatusOr<JournalWriter> Open(std::string path, FsyncMode mode,
                                            uint64_t next_sequence);

  JournalWriter(JournalWriter&& other) noexcept;
  JournalWriter& operator=(JournalWriter&& other) noexcept;
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;
  /// Closes the file without syncing (call Close() to sync and see errors).
  ~JournalWriter();

  /// Appends one record, assigning it the next sequence number, which is returned.
  /// `type` != 0; `payload.size()` <= kJournalMaxPayload (InvalidArgument otherwise, not
  /// sticky). The bytes are copied to the kernel before return; the span is not retained.
  /// `timestamp_ns` is stored as given (ns since the Unix epoch, the sequencer's stamp).
  absl::StatusOr<uint64_t> Append(uint16_t type, int64_t timestamp_ns,
                                  absl::Span<const uint8_t> payload);

  /// Group commit: makes every record appended so far durable (one fdatasync). kBatch: call
  /// after a batch of Appends, acknowledge the batch after it returns OK; a no-op if
  /// nothing was appended since the last Sync. kAlways: no-op (Append synced). kNone: no-op.
  absl::Status Sync();

  /// Sync()s (kBatch) and closes the file. Later calls fail with FailedPrecondition.
  absl::Status Close();

  /// The sequence number the next Append will assign.
  uint64_t next_sequence() const { return next_sequence_; }
  /// Current size of the file in bytes (header included).
  uint64_t size_bytes() const { return size_; }
  FsyncMode mode() const { return mode_; }
  const std::string& path() const { return path_; }

 private:
  JournalWriter(std::string path, int fd, FsyncMode mode, uint64_t next_sequence, uint64_t size);
  absl::Status Fail(absl::Status status);

  std::string path_;
  int fd_ = -1;
  FsyncMode mode_ = FsyncMode::kAlways;
  uint64_t next_sequence_ = 1;
  uint64_t size_ = 0;
  bool unsynced_ = false;
  absl::Status failure_;  ///< sticky I/O error, OK while healthy
};

/// The end of a journal that failed validation in a way a crash can explain: a partial
/// record, or a bad final record with no valid record after it. RecoverJournal cuts it.
struct TailDamage {
  uint64_t offset = 0;    ///< byte offset where the damaged data starts (= new file size)
  uint64_t bytes = 0;     ///< bytes from `offset` to the end of the file
  uint64_t sequence = 0;  ///< sequence number the damaged record would have had
  std::string reason;     ///< e.g. "checksum mismatch", "record runs past end of file ..."
  /// "torn tail at byte 1234 (sequence 57): checksum mismatch; 92 bytes cut"
  std::string ToString() const;
};

/// Reads and validates a journal file front to back. Holds a read-only mapping of the file
/// as it was at Open. Takes no lock: a file being appended to reads as ending in a torn
/// tail. Do not truncate the file while a reader is open on it.
class JournalReader {
 public:
  /// Maps `path` and validates its header. A missing file is NotFound. An empty file reads
  /// as no records. A file shorter than a header that looks like a header cut short reads
  /// as no records with tail_damage() at byte 0. Errors: wrong magic is InvalidArgument
  /// "journal <path>: not a ccx journal ..."; the other DecodeFileHeader errors.
  static absl::StatusOr<JournalReader> Open(std::string path);

  JournalReader(JournalReader&& other) noexcept;
  JournalReader& operator=(JournalReader&& other) noexcept;
  JournalReader(const JournalReader&) = delete;
  JournalReader& operator=(const JournalReader&) = delete;
  ~JournalReader();

  /// Reads the next record into `*record` and returns true; returns false at the end of the
  /// valid journal (then tail_damage() says whether a torn tail follows). Sequence numbers
  /// must run from the header's first_sequence up by 1. DataLoss for a corrupt record with a
  /// valid record somewhere after it ("journal J: corrupt record at byte B (sequence S):
  /// WHAT; N bytes follow, including a valid record at byte B2 (sequence S2) - refusing to
  /// start"; S is the sequence the record should have had, N counts from B to the end of
  /// the file), and for a record with a good checksum but a wrong sequence, type 0 or a
  /// reserved field set ("journal J: bad record at byte B (sequence S): sequence 60 out of
  /// order (gap or duplicate); N bytes follow - refusing to start"). After an error or
  /// false, Next keeps returning it.
  absl::StatusOr<bool> Next(JournalRecord* record);

  /// The torn tail found by Next (set once Next has returned false), or nullopt.
  const std::optional<TailDamage>& tail_damage() const { return tail_; }
  /// Byte offset just past the last valid record (or the header; 0 without a header).
  uint64_t valid_end() const { return pos_; }
  /// Sequence number of the next record expected (first_sequence before any was read).
  uint64_t next_sequence() const { return expected_; }
  /// The header's first sequence (0 if the file has no complete header).
  uint64_t first_sequence() const { return first_sequence_; }
  /// The header's creation time (0 if the file has no complete header).
  int64_t created_at_ns() const { return created_at_ns_; }
  uint64_t file_size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  JournalReader(std::string path, const uint8_t* data, uint64_t size);
  // Classifies the bad record at pos_ (described by `what`): a torn tail (returns false)
  // or mid-file damage (returns the DataLoss error). Either way Next is finished.
  absl::StatusOr<bool> Damaged(std::string what);
  // Offset of the first valid record after pos_ that could belong to this journal, or
  // size_ if there is none.
  uint64_t FindValidRecordAfterPos(uint64_t* sequence) const;

  std::string path_;
  const uint8_t* data_ = nullptr;  ///< mmap of the file (nullptr when empty)
  uint64_t size_ = 0;
  uint64_t pos_ = 0;
  uint64_t expected_ = 0;
  uint64_t first_sequence_ = 0;
  int64_t created_at_ns_ = 0;
  bool done_ = false;
  absl::Status error_;
  std::optional<TailDamage> tail_;
};

/// What RecoverJournal found and did.
struct RecoveryReport {
  bool new_journal = false;       ///< file missing or empty: the writer will create it
  uint64_t records = 0;           ///< valid records kept
  uint64_t first_sequence = 0;    ///< header's first sequence (0 without a header)
  uint64_t last_sequence = 0;     ///< sequence of the last valid record (0 if none)
  uint64_t next_sequence = 1;     ///< pass to JournalWriter::Open
  uint64_t size_bytes = 0;        ///< file size after recovery
  std::optional<TailDamage> cut;  ///< the torn tail that was truncated away, if any
};

/// Called by RecoverJournal for each valid record, in order. A non-OK return stops the
/// recovery (nothing is truncated) and is returned.
using JournalVisitor = std::function<absl::Status(const JournalRecord&)>;

/// Validates the journal at `path`, calls `visit` (if set) for each valid record, and
/// truncates a torn tail (ftruncate + fdatasync). A missing or empty file is a new journal
/// (next_sequence 1); a torn header is cut to an empty file. Holds the journal's exclusive
/// lock meanwhile (FailedPrecondition if a writer holds it). Mid-file corruption and header
/// errors are returned as by JournalReader; then nothing is changed.
absl::StatusOr<RecoveryReport> RecoverJournal(const std::string& path,
                                              const JournalVisitor& visit = nullptr);

}  // namespace ccx
