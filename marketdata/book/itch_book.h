// ItchBook: the market as a subscriber rebuilds it from the ITCH 5.0 feed (PROTOCOL.md §4,
// docs/MARKETDATA.md): categories from the directory (`R`), per category the resting
// orders (reference → side, price, shares, place in time) and the price levels, the trading
// state (`H`), the latest indicative auction (`I` NOII) and the day's auction results
// (`Q`). Apply() takes the messages in feed order and refuses inconsistent ones (unknown
// order reference, duplicate reference, unknown category, ...) with a Status, changing
// nothing. Snapshot() produces the state messages of the TCP snapshot service: applying
// them to a fresh ItchBook gives an equal book (StateText() equal).
//
// Prices are the wire's (yen × 10000, itch::kPriceScale); shares are t-CO2.
// Not thread-safe; not on the exchange's hot path (std::map levels, a hash map of orders).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "marketdata/protocol/itch.h"

namespace ccx::md {

/// One resting order as the feed shows it.
struct BookOrder {
  uint64_t ref = 0;        ///< the exchange's order reference number
  uint64_t arrival = 0;    ///< rank of its `A`/`U` in this book: smaller = earlier in time
  uint64_t timestamp = 0;  ///< ITCH timestamp of its `A`/`U` (ns since midnight)
  uint32_t price = 0;      ///< wire price (yen × 10000)
  uint32_t shares = 0;     ///< open shares (> 0)
  uint16_t category = 0;   ///< 0-based category index (stock locate − 1)
  char side = 'B';         ///< 'B' or 'S'
};

/// Total open shares and order count at one price of one side.
struct PriceLevel {
  uint32_t price = 0;  ///< wire price
  uint64_t shares = 0;
  uint32_t orders = 0;
  friend bool operator==(const PriceLevel&, const PriceLevel&) = default;
};

/// One point of the cumulative curves at a price of the book (MARKET_RULES §5, unclamped):
/// demand = buy shares priced ≥ price, supply = sell shares priced ≤ price.
struct CurvePoint {
  uint32_t price = 0;  ///< wire price
  uint64_t demand = 0;
  uint64_t supply = 0;
  friend bool operator==(const CurvePoint&, const CurvePoint&) = default;
};

/// Everything the feed says about one category.
struct CategoryState {
  std::string code;                 ///< the `Stock` field without padding
  uint16_t locate = 0;              ///< 1-based index from the directory
  itch::StockDirectory directory;   ///< the `R` message as received
  std::optional<itch::TradingAction> action;  ///< latest `H` (none yet: not set)
  std::optional<itch::Noii> noii;             ///< latest `I`
  std::vector<itch::CrossTrade> crosses;      ///< the day's `Q` results, in feed order
  std::map<uint32_t, PriceLevel, std::greater<>> bids;  ///< best (highest) first
  std::map<uint32_t, PriceLevel> asks;                  ///< best (lowest) first
  uint32_t order_count = 0;

  /// `T` accepting, `Q` closed/auction pending, `H` halted; ' ' before any `H`.
  char trading_state() const { return action ? action->trading_state : ' '; }
};

class ItchBook {
 public:
  ItchBook() = default;

  /// Applies one message in feed order. `S` 'O' (start of messages: a new day) forgets
  /// everything first. On an error (unknown order or category, duplicate reference,
  /// cancel/execution above the open shares, bad side or zero shares) nothing changes and
  /// the Status (InvalidArgument, NotFound or AlreadyExists) says what was wrong.
  absl::Status Apply(const itch::Message& message);
  /// Decodes one ITCH message (`bytes`: exactly one message) and applies it.
  absl::Status ApplyBytes(std::span<const uint8_t> bytes);

  /// Forgets all categories, orders and results.
  void Clear();

  size_t num_categories() const { return categories_.size(); }
  /// Category by 0-based index (< num_categories()).
  const CategoryState& category(size_t index) const { return categories_[index]; }
  /// Index of the category with `code`, or -1.
  int FindCategory(std::string_view code) const;
  /// The resting order `ref`, or nullptr; valid until the next Apply.
  const BookOrder* FindOrder(uint64_t ref) const;
  size_t order_count() const { return orders_.size(); }
  /// The latest system event code (`O`, `S`, `Q`, `M`, `E`, `C`), ' ' before any.
  char system_event() const { return system_event_; }
  /// The latest timestamp applied since the day's `S` 'O' (ns since midnight).
  uint64_t last_timestamp() const { return last_timestamp_; }

  /// Resting orders of category `index`: buys best price first, then sells best price
  /// first, each price level in time order. O(orders log orders).
  std::vector<BookOrder> Orders(size_t index) const;
  /// Price levels of one side ('B' or 'S') of category `index`, best first.
  std::vector<PriceLevel> Levels(size_t index, char side) const;
  /// Cumulative demand and supply at every price where category `index` has an order,
  /// ascending price. O(levels).
  std::vector<CurvePoint> Curves(size_t index) const;

  /// Canonical text of category `index`'s book: the code line, then one line per level
  /// "B|S <price yen> <shares>: <ref>x<shares> ..." (buys highest first, sells lowest first,
  /// orders in time order). Equal books give equal text; EngineBookText() (engine_book_text.h)
  /// writes the engine's book in the same form.
  std::string BookText(size_t index) const;
  /// 64-bit FNV-1a of BookText(index).
  uint64_t BookHash(size_t index) const;
  /// Canonical text of the whole state: every category's directory fields, trading state,
  /// NOII, cross trades and book. A book rebuilt from Snapshot() has equal StateText().
  std::string StateText() const;

  /// The state as ITCH messages for the snapshot service (docs/MARKETDATA.md): `S` 'O',
  /// every `R`, every category's latest `H`, an `A` for every resting order in time order,
  /// each category's `Q` results of the day, each category's latest `I`. One encoded
  /// message per element.
  std::vector<std::vector<uint8_t>> Snapshot() const;

 private:
  struct Located {
    int index = -1;
    absl::Status status;
  };
  // The category named by `stock`, cross-checked against a non-zero header locate.
  Located Locate(const itch::Stock& stock, uint16_t locate) const;
  // The resting order `ref`, cross-checked against a non-zero header locate.
  absl::StatusOr<BookOrder*> OrderFor(uint64_t ref, uint16_t locate, char type);
  void Insert(const BookOrder& order);
  // Changes order `o`'s shares by -delta at its level, removing it when none are left.
  void Reduce(BookOrder* o, uint32_t delta);

  absl::Status On(const itch::SystemEvent& m);
  absl::Status On(const itch::StockDirectory& m);
  absl::Status On(const itch::TradingAction& m);
  absl::Status On(const itch::AddOrder& m);
  absl::Status On(const itch::OrderCancel& m);
  absl::Status On(const itch::OrderDelete& m);
  absl::Status On(const itch::OrderReplace& m);
  absl::Status On(const itch::OrderExecuted& m);
  absl::Status On(const itch::CrossTrade& m);
  absl::Status On(const itch::Noii& m);

  std::vector<CategoryState> categories_;
  absl::flat_hash_map<uint64_t, BookOrder> orders_;
  uint64_t next_arrival_ = 1;
  uint64_t last_timestamp_ = 0;
  char system_event_ = ' ';
};

/// A wire price (yen × 10000) as yen text: "1655", or "1655.5" when it has a fraction.
std::string FormatWirePrice(uint32_t price);

/// 64-bit FNV-1a of `text` (the hash BookHash uses).
uint64_t Fnv1a(std::string_view text);

}  // namespace ccx::md
