// The Pricer (MARKET_RULES §5, itayose): clearing price, volume and surplus of a book,
// without changing it. Used for the auction itself and for the indicative auction price
// after every book change; it costs a constant number of ladder queries, each
// O(log levels), independent of the number of orders.
#pragma once

#include "engine/auction/auction_types.h"
#include "engine/book/book.h"

namespace ccx {

/// Price determination over `book`'s band-clamped ladder with base price `base` (yen).
Clearing PriceBook(const Book& book, Price base);

}  // namespace ccx
