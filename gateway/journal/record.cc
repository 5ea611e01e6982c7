// Encoding and checksums of the journal's file header and record headers (see record.h).
#include "gateway/journal/record.h"

#include <zlib.h>

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace ccx::journal_format {
namespace {

template <class T>
void Put(uint8_t* out, T value) {
  std::memcpy(out, &value, sizeof(T));
}

template <class T>
T Get(const uint8_t* in) {
  T value;
  std::memcpy(&value, in, sizeof(T));
  return value;
}

// zlib's CRC-32 (IEEE 802.3 polynomial), continued from `crc`. zlib takes uInt lengths;
// every range we checksum is at most a header plus kJournalMaxPayload bytes.
uint32_t Crc(uint32_t crc, const uint8_t* data, size_t size) {
  return static_cast<uint32_t>(::crc32(crc, data, static_cast<uInt>(size)));
}

}  // namespace

void EncodeFileHeader(const FileHeader& header, uint8_t (&out)[kFileHeaderSize]) {
  std::memcpy(out, kMagic, sizeof(kMagic));
  Put<uint32_t>(out + 8, kVersion);
  Put<uint32_t>(out + 12, static_cast<uint32_t>(kFileHeaderSize));
  Put<uint64_t>(out + 16, header.first_sequence);
  Put<int64_t>(out + 24, header.created_at_ns);
  Put<uint32_t>(out + 32, 0);
  Put<uint32_t>(out + 36, Crc(0, out, 36));
}

absl::Status DecodeFileHeader(absl::Span<const uint8_t> bytes, FileHeader* out) {
  if (bytes.size() < kFileHeaderSize) {
    return absl::DataLossError(
        absl::StrCat("file header is ", bytes.size(), " bytes, needs ", kFileHeaderSize));
  }
  const uint8_t* p = bytes.data();
  if (std::memcmp(p, kMagic, sizeof(kMagic)) != 0) {
    return absl::InvalidArgumentError("not a ccx journal (magic is not \"CCXJRNL1\")");
  }
  const auto version = Get<uint32_t>(p + 8);
  if (version != kVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "unsupported journal format version ", version, " (this build reads ", kVersion, ")"));
  }
  const auto header_size = Get<uint32_t>(p + 12);
  if (header_size != kFileHeaderSize) {
    return absl::FailedPreconditionError(
        absl::StrCat("unsupported file header size ", header_size));
  }
  const auto stored = Get<uint32_t>(p + 36);
  const uint32_t computed = Crc(0, p, 36);
  if (stored != computed) {
    return absl::DataLossError(absl::StrCat("file header checksum mismatch (stored 0x",
                                            absl::Hex(stored, absl::kZeroPad8), ", computed 0x",
                                            absl::Hex(computed, absl::kZeroPad8), ")"));
  }
  if (Get<uint32_t>(p + 32) != 0) return absl::DataLossError("file header reserved field set");
  out->first_sequence = Get<uint64_t>(p + 16);
  out->created_at_ns = Get<int64_t>(p + 24);
  if (out->first_sequence == 0) return absl::DataLossError("file header first sequence is 0");
  return absl::OkStatus();
}

bool IsTornFileHeader(absl::Span<const uint8_t> bytes) {
  if (bytes.size() >= kFileHeaderSize) return false;
  if (std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; })) return true;
  const size_t n = std::min(bytes.size(), sizeof(kMagic));
  return std::memcmp(bytes.data(), kMagic, n) == 0;
}

void EncodeRecordHeader(const RecordHeader& header, uint8_t* out) {
  Put<uint32_t>(out + 0, header.payload_size);
  Put<uint32_t>(out + 4, header.checksum);
  Put<uint64_t>(out + 8, header.sequence);
  Put<int64_t>(out + 16, header.timestamp_ns);
  Put<uint16_t>(out + 24, header.type);
  Put<uint16_t>(out + 26, header.reserved);
}

RecordHeader DecodeRecordHeader(const uint8_t* in) {
  RecordHeader h;
  h.payload_size = Get<uint32_t>(in + 0);
  h.checksum = Get<uint32_t>(in + 4);
  h.sequence = Get<uint64_t>(in + 8);
  h.timestamp_ns = Get<int64_t>(in + 16);
  h.type = Get<uint16_t>(in + 24);
  h.reserved = Get<uint16_t>(in + 26);
  return h;
}

uint32_t RecordChecksum(const uint8_t* header, absl::Span<const uint8_t> payload) {
  uint32_t crc = Crc(0, header, 4);
  crc = Crc(crc, header + 8, kRecordHeaderSize - 8);
  if (!payload.empty()) crc = Crc(crc, payload.data(), payload.size());
  return crc;
}

}  // namespace ccx::journal_format
