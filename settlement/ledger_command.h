// The `ledger` commands of the exchange's admin socket (what ccx-registry sends), as text
// lines of space-separated words. Free-text values (program, project, actor, reason,
// purpose) are percent-encoded so that they never contain a space: '%' → %25, ' ' → %20,
// control characters → %XX (EncodeWord/DecodeWord). Commands:
//
//   ledger deposit-credits USER CATEGORY QUANTITY PROGRAM PROJECT VINTAGE FIRST_SERIAL
//          [--actor A] [--reason R]
//   ledger withdraw-credits USER CATEGORY QUANTITY [--project P --serials FIRST-LAST]
//          [--actor A] [--reason R]
//   ledger retire USER CATEGORY QUANTITY [--project P --serials FIRST-LAST] --purpose P
//          [--actor A]
//   ledger deposit-cash USER YEN [--actor A] [--reason R]
//   ledger withdraw-cash USER YEN [--actor A] [--reason R]
//
// (QUANTITY in t-CO2; without --serials credits are taken oldest first; --actor defaults
// to "admin".) The exchange answers "ok ..." or "error: MESSAGE" on one line.
//
// Read-only queries, answered from the live Registry (reservations included):
//   ledger-holdings USER   → Registry::HoldingsJson, one line
//   ledger-cash USER       → Registry::CashJson, one line
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

/// Parses the words of a `ledger ...` command (words[0] == "ledger") into a LedgerOp.
/// Checks syntax, names and field sizes only; Registry::Validate/Apply check the rest.
/// InvalidArgument with a message that says what is wrong (and the usage).
absl::StatusOr<LedgerOp> ParseLedgerCommand(const std::vector<std::string>& words,
                                            const MarketConfig& market,
                                            const ParticipantRegistry& participants);

/// The command line that ParseLedgerCommand turns back into `op` (words joined by single
/// spaces, text fields encoded). `op` must name a valid participant and category.
std::string FormatLedgerCommand(const LedgerOp& op, const MarketConfig& market,
                                const ParticipantRegistry& participants);

/// Percent-encodes '%', ' ' and control characters (bytes < 0x20 and 0x7F).
std::string EncodeWord(std::string_view text);
/// Decodes %XX sequences; false on a malformed one.
bool DecodeWord(std::string_view word, std::string* out);

/// True for `ledger-holdings USER` and `ledger-cash USER` (any number of words after).
bool IsLedgerQuery(const std::vector<std::string>& words);
/// The answer to a ledger query: the JSON line, or "error: ..." (unknown participant, usage).
std::string AnswerLedgerQuery(const std::vector<std::string>& words, const Registry& registry);

/// The usage text of the ledger commands (for error messages and --help).
std::string_view LedgerCommandUsage();

}  // namespace ccx::settlement
