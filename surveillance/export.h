// EventExporter: every engine event of a replay as rows for analysis elsewhere — CSV with
// a header line, or JSON Lines (one object per line, the same keys as the CSV columns).
// Columns: sequence, time, input, event, category, participant, counterparty, side, tif,
// ref, ref2, price, qty, qty2, match, reason, session, indicative_price, indicative_volume
// (the category's indicative auction after the record; empty/null when it does not cross).
#pragma once

#include <cstdint>
#include <limits>
#include <ostream>

#include "surveillance/replayer.h"

namespace ccx::surveillance {

enum class ExportFormat : uint8_t { kCsv, kJsonLines };

/// Which events to export (all by default).
struct EventFilter {
  int category = -1;              ///< CategoryId, or -1 for all
  int64_t participant = -1;       ///< ParticipantId (either side of a trade), or -1
  Timestamp from = std::numeric_limits<Timestamp>::min();  ///< record time >= from
  Timestamp to = std::numeric_limits<Timestamp>::max();    ///< record time <= to
  bool Matches(const Event& e, Timestamp record_time) const;
};

class EventExporter : public ReplayObserver {
 public:
  /// Writes to `out` (not owned); the CSV header is written at construction.
  EventExporter(std::ostream* out, ExportFormat format, EventFilter filter = {});
  void AfterRecord(const Replayer& replayer, const JournalRecord& record) override;
  uint64_t rows() const { return rows_; }

 private:
  std::ostream* out_;
  ExportFormat format_;
  EventFilter filter_;
  uint64_t rows_ = 0;
};

}  // namespace ccx::surveillance
