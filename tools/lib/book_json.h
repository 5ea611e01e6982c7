// Reading a single auction book from JSON (the format of ../shared/spec/examples/*.json)
// and running it through the engine's Book + Pricer + Allocator. Shared by ccx-auction,
// the worked-example tests and the benchmarks.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/auction/auction_types.h"
#include "engine/auction/reference.h"
#include "nlohmann/json.hpp"

namespace ccx {

struct JsonBook {
  Price base_price = 0;
  int band_percent = 90;
  Price tick = 1;
  AllocationRule allocation = AllocationRule::kTse;
  std::vector<std::string> ids;           ///< order ids, arrival order
  std::vector<std::string> participants;  ///< participant names by ParticipantId
  std::vector<RefOrder> orders;           ///< ref = index + 1
};

/// Parses a book: either a whole example file (object with "book") or the bare book.
/// Errors name the offending field, e.g. "book.orders[2].price: must be a positive integer".
absl::StatusOr<JsonBook> ParseJsonBook(const nlohmann::json& doc);

struct BookOutcome {
  Band band;
  Clearing clearing;
  std::vector<Execution> executions;
  std::vector<Trade> trades;
};

/// Runs the book through the fast engine path (Book, PriceBook, Allocator).
BookOutcome RunJsonBook(const JsonBook& book);

/// The ccx-auction output object: price (or null), volume, fills by id (non-zero only),
/// surplus, surplus side, band, executions and trades.
nlohmann::json OutcomeToJson(const JsonBook& book, const BookOutcome& out);

}  // namespace ccx
