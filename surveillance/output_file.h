// The exchange's record of what it sent: DATA_DIR/output/YYYYMMDD.out, one file per trading
// day, in the journal's file format (JournalWriter/JournalReader, FsyncMode none). Record
// timestamp = time of the journal input that caused the message. Record types:
//
//   32  an OUCH message sent to a participant:
//         u32 participant id | u64 SoupBinTCP sequence number | OUCH message bytes
//   33  an ITCH message of the feed:
//         u64 MoldUDP64 sequence number | ITCH message bytes
//
// Integers little-endian (host order, copied with memcpy). The file of day D holds the
// messages of D's SoupBinTCP / MoldUDP64 sessions (sequence numbers restart each day),
// whatever their timestamps. A (stream, sequence) may appear more than once (after a
// restart the exchange resends); `ccx-replay --verify` accepts identical duplicates only.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "engine/core/types.h"
#include "gateway/journal/record.h"

namespace ccx::surveillance {

inline constexpr uint16_t kOutputOuch = 32;
inline constexpr uint16_t kOutputItch = 33;

/// `data_dir`/output.
std::string OutputDir(std::string_view data_dir);
/// "YYYYMMDD.out" of `day`.
std::string OutputFileName(absl::CivilDay day);
/// Parses "YYYYMMDD.out"; false for any other name.
bool ParseOutputFileName(std::string_view name, absl::CivilDay* day);

/// Payload of a type-32 record.
std::vector<uint8_t> EncodeOuchOutput(ParticipantId participant, uint64_t seq,
                                      std::span<const uint8_t> message);
/// Payload of a type-33 record.
std::vector<uint8_t> EncodeItchOutput(uint64_t seq, std::span<const uint8_t> message);

/// One decoded output record; `bytes` points into the record's payload.
struct OutputMessage {
  bool itch = false;
  ParticipantId participant = 0;  ///< OUCH only
  uint64_t seq = 0;
  std::span<const uint8_t> bytes;
};

/// Decodes a type-32/33 record. InvalidArgument for another type or a payload too short
/// to hold its header and at least one message byte.
absl::StatusOr<OutputMessage> DecodeOutputRecord(const JournalRecord& record);

}  // namespace ccx::surveillance
