// On-disk format of the ccx journal (the write-ahead log of sequenced inputs). This header
// is the single source of truth for the byte layout; docs/JOURNAL.md draws the same picture.
//
// All integers are little-endian. A journal file is a file header followed by records:
//
//   file header (40 bytes)
//     0  char[8] magic           "CCXJRNL1"
//     8  u32     version          kJournalFormatVersion (1)
//    12  u32     header_size      40
//    16  u64     first_sequence   sequence number of the file's first record
//    24  i64     created_at_ns    wall clock when the file was created (ns since the Unix epoch)
//    32  u32     reserved         0
//    36  u32     checksum         CRC-32 (zlib) of bytes [0, 36)
//
//   record (28-byte header + payload)
//     0  u32     payload_size     bytes of payload, <= kJournalMaxPayload
//     4  u32     checksum         CRC-32 (zlib) of bytes [0, 4) ++ [8, 28 + payload_size)
//     8  u64     sequence         global input sequence number; +1 per record, no gaps
//    16  i64     timestamp_ns     the sequencer's stamp (ns since the Unix epoch); not checked
//    24  u16     type             kJournalRecord*; 0 is invalid
//    26  u16     reserved         0
//    28  u8[]    payload          opaque bytes (for type 1: a raw engine Command)
//
// The checksum covers the length, so a flipped length bit is caught; it does not cover
// itself. Records are not padded: payloads may be unaligned, so read them with memcpy
// (PayloadAs below), never by casting the pointer.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "absl/status/status.h"
#include "absl/types/span.h"

namespace ccx {

static_assert(std::endian::native == std::endian::little,
              "the journal stores integers little-endian by memcpy; add byte swaps to port");

/// Record types. The journal itself stores (type, bytes); the meaning is the server's.
inline constexpr uint16_t kJournalRecordInvalid = 0;        ///< never written; rejected
inline constexpr uint16_t kJournalRecordEngineCommand = 1;  ///< payload = raw ccx::Command
inline constexpr uint16_t kJournalRecordSession = 2;        ///< session / administrative

/// Largest payload one record may carry (1 MiB). A larger length field is corruption.
inline constexpr uint32_t kJournalMaxPayload = 1u << 20;

/// One record as the reader hands it out. `payload` points into the reader's mapping of the
/// file and stays valid until that JournalReader is destroyed or moved from.
struct JournalRecord {
  uint64_t sequence = 0;
  int64_t timestamp_ns = 0;
  uint16_t type = kJournalRecordInvalid;
  absl::Span<const uint8_t> payload;
  uint64_t offset = 0;  ///< byte offset of the record header in the file
};

/// The bytes of a trivially copyable value, for JournalWriter::Append. The span aliases
/// `value` and is valid as long as `value` is.
template <class T>
absl::Span<const uint8_t> JournalBytesOf(const T& value) {
  static_assert(std::is_trivially_copyable_v<T>);
  return {reinterpret_cast<const uint8_t*>(&value), sizeof(T)};
}

/// Copies `record`'s payload into `*out` if its size is exactly sizeof(T); returns false
/// (and leaves *out alone) otherwise. Safe for unaligned payloads.
template <class T>
bool PayloadAs(const JournalRecord& record, T* out) {
  static_assert(std::is_trivially_copyable_v<T>);
  if (record.payload.size() != sizeof(T)) return false;
  std::memcpy(out, record.payload.data(), sizeof(T));
  return true;
}

namespace journal_format {

inline constexpr char kMagic[8] = {'C', 'C', 'X', 'J', 'R', 'N', 'L', '1'};
inline constexpr uint32_t kVersion = 1;
inline constexpr size_t kFileHeaderSize = 40;
inline constexpr size_t kRecordHeaderSize = 28;

/// The fields of the file header that carry information.
struct FileHeader {
  uint64_t first_sequence = 1;
  int64_t created_at_ns = 0;
};

/// Writes the 40-byte file header (magic, version, checksum included) to `out`.
void EncodeFileHeader(const FileHeader& header, uint8_t (&out)[kFileHeaderSize]);

/// Parses and validates a file header. `bytes` must hold at least kFileHeaderSize bytes.
/// Errors (the caller prefixes the file name): InvalidArgument "not a ccx journal" for a
/// wrong magic, FailedPrecondition for an unknown version or header size, DataLoss for a
/// checksum mismatch or a nonzero reserved field.
absl::Status DecodeFileHeader(absl::Span<const uint8_t> bytes, FileHeader* out);

/// True if `bytes` (shorter than a header) could be the start of a header whose write was
/// cut short: a prefix of the magic, or all zeros (size extended, data never written).
bool IsTornFileHeader(absl::Span<const uint8_t> bytes);

/// The fixed part of a record.
struct RecordHeader {
  uint32_t payload_size = 0;
  uint32_t checksum = 0;
  uint64_t sequence = 0;
  int64_t timestamp_ns = 0;
  uint16_t type = kJournalRecordInvalid;
  uint16_t reserved = 0;
};

/// Writes `header` (checksum as given) to `out[0, kRecordHeaderSize)`.
void EncodeRecordHeader(const RecordHeader& header, uint8_t* out);

/// Reads a record header from `in[0, kRecordHeaderSize)`; no validation.
RecordHeader DecodeRecordHeader(const uint8_t* in);

/// The checksum a record must carry: CRC-32 of header bytes [0, 4) and [8, 28), then the
/// payload. `header` points at an encoded record header (its checksum field is ignored).
uint32_t RecordChecksum(const uint8_t* header, absl::Span<const uint8_t> payload);

}  // namespace journal_format
}  // namespace ccx
