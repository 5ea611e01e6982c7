// OutputRecorder: the exchange's record of everything it sent, for `ccx-replay --verify`
// (docs/SURVEILLANCE.md): DATA_DIR/output/YYYYMMDD.out per trading day, in the journal's
// record format (docs/JOURNAL.md), record type 32 = an OUCH message of a participant's
// stream (payload: u32 participant id, u64 SoupBinTCP sequence number, the message; host
// byte order) and 33 = an ITCH message of the feed (u64 MoldUDP64 sequence number, the
// message). Each (stream, sequence) is recorded once per file: after a restart the recorder
// reads the file, cuts a torn tail, and goes on after the highest numbers it holds. It runs
// on the market-data thread, reads only released messages, and writes in batches; it is
// not synced (the journal is the durable truth; this is the evidence of what left).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gateway/core/order_entry.h"
#include "marketdata/feed/feed_builder.h"

namespace ccx {

inline constexpr uint16_t kOutputRecordOuch = 32;
inline constexpr uint16_t kOutputRecordItch = 33;

class OutputRecorder {
 public:
  /// Records under `dir` (created when needed).
  explicit OutputRecorder(std::string dir) : dir_(std::move(dir)) {}
  ~OutputRecorder();
  OutputRecorder(const OutputRecorder&) = delete;
  OutputRecorder& operator=(const OutputRecorder&) = delete;

  /// Appends every released message of `streams` and `feed` (the same trading day, or
  /// either null) that the day's file does not hold yet. Errors name the file; after an
  /// error the recorder stops recording (it never affects trading).
  absl::Status CatchUp(const DayStreams* streams, const FeedDay* feed);
  /// The trading day being recorded ("YYYYMMDD"; empty before the first).
  const std::string& session() const { return session_; }

 private:
  absl::Status OpenDay(const std::string& session);
  void Put(uint16_t type, const uint8_t* head, size_t head_size, std::span<const uint8_t> msg);
  absl::Status WriteOut();

  std::string dir_;
  std::string session_;
  std::string path_;
  int fd_ = -1;
  uint64_t next_record_ = 1;
  std::vector<uint64_t> ouch_;  // highest sequence recorded per participant
  uint64_t itch_ = 0;           // highest feed sequence recorded
  std::vector<uint8_t> buf_;
  absl::Status failed_;
};

}  // namespace ccx
