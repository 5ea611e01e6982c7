// The engine's book of one category in ItchBook::BookText()'s canonical form, so tests
// (and the exchange's self-checks) can compare what a subscriber rebuilt from the feed with
// what the engine holds: equal text means the same orders (reference, side, price, open
// shares) in the same price-time order.
#pragma once

#include <string>
#include <string_view>

#include "engine/book/book.h"

namespace ccx::md {

/// `book` as "CODE\n" then one line per level "B|S <price yen> <shares>: <ref>x<shares> ..."
/// (buys highest first, sells lowest first, time order inside a level). `code` names the
/// category in the first line. O(orders).
std::string EngineBookText(const Book& book, std::string_view code);

}  // namespace ccx::md
