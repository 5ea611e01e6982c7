// OutputVerifier: proves that a replay is faithful. While the journal is replayed, each
// completed trading day's recorded output (DATA_DIR/output/YYYYMMDD.out, output_file.h) is
// compared byte for byte with what the replay produced: every recorded OUCH message with
// the replica's stream of that participant and day, every recorded ITCH message with the
// feed the replay rebuilds (Replayer::feed). The first difference
// stops the check and is named: day, stream, sequence number, byte offset, expected
// (replay) and found (recorded).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "surveillance/replayer.h"

namespace ccx::surveillance {

/// The first recorded message that differs from the replay.
struct OutputDifference {
  absl::CivilDay day;
  std::string stream;           ///< "OUCH PART03" or "ITCH"
  uint64_t seq = 0;
  std::string file;             ///< the output file
  uint64_t record = 0;          ///< sequence number of the output record
  std::string what;             ///< e.g. "byte 9 differs", "the replay has only 12 messages"
  size_t offset = 0;            ///< first differing byte (when both messages exist)
  std::vector<uint8_t> expected;  ///< the replay's message (empty if none)
  std::vector<uint8_t> found;     ///< the recorded message
  /// Several lines naming everything above, with both messages in hex.
  std::string ToString() const;
};

/// Counts for one trading day.
struct DayCheck {
  absl::CivilDay day;
  bool recorded = false;          ///< an output file exists for the day
  std::string file;
  uint64_t replay_ouch = 0;       ///< OUCH messages the replay produced (all participants)
  uint64_t ouch_checked = 0;      ///< distinct recorded OUCH messages compared
  uint64_t ouch_duplicates = 0;   ///< identical repeats (after restarts)
  uint64_t replay_itch = 0;
  uint64_t itch_checked = 0;
  uint64_t itch_duplicates = 0;
  std::string torn_tail;          ///< the output file ends in a partial record (a crash)
};

class OutputVerifier : public ReplayObserver {
 public:
  /// Verifies against the files of `output_dir`.
  explicit OutputVerifier(std::string output_dir);

  /// Lists the output files. NotFound when `output_dir` does not exist.
  absl::Status Init();
  void AfterRecord(const Replayer& replayer, const JournalRecord& record) override;
  /// Checks the last (current) day and that every output file belongs to a day the
  /// journal reached. Call once after the replay.
  void Finish(const Replayer& replayer);

  /// True once a difference (or an unreadable output file) was found.
  bool failed() const { return difference_.has_value() || !error_.ok(); }
  const std::optional<OutputDifference>& difference() const { return difference_; }
  /// An output file that cannot be read (corrupt mid-file, not a journal, ...).
  const absl::Status& error() const { return error_; }
  const std::vector<DayCheck>& days() const { return days_; }
  /// Output files of days the replay never reached.
  const std::vector<std::string>& orphan_files() const { return orphans_; }

 private:
  struct Held {  // one trading day's output of the replay, kept until it is checked
    std::shared_ptr<const DayStreams> streams;
    std::shared_ptr<const FeedDay> feed;
  };
  void CheckDay(const Replayer& r, absl::CivilDay day, const Held& held);
  void Differ(OutputDifference d);

  std::string dir_;
  std::map<absl::CivilDay, std::string> files_;  ///< by day
  std::map<absl::CivilDay, Held> held_;          ///< days replayed, not yet checked
  std::vector<DayCheck> days_;
  std::vector<std::string> orphans_;
  std::optional<OutputDifference> difference_;
  absl::Status error_;
};

}  // namespace ccx::surveillance
