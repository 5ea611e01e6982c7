// The settlement part of the market configuration file (docs/CONFIGURATION.md, "Settlement
// and deposits"): the `[settlement]` table (settlement time, pre-trade checks) and the
// `[[deposit]]` tables (credits and cash deposited at the exchange's first start).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/config/market_config.h"
#include "gateway/core/participants.h"
#include "settlement/ledger_op.h"
#include "settlement/registry.h"

namespace ccx::settlement {

struct SettlementConfig {
  /// Local time of each business day at which the day's due settlements run (09:00).
  MinuteOfDay time = 9 * 60;
  CheckOptions checks;
  /// The configured deposits as ledger operations (actor "config"), in file order. They are
  /// valid together: applied in order to an empty Registry, each is accepted.
  std::vector<LedgerOp> deposits;
};

/// Parses `[settlement]` and `[[deposit]]` from a configuration held in memory; the other
/// tables are ignored (the market and gateway loaders check them). Participants are named by
/// username, categories by code. Errors are InvalidArgument and name the source, the line
/// and the key, e.g. "market.toml:301: deposit #2: participant: unknown participant "PART99"".
absl::StatusOr<SettlementConfig> ParseSettlementConfig(std::string_view toml_text,
                                                       std::string_view source_name,
                                                       const MarketConfig& market,
                                                       const ParticipantRegistry& participants);

/// Reads the configuration file at `path` (the same file as the market's) and parses it.
absl::StatusOr<SettlementConfig> LoadSettlementConfig(const std::string& path,
                                                      const MarketConfig& market,
                                                      const ParticipantRegistry& participants);

/// The usernames of `participants` by ParticipantId (what Registry's constructor takes).
std::vector<std::string> Usernames(const ParticipantRegistry& participants);

}  // namespace ccx::settlement
