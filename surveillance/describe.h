// Words for journal inputs and engine events, shared by ccx-replay's --step and --export.
#pragma once

#include <string>
#include <string_view>

#include "surveillance/replayer.h"

namespace ccx::surveillance {

/// "ouch", "clock", "admin", or "type N".
std::string InputName(uint16_t record_type);
/// "accepted", "rejected", "replaced", "canceled", "cancel_rejected", "executed", "trade",
/// "auction", "phase", "base_price", "participant_status".
std::string_view EventName(EventType type);
/// One line for the input being applied, e.g.
/// "OUCH PART03 enter T1 buy 500 JCRE @ 3010 DAY" or "admin halt JCRE" or "clock".
std::string DescribeInput(const Replayer& replayer);
/// One line for an event, e.g. "accepted ref 17 JCRE PART03 buy 500 @ 3010 DAY".
std::string DescribeEvent(const Replayer& replayer, const Event& e);

}  // namespace ccx::surveillance
