// Settlement statements (MARKET_RULES §8): one per participant per settlement date, in JSON
// and CSV, rendered from a SettlementReport. Pure text rendering, deterministic (times come
// from the report), so re-rendering a replayed settlement gives the same bytes.
//
// A statement shows only the participant's own side: its trades (with its own match number
// and order reference, never the counterparty), its netted credits per category, the blocks
// it received or delivered, its cash legs and balance, and its fails.
#pragma once

#include <string>
#include <vector>

#include "settlement/ledger_changes.h"

namespace ccx::settlement {

struct Statement {
  ParticipantId participant = 0;
  std::string json;  ///< one JSON object (see docs/SETTLEMENT.md), ending in a newline
  std::string csv;   ///< header line + one row per record
};

/// Names used in statements: usernames by ParticipantId, category codes by CategoryId.
struct StatementNames {
  std::vector<std::string> usernames;
  std::vector<std::string> categories;
  int32_t utc_offset_minutes = 540;
};

/// The statements of every participant in `report` (by participant id).
std::vector<Statement> RenderStatements(const SettlementReport& report, const StatementNames& names);

/// Where a statement's files go under DATA_DIR/settlement: "DATE/USERNAME" + ".json" or
/// ".csv", e.g. "2026-05-13/PART01".
std::string StatementRelativePath(absl::CivilDay date, const std::string& username);

/// The CSV header of statements.
extern const char kStatementCsvHeader[];

/// `text` as a JSON string literal (quotes included, escapes as needed).
std::string JsonString(std::string_view text);

}  // namespace ccx::settlement
