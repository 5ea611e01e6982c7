// Surveillance: the live alerting of ccx-exchange in one object. It owns a replica of the
// deterministic core (a Replayer) and an AlertDetector, is fed the exchange's journal
// records in order as they are appended, and writes each alert through an AlertSink
// (files under DATA_DIR/alerts/). No threads and no globals inside: the exchange runs it on
// a thread of its own and hands it records (copies, or records read back from the journal).
//
//   DirectoryAlertSink sink(DefaultAlertDir(data_dir));
//   Surveillance s(market, participants, core_options, thresholds, &sink);
//   for each journal record r (from the first one of the journal, in order):
//     if (absl::Status st = s.OnRecord(r); !st.ok()) log st;   // keep going or stop
//
// After a restart, feed the whole journal again from its first record: alerts that were
// already written get the same ids and the same content, so their files are rewritten
// unchanged and nothing is duplicated.
#pragma once

#include <memory>

#include "surveillance/alert_detector.h"
#include "surveillance/replayer.h"

namespace ccx::surveillance {

class Surveillance {
 public:
  /// `core` must be what the exchange's core runs with (CoreOptionsFromConfig); `sink` is
  /// not owned and must outlive this object.
  Surveillance(MarketConfig market, ParticipantRegistry participants, CoreOptions core,
               SurveillanceConfig config, AlertSink* sink);

  /// Applies one journal record to the replica and writes the alerts it completes.
  /// Records must be given in journal order, each once. Errors: a record the core refuses
  /// (DataLoss, the replica is then unusable), or the sink's error for an alert (the alert
  /// stays in alerts(); later records are still processed).
  absl::Status OnRecord(const JournalRecord& record);

  /// Every alert raised so far, in order.
  const std::vector<Alert>& alerts() const { return detector_.alerts(); }
  const Replayer& replayer() const { return replayer_; }

 private:
  Replayer replayer_;
  AlertDetector detector_;
};

}  // namespace ccx::surveillance
