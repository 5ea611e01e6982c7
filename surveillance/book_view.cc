#include "surveillance/book_view.h"

#include <functional>
#include <map>

#include "engine/market/schedule.h"
#include "fmt/format.h"

namespace ccx::surveillance {

std::string_view PhaseName(Phase p) {
  switch (p) {
    case Phase::kClosed: return "closed";
    case Phase::kAcceptance: return "acceptance";
    case Phase::kIntermission: return "intermission";
    case Phase::kNotTrading: return "not trading";
    case Phase::kHalted: return "halted";
  }
  return "?";
}

BookView SnapshotBook(const Replayer& r, CategoryId c, const OrderHistory* history,
                      uint64_t as_of_sequence) {
  const Engine& e = r.engine();
  BookView v;
  v.category = c;
  v.code = r.CategoryCode(c);
  v.as_of = r.records() > 0 ? r.core().now() : 0;
  v.as_of_sequence = as_of_sequence;
  v.phase = e.phase(c);
  v.halted = e.halted(c);
  v.base_price = e.base_price(c);
  v.band = e.band(c);
  v.indicative = e.Indicative(c);
  std::map<Price, BookLevel, std::greater<>> levels;
  for (Side side : {Side::kBuy, Side::kSell}) {
    auto& out = side == Side::kBuy ? v.buys : v.sells;
    e.book(c).ForEachOrder(side, [&](const Order& o) {
      BookOrder b;
      b.ref = o.ref;
      b.participant = o.participant;
      b.username = r.Username(o.participant);
      b.side = o.side;
      b.price = o.price;
      b.qty = o.qty;
      b.tif = o.tif;
      if (history != nullptr) {
        if (const OrderLife* life = history->Find(o.ref)) {
          b.entered = life->entered;
          b.token = life->token;
        }
      }
      out.push_back(std::move(b));
      BookLevel& l = levels[o.price];
      l.price = o.price;
      if (side == Side::kBuy) {
        l.buy_qty += o.qty;
        ++l.buy_orders;
      } else {
        l.sell_qty += o.qty;
        ++l.sell_orders;
      }
    });
  }
  for (const auto& [price, level] : levels) v.levels.push_back(level);
  return v;
}

nlohmann::json IndicativeToJson(const Clearing& c) {
  nlohmann::json j;
  j["price"] = c.executes ? nlohmann::json(c.price) : nlohmann::json(nullptr);
  j["volume"] = c.volume;
  j["surplus"] = c.executes ? (c.surplus() < 0 ? -c.surplus() : c.surplus()) : 0;
  j["side"] = !c.executes || c.surplus() == 0 ? "N" : (c.surplus() > 0 ? "B" : "S");
  return j;
}

namespace {

std::string Time(Timestamp t, int32_t offset) {
  return t == 0 ? std::string("-") : FormatLocalDateTime(t, offset);
}

std::string IndicativeText(const Clearing& c) {
  if (!c.executes) return "no execution";
  const Volume q = c.surplus();
  return fmt::format("price {} volume {} surplus {} {}", c.price, c.volume, q < 0 ? -q : q,
                     q > 0 ? "buy" : (q < 0 ? "sell" : "none"));
}

}  // namespace

std::string FormatBookText(const BookView& v, int32_t offset) {
  std::string out = fmt::format("{}  as of {} (journal record {})\n", v.code, Time(v.as_of, offset),
                                v.as_of_sequence);
  out += fmt::format("  phase {}{}, base price {}, band {}..{}\n", PhaseName(v.phase),
                     v.halted && v.phase != Phase::kHalted ? " (halted)" : "", v.base_price,
                     v.band.lower, v.band.upper);
  out += fmt::format("  indicative auction: {}\n", IndicativeText(v.indicative));
  if (v.levels.empty()) return out + "  book empty\n";
  out += fmt::format("  {:>12} {:>7} {:>9} {:>7} {:>12}\n", "buy qty", "orders", "price", "orders",
                     "sell qty");
  for (const BookLevel& l : v.levels) {
    auto qty = [](Volume q) { return q == 0 ? std::string() : fmt::format("{}", q); };
    auto cnt = [](uint32_t n) { return n == 0 ? std::string() : fmt::format("{}", n); };
    out += fmt::format("  {:>12} {:>7} {:>9} {:>7} {:>12}\n", qty(l.buy_qty), cnt(l.buy_orders),
                       l.price, cnt(l.sell_orders), qty(l.sell_qty));
  }
  out += "  orders (price-time priority):\n";
  for (const auto* side : {&v.buys, &v.sells}) {
    for (const BookOrder& o : *side) {
      out += fmt::format("    ref {:<8} {} {:>9} @ {:<7} {:<4} {:<6} token {:<14} entered {}\n",
                         o.ref, o.side == Side::kBuy ? "buy " : "sell", o.qty, o.price,
                         o.tif == Tif::kDay ? "DAY" : "AUC", o.username,
                         o.token.empty() ? "-" : o.token, Time(o.entered, offset));
    }
  }
  return out;
}

nlohmann::json BookToJson(const BookView& v, int32_t offset) {
  nlohmann::json j;
  j["category"] = v.code;
  j["as_of"] = Time(v.as_of, offset);
  j["as_of_sequence"] = v.as_of_sequence;
  j["phase"] = PhaseName(v.phase);
  j["halted"] = v.halted;
  j["base_price"] = v.base_price;
  j["band"] = {v.band.lower, v.band.upper};
  j["indicative"] = IndicativeToJson(v.indicative);
  j["levels"] = nlohmann::json::array();
  for (const BookLevel& l : v.levels) {
    j["levels"].push_back({{"price", l.price},
                           {"buy_qty", l.buy_qty},
                           {"buy_orders", l.buy_orders},
                           {"sell_qty", l.sell_qty},
                           {"sell_orders", l.sell_orders}});
  }
  j["orders"] = nlohmann::json::array();
  for (const auto* side : {&v.buys, &v.sells}) {
    for (const BookOrder& o : *side) {
      j["orders"].push_back({{"ref", o.ref},
                             {"participant", o.username},
                             {"side", std::string(1, static_cast<char>(o.side))},
                             {"price", o.price},
                             {"qty", o.qty},
                             {"tif", o.tif == Tif::kDay ? "DAY" : "AUCTION"},
                             {"token", o.token},
                             {"entered", Time(o.entered, offset)}});
    }
  }
  return j;
}

}  // namespace ccx::surveillance
