// DailyReport: the day's published figures per category (MARKET_RULES §9), built from the
// day's ITCH messages (live or from a snapshot) and the market configuration: price and
// volume of the 11:30 and 15:00 auctions (or "no execution"), VWAP, high, low, day volume
// and the next day's base price, with English and Japanese names; written as
// DIR/YYYY-MM-DD.json, .csv and .html. The HTML page draws, for every auction that had
// orders, the cumulative buy and sell curves with the clearing price and volume marked
// (inline SVG; the page needs no network). The curves are taken from the book just
// before the auction's first execution (`E`) or cross trade (`Q`), so a report built from
// a snapshot has the figures of earlier auctions but not their curves.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "engine/config/market_config.h"
#include "marketdata/book/itch_book.h"
#include "marketdata/protocol/itch.h"

namespace ccx::md {

/// One auction of one category as the feed reported it (`Q`), with the book's cumulative
/// curves just before it (empty when the book was empty or not seen).
struct AuctionFigures {
  char cross_type = 'I';       ///< `I` (11:30) or `C` (15:00)
  std::string time;            ///< "HH:MM" from the configuration, or "11:30"/"15:00"
  bool executed = false;
  uint32_t price = 0;          ///< wire price (yen × 10000); 0 without execution
  uint64_t volume = 0;         ///< t-CO2
  std::vector<CurvePoint> curves;
};

/// The report line of one category. Prices are wire prices (yen × 10000).
struct CategoryFigures {
  std::string code;
  std::string name_en;
  std::string name_ja;
  std::vector<AuctionFigures> auctions;        ///< every auction of the day, in order
  std::optional<AuctionFigures> morning;       ///< the first `I` auction (11:30)
  std::optional<AuctionFigures> closing;       ///< the `C` auction (15:00)
  uint64_t volume = 0;                          ///< day volume
  std::optional<double> vwap;                   ///< yen; none without executions
  std::optional<uint32_t> high;                 ///< wire price
  std::optional<uint32_t> low;                  ///< wire price
  uint32_t next_base_price = 0;                 ///< wire price
  std::string next_base_source;  ///< "auction", "noii" (far price) or "reference" (config)
};

class DailyReport {
 public:
  /// A report for the trading date `date` ("YYYY-MM-DD"; empty: taken from SetDate or
  /// the first MoldUDP64 session name "YYYYMMDD" the caller passes to SetSession).
  /// `config` is copied.
  DailyReport(MarketConfig config, std::string date = "");

  /// Sets the date from a session name ("YYYYMMDD", spaces ignored); ignored if malformed.
  void SetSession(std::string_view session);
  void SetDate(std::string date) { date_ = std::move(date); }
  const std::string& date() const { return date_; }

  /// Applies one message of the day in feed order. `snapshot`: the message is state from
  /// the snapshot service (its `Q` results are recorded without curves, since the book
  /// before those auctions was never seen). `S` 'O' starts a new day (forgets everything).
  /// Errors are the ItchBook's (inconsistent feed); the message is then ignored.
  absl::Status Apply(const itch::Message& message, bool snapshot = false);
  absl::Status ApplyBytes(std::span<const uint8_t> bytes, bool snapshot = false);

  /// The book the report keeps (for its curves).
  const ItchBook& book() const { return book_; }

  /// Extension point: an HTML fragment appended to the page before its footer (e.g. the
  /// market-maker compliance section of issue 6). Inserted as is (the caller escapes).
  void SetExtraHtml(std::string html) { extra_html_ = std::move(html); }

  /// The figures per category: every configured category in configuration order, then
  /// any category the feed announced that the configuration lacks.
  std::vector<CategoryFigures> Figures() const;

  std::string Json() const;
  std::string Csv() const;
  std::string Html() const;

  /// Writes DIR/DATE.json, DIR/DATE.csv and DIR/DATE.html (creating DIR). An error if
  /// the date is unknown or a file cannot be written.
  absl::Status Write(const std::string& dir) const;

 private:
  struct Captured {
    std::string code;
    char cross_type = 'I';
    itch::CrossTrade cross;
    std::vector<CurvePoint> curves;
  };
  // Takes the curves of category `index` if its auction has not started yet.
  void BeginAuction(size_t index);

  MarketConfig config_;
  std::string date_;
  ItchBook book_;
  std::vector<std::optional<std::vector<CurvePoint>>> in_auction_;  // by book category index
  std::vector<Captured> auctions_;  // in feed order
  std::string extra_html_;
};

/// Writes the report as one SVG chart (the `AuctionFigures` curves with the clearing price
/// and volume marked); `title` is plain text. Self-contained markup.
std::string AuctionSvg(const AuctionFigures& auction, const std::string& title);

/// `text` with & < > " ' escaped for HTML.
std::string HtmlEscape(std::string_view text);

}  // namespace ccx::md
