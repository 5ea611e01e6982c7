// ItchBook: read-only views (orders, levels, curves), the canonical texts and the
// snapshot messages.
#include <algorithm>
#include <iterator>

#include "fmt/format.h"
#include "marketdata/book/itch_book.h"

namespace ccx::md {
namespace {

template <typename T>
std::vector<uint8_t> EncodeOne(const T& m) {
  std::vector<uint8_t> out(T::kSize);
  itch::Encode(m, out.data());
  return out;
}

}  // namespace

std::string FormatWirePrice(uint32_t price) {
  const uint32_t frac = price % itch::kPriceScale;
  if (frac == 0) return fmt::format("{}", price / itch::kPriceScale);
  std::string digits = fmt::format("{:04}", frac);
  while (digits.back() == '0') digits.pop_back();
  return fmt::format("{}.{}", price / itch::kPriceScale, digits);
}

uint64_t Fnv1a(std::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (char c : text) {
    h ^= static_cast<uint8_t>(c);
    h *= 1099511628211ull;
  }
  return h;
}

std::vector<BookOrder> ItchBook::Orders(size_t index) const {
  std::vector<BookOrder> out;
  out.reserve(categories_[index].order_count);
  for (const auto& [ref, o] : orders_) {
    if (o.category == index) out.push_back(o);
  }
  // Price-time priority: buys first, highest price first; sells lowest first.
  std::sort(out.begin(), out.end(), [](const BookOrder& a, const BookOrder& b) {
    if (a.side != b.side) return a.side == 'B';
    if (a.price != b.price) return a.side == 'B' ? a.price > b.price : a.price < b.price;
    return a.arrival < b.arrival;
  });
  return out;
}

std::vector<PriceLevel> ItchBook::Levels(size_t index, char side) const {
  std::vector<PriceLevel> out;
  const CategoryState& c = categories_[index];
  if (side == 'B') {
    for (const auto& [price, level] : c.bids) out.push_back(level);
  } else {
    for (const auto& [price, level] : c.asks) out.push_back(level);
  }
  return out;
}

std::vector<CurvePoint> ItchBook::Curves(size_t index) const {
  const CategoryState& c = categories_[index];
  // Merge the two sides' prices ascending: supply accumulates upwards from the lowest
  // sell; demand is the total buy quantity minus what is priced below p.
  std::vector<CurvePoint> out;
  uint64_t total_buy = 0;
  for (const auto& [price, level] : c.bids) total_buy += level.shares;
  auto b = c.bids.rbegin();  // lowest buy first
  auto s = c.asks.begin();
  uint64_t buy_below = 0, supply = 0;
  while (b != c.bids.rend() || s != c.asks.end()) {
    uint32_t p = UINT32_MAX;
    if (b != c.bids.rend()) p = b->first;
    if (s != c.asks.end()) p = std::min(p, s->first);
    uint64_t buy_here = 0;
    if (b != c.bids.rend() && b->first == p) buy_here = (b++)->second.shares;
    if (s != c.asks.end() && s->first == p) supply += (s++)->second.shares;
    out.push_back(CurvePoint{p, total_buy - buy_below, supply});
    buy_below += buy_here;
  }
  return out;
}

std::string ItchBook::BookText(size_t index) const {
  const CategoryState& c = categories_[index];
  std::string out = c.code + "\n";
  auto put = std::back_inserter(out);
  const std::vector<BookOrder> orders = Orders(index);
  for (size_t i = 0; i < orders.size();) {
    const BookOrder& first = orders[i];
    const PriceLevel& level =
        first.side == 'B' ? c.bids.at(first.price) : c.asks.at(first.price);
    fmt::format_to(put, "{} {} {}:", first.side, FormatWirePrice(first.price), level.shares);
    for (; i < orders.size() && orders[i].side == first.side && orders[i].price == first.price;
         ++i) {
      fmt::format_to(put, " {}x{}", orders[i].ref, orders[i].shares);
    }
    out += "\n";
  }
  return out;
}

uint64_t ItchBook::BookHash(size_t index) const { return Fnv1a(BookText(index)); }

std::string ItchBook::StateText() const {
  std::string out;
  auto put = std::back_inserter(out);
  for (size_t i = 0; i < categories_.size(); ++i) {
    const CategoryState& c = categories_[i];
    fmt::format_to(put, "category {} {} lot {} state '{}' orders {}\n", c.locate, c.code,
                   c.directory.round_lot_size, c.trading_state(), c.order_count);
    if (c.noii) {
      const itch::Noii& n = *c.noii;
      fmt::format_to(put, "  noii paired {} imbalance {} {} far {} near {} ref {} cross {}\n",
                     n.paired_shares, n.imbalance_shares, n.imbalance_direction,
                     FormatWirePrice(n.far_price), FormatWirePrice(n.near_price),
                     FormatWirePrice(n.reference_price), n.cross_type);
    }
    for (const itch::CrossTrade& q : c.crosses) {
      fmt::format_to(put, "  cross {} shares {} price {} match {}\n", q.cross_type, q.shares,
                     FormatWirePrice(q.cross_price), q.match_number);
    }
    out += BookText(i);
  }
  return out;
}

std::vector<std::vector<uint8_t>> ItchBook::Snapshot() const {
  std::vector<std::vector<uint8_t>> out;
  out.reserve(2 + 4 * categories_.size() + orders_.size());
  itch::SystemEvent start;
  start.header.timestamp = last_timestamp_;
  start.event_code = 'O';
  out.push_back(EncodeOne(start));
  for (const CategoryState& c : categories_) out.push_back(EncodeOne(c.directory));
  for (const CategoryState& c : categories_) {
    if (c.action) out.push_back(EncodeOne(*c.action));
  }
  // Resting orders in time order (all categories), so a fresh book ranks them the same.
  std::vector<const BookOrder*> all;
  all.reserve(orders_.size());
  for (const auto& [ref, o] : orders_) all.push_back(&o);
  std::sort(all.begin(), all.end(),
            [](const BookOrder* a, const BookOrder* b) { return a->arrival < b->arrival; });
  for (const BookOrder* o : all) {
    itch::AddOrder a;
    a.header.stock_locate = static_cast<uint16_t>(o->category + 1);
    a.header.timestamp = o->timestamp;
    a.order_ref = o->ref;
    a.side = o->side;
    a.shares = o->shares;
    a.stock = categories_[o->category].directory.stock;
    a.price = o->price;
    out.push_back(EncodeOne(a));
  }
  for (const CategoryState& c : categories_) {
    for (const itch::CrossTrade& q : c.crosses) out.push_back(EncodeOne(q));
  }
  for (const CategoryState& c : categories_) {
    if (c.noii) out.push_back(EncodeOne(*c.noii));
  }
  return out;
}

}  // namespace ccx::md
