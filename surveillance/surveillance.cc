#include "surveillance/surveillance.h"

namespace ccx::surveillance {

Surveillance::Surveillance(MarketConfig market, ParticipantRegistry participants, CoreOptions core,
                           SurveillanceConfig config, AlertSink* sink)
    : replayer_(std::move(market), std::move(participants), ReplayOptions{true, std::move(core)}),
      detector_(config, sink) {
  replayer_.AddObserver(&detector_);
}

absl::Status Surveillance::OnRecord(const JournalRecord& record) {
  if (absl::Status st = replayer_.Apply(record); !st.ok()) return st;
  return detector_.TakeStatus();
}

}  // namespace ccx::surveillance
