// The price ladder of one category as ccx-md --board shows it: trading state, indicative
// auction price and volume with the surplus, base price, the top levels of each side
// (sells above, buys below) and the day's auction results, as text or one JSON object.
#pragma once

#include <string>

#include "marketdata/book/itch_book.h"
#include "nlohmann/json.hpp"

namespace ccx::mdtool {

/// The board of category `index` of `book`, at most `depth` levels per side.
std::string BoardText(const md::ItchBook& book, size_t index, int depth);
nlohmann::json BoardJson(const md::ItchBook& book, size_t index, int depth);

}  // namespace ccx::mdtool
