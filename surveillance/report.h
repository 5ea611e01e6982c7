// The auction investigation report: everything about one auction of one category on one
// page — the supply and demand curves at the auction with the clearing point, the
// indicative price over the acceptance phase, the largest orders and who placed them, the
// executions by participant and the alerts raised for the auction. ReportCollector gathers
// it during a replay; RenderInvestigationHtml writes a self-contained HTML page (inline CSS
// and SVG, no scripts, nothing fetched).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "surveillance/alert.h"
#include "surveillance/book_view.h"
#include "surveillance/order_history.h"
#include "surveillance/replayer.h"

namespace ccx::surveillance {

/// One auction: a category and the scheduled time of its auction.
struct AuctionTarget {
  CategoryId category = 0;
  Timestamp time = 0;     ///< the auction's scheduled time
  uint8_t session = 0;    ///< index of its session in the category's day
  Timestamp open = 0;     ///< start of the acceptance phase that leads to it
};

/// Parses "CATEGORY@YYYY-MM-DDTHH:MM[:SS]" (local time): the category's first auction at
/// or after that time on that day, so both "JCRE@2026-11-20T11:30" and any time of the
/// morning acceptance phase name the 11:30 auction. InvalidArgument naming what is wrong.
absl::StatusOr<AuctionTarget> FindAuction(const MarketConfig& market, std::string_view spec);

struct IndicativePoint {
  Timestamp time = 0;
  Clearing indicative;
};

struct ParticipantFill {
  ParticipantId participant = 0;
  std::string username;
  Volume bought = 0;
  Volume sold = 0;
};

struct InvestigationData {
  AuctionTarget target;
  std::string code;
  std::string name_en;
  std::string name_ja;
  int32_t offset_minutes = 540;
  bool reached = false;        ///< the replay reached the auction
  bool executed = false;
  bool halted = false;         ///< the auction was skipped (category halted)
  Price price = 0;             ///< clearing price
  Volume volume = 0;
  Price base_before = 0;       ///< base price the auction used
  Band band;                   ///< band at the auction
  Clearing indicative;         ///< the pre-auction indicative (what the uncross found)
  std::vector<BookOrder> buys;   ///< the book just before the uncross
  std::vector<BookOrder> sells;
  std::vector<IndicativePoint> series;  ///< over the acceptance phase
  std::vector<OrderLife> largest;       ///< largest orders live during the phase
  std::vector<std::vector<OrderStep>> largest_steps;  ///< what happened to each of them
  std::vector<ParticipantFill> fills;
  std::vector<Alert> alerts;
  std::vector<std::string> usernames;   ///< by participant id
  std::vector<std::string> names;       ///< display names by participant id
};

/// Collects InvestigationData for `target` during a replay. Add it after `history`
/// (the OrderHistory observer, which must see every record too).
class ReportCollector : public ReplayObserver {
 public:
  ReportCollector(AuctionTarget target, const OrderHistory* history, size_t largest = 10);
  void BeforeRecord(const Replayer& replayer, const JournalRecord& record) override;
  void AfterRecord(const Replayer& replayer, const JournalRecord& record) override;
  /// True once the auction's result was seen (the replay may stop).
  bool done() const { return data_.reached; }
  /// The data; call after the replay, with the alerts of the same replay.
  InvestigationData Finish(const Replayer& replayer, const std::vector<Alert>& alerts);

 private:
  AuctionTarget target_;
  const OrderHistory* history_;
  size_t largest_;
  bool in_phase_ = false;
  bool snapshot_ = false;
  InvestigationData data_;
};

/// The whole HTML page.
std::string RenderInvestigationHtml(const InvestigationData& data);

/// Demand (buys, highest price first) or supply (sells, lowest first) as cumulative
/// quantity per price, with prices clamped to `band` as the auction counts them.
std::vector<std::pair<Price, Volume>> CumulativeCurve(const std::vector<BookOrder>& orders,
                                                      Side side, Band band);

}  // namespace ccx::surveillance
