#include "marketdata/book/engine_book_text.h"

#include <vector>

#include <iterator>

#include "fmt/format.h"

namespace ccx::md {

std::string EngineBookText(const Book& book, std::string_view code) {
  std::string out = fmt::format("{}\n", code);
  for (Side side : {Side::kBuy, Side::kSell}) {
    // ForEachOrder walks price-time priority; group consecutive orders by price.
    std::vector<Order> level;
    auto flush = [&] {
      if (level.empty()) return;
      Volume total = 0;
      for (const Order& o : level) total += o.qty;
      fmt::format_to(std::back_inserter(out), "{} {} {}:", static_cast<char>(side),
                     level.front().price, total);
      for (const Order& o : level) fmt::format_to(std::back_inserter(out), " {}x{}", o.ref, o.qty);
      out += "\n";
      level.clear();
    };
    book.ForEachOrder(side, [&](const Order& o) {
      if (!level.empty() && level.front().price != o.price) flush();
      level.push_back(o);
    });
    flush();
  }
  return out;
}

}  // namespace ccx::md
