// The modes of ccx-replay, one function each. Every mode replays the journal from its first
// record with the observers it needs. Exit status: 0 ok, 1 a difference, a bad journal or
// another data error (message on stderr), 2 bad usage.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

#include "gateway/core/exchange_core.h"
#include "gateway/core/participants.h"
#include "surveillance/config.h"
#include "surveillance/replayer.h"

namespace ccx::replay_tool {

/// What every mode needs: the configuration the exchange ran with and the journal.
struct Setup {
  MarketConfig market;
  ParticipantRegistry participants;
  surveillance::SurveillanceConfig thresholds;
  std::string data_dir;
  std::string journal;
  surveillance::JournalOptions journal_options;
  std::string format = "text";  ///< --format text|json
  std::string output;           ///< --output FILE ("" = stdout or a default name)
  int category = -1;            ///< --category, or -1
  int64_t participant = -1;     ///< --participant, or -1
  Timestamp from = std::numeric_limits<Timestamp>::min();
  Timestamp to = std::numeric_limits<Timestamp>::max();
  CoreOptions core;              ///< what the exchange's core ran with
  int32_t offset() const { return market.utc_offset_minutes; }
};

int RunVerify(const Setup& s);
int RunAt(const Setup& s, Timestamp at);
int RunOrders(const Setup& s);
int RunStep(const Setup& s, bool interactive);
int RunExport(const Setup& s, const std::string& format);
int RunAlerts(const Setup& s, const std::string& alerts_dir);
int RunReport(const Setup& s, const std::string& auction);

/// Prints "ccx-replay: MESSAGE" on stderr and returns 1.
int Fail(const std::string& message);

}  // namespace ccx::replay_tool
