// Registry: trade records (obligations) and T+5 settlement (MARKET_RULES §8).
//
// Settlement of one date D, in one step (the caller mirrors the resulting batch in one
// transaction):
//   1. Net every participant over the trades settling on D: per category
//      net(p,c) = bought − sold, and in cash net(p) = sales yen − purchases yen.
//   2. Credits, category by category: each net seller (by participant id) hands its oldest
//      held blocks, split at the end, into a delivery pool; each net buyer (by participant
//      id) takes its quantity from the front of the pool, splitting the last piece. The
//      pieces a buyer receives are its newest acquisitions (acquired in pool order).
//      A seller holding less than it owes delivers what it holds (fail deliver-credits);
//      buyers then short of credits get receive-credits fails, the last buyers first.
//   3. Cash: each net payer pays its net into a pool (at most its balance: fail pay-cash);
//      each net receiver (by participant id) is paid from the pool (fail collect-cash for
//      what is missing). Cash therefore sums to the same total before and after.
// With both pre-trade checks on, no leg can fall short: a seller's held credits always
// cover its open sells and unsettled sales, a buyer's balance its open buys and purchases.
#include <algorithm>
#include <utility>

#include "engine/market/schedule.h"
#include "fmt/format.h"
#include "settlement/registry.h"

namespace ccx::settlement {

void Registry::OnTrade(const Event& e) {
  const ParticipantId buyer = e.participant, seller = e.participant2;
  if (e.type != EventType::kTrade || buyer >= usernames_.size() ||
      seller >= usernames_.size() || e.category >= categories_.size()) {
    return;
  }
  const absl::CivilDay td = LocalDay(e.time, utc_offset_minutes_);
  if (cached_day_ == nullptr || td != cached_trade_date_) {
    cached_trade_date_ = td;
    cached_settlement_date_ = calendar_.SettlementDate(td);
    DayTrades& day = due_[cached_settlement_date_];
    if (std::find(day.trade_dates.begin(), day.trade_dates.end(), td) == day.trade_dates.end()) {
      day.trade_dates.push_back(td);
      std::sort(day.trade_dates.begin(), day.trade_dates.end());
    }
    if (day.trades.capacity() == 0) day.trades.reserve(1 << 14);
    cached_day_ = &day;
  }
  TradeRecord t;
  t.trade_no = next_trade_no_++;
  t.trade_date = td;
  t.settlement_date = cached_settlement_date_;
  t.time = e.time;
  t.buyer = buyer;
  t.seller = seller;
  t.category = e.category;
  t.qty = e.qty;
  t.price = e.price;
  t.buy_match = e.match;
  t.sell_match = e.match2;
  t.buy_ref = e.ref;
  t.sell_ref = e.ref2;
  cached_day_->trades.push_back(t);
  pos(seller, t.category).unsettled_sales += t.qty;
  pos(buyer, t.category).unsettled_purchases += t.qty;
  acct_[buyer].unsettled_purchases += t.amount();
  acct_[seller].unsettled_sales += t.amount();
  if (record_) {
    pending_.trades.push_back(t);
    pending_dirty_ = true;
  }
}

std::optional<absl::CivilDay> Registry::NextDueDate() const {
  if (due_.empty()) return std::nullopt;
  return due_.begin()->first;
}

SettleSummary Registry::SettleDue(absl::CivilDay date, Timestamp time, uint64_t journal_seq) {
  BeginInput(journal_seq, time);
  SettleSummary summary;
  cached_day_ = nullptr;  // the buckets below go away
  while (!due_.empty() && due_.begin()->first <= date) {
    auto node = due_.extract(due_.begin());
    SettleOne(node.key(), std::move(node.mapped()), time, &summary);
  }
  return summary;
}

void Registry::SettleOne(absl::CivilDay date, DayTrades day, Timestamp time,
                         SettleSummary* summary) {
  const size_t nc = categories_.size();
  SettlementReport report;
  report.date = date;
  report.time = time;
  report.trade_dates = std::move(day.trade_dates);

  // 1. Netting.
  touched_list_.clear();
  auto touch = [this](ParticipantId p) {
    if (!touched_[p]) {
      touched_[p] = 1;
      touched_list_.push_back(p);
    }
  };
  for (const TradeRecord& t : day.trades) {
    touch(t.buyer);
    touch(t.seller);
    bought_[static_cast<size_t>(t.buyer) * nc + t.category] += t.qty;
    sold_[static_cast<size_t>(t.seller) * nc + t.category] += t.qty;
    cost_[t.buyer] += t.amount();
    proceeds_[t.seller] += t.amount();
  }
  std::sort(touched_list_.begin(), touched_list_.end());
  report.participants.reserve(touched_list_.size());
  for (ParticipantId p : touched_list_) {
    ParticipantSettlement ps;
    ps.participant = p;
    for (CategoryId c = 0; c < nc; ++c) {
      const size_t cell = static_cast<size_t>(p) * nc + c;
      if (bought_[cell] == 0 && sold_[cell] == 0) continue;
      ps.categories.push_back(CategoryNet{c, bought_[cell], sold_[cell], 0, 0});
      pos_[cell].unsettled_purchases -= bought_[cell];
      pos_[cell].unsettled_sales -= sold_[cell];
    }
    ps.purchases_yen = cost_[p];
    ps.sales_yen = proceeds_[p];
    acct_[p].unsettled_purchases -= cost_[p];
    acct_[p].unsettled_sales -= proceeds_[p];
    report.participants.push_back(std::move(ps));
  }
  auto net_of = [&](size_t i, CategoryId c) -> CategoryNet* {
    for (CategoryNet& n : report.participants[i].categories) {
      if (n.category == c) return &n;
    }
    return nullptr;
  };

  // 2. Credits, category by category.
  for (CategoryId c = 0; c < nc; ++c) {
    pool_.clear();
    pool_from_.clear();
    for (size_t i = 0; i < touched_list_.size(); ++i) {
      const ParticipantId p = touched_list_[i];
      const size_t cell = static_cast<size_t>(p) * nc + c;
      const int64_t owe = sold_[cell] - bought_[cell];
      if (owe <= 0) continue;
      std::deque<uint32_t>& list = held_[cell];
      int64_t need = owe;
      while (need > 0 && !list.empty()) {
        const uint32_t id = list.front();
        list.pop_front();
        if (blocks_[id].quantity() > need) list.push_front(SplitFront(id, need));
        need -= blocks_[id].quantity();
        pos_[cell].held -= blocks_[id].quantity();
        pool_.push_back(id);
        pool_from_.push_back(p);
      }
      net_of(i, c)->delivered = owe - need;
      if (need > 0) report.fails.push_back({p, c, FailKind::kDeliverCredits, need});
    }
    size_t next = 0;  // the pool's front piece
    for (size_t i = 0; i < touched_list_.size(); ++i) {
      const ParticipantId p = touched_list_[i];
      const size_t cell = static_cast<size_t>(p) * nc + c;
      const int64_t want = bought_[cell] - sold_[cell];
      if (want <= 0) continue;
      int64_t need = want;
      while (need > 0 && next < pool_.size()) {
        const size_t at = next;
        const uint32_t id = pool_[at];
        const ParticipantId from = pool_from_[at];
        if (blocks_[id].quantity() > need) {  // the rest stays in the pool for the next buyer
          pool_[at] = SplitFront(id, need);
        } else {
          ++next;
        }
        Block& b = blocks_[id];
        b.owner = p;
        b.acquired = next_acquired_++;
        b.acquired_at = time;
        TouchBlock(id);
        held_[cell].push_back(id);
        pos_[cell].held += b.quantity();
        need -= b.quantity();
        report.moves.push_back(BlockMove{id, from, p, c, b.vintage, b.first, b.last,
                                         names_[b.program], names_[b.project]});
      }
      net_of(i, c)->received = want - need;
      if (need > 0) report.fails.push_back({p, c, FailKind::kReceiveCredits, need});
    }
  }

  // 3. Cash.
  int64_t pool_yen = 0;
  for (size_t i = 0; i < touched_list_.size(); ++i) {
    const ParticipantId p = touched_list_[i];
    const int64_t owe = cost_[p] - proceeds_[p];
    if (owe <= 0) continue;
    const int64_t pay = std::min(owe, std::max<int64_t>(acct_[p].balance, 0));
    acct_[p].balance -= pay;
    pool_yen += pay;
    report.participants[i].paid_yen = pay;
    TouchCash(p);
    if (pay < owe) report.fails.push_back({p, SettlementFail::kNoCategoryId, FailKind::kPayCash, owe - pay});
  }
  for (size_t i = 0; i < touched_list_.size(); ++i) {
    const ParticipantId p = touched_list_[i];
    const int64_t due = proceeds_[p] - cost_[p];
    if (due <= 0) continue;
    const int64_t got = std::min(due, pool_yen);
    pool_yen -= got;
    acct_[p].balance += got;
    report.participants[i].received_yen = got;
    TouchCash(p);
    if (got < due) {
      report.fails.push_back({p, SettlementFail::kNoCategoryId, FailKind::kCollectCash, due - got});
    }
  }

  // Statements' closing balances; clear the scratch.
  for (size_t i = 0; i < touched_list_.size(); ++i) {
    const ParticipantId p = touched_list_[i];
    report.participants[i].balance_after = acct_[p].balance;
    for (CategoryId c = 0; c < nc; ++c) {
      bought_[static_cast<size_t>(p) * nc + c] = 0;
      sold_[static_cast<size_t>(p) * nc + c] = 0;
    }
    cost_[p] = proceeds_[p] = 0;
    touched_[p] = 0;
  }

  summary->dates += 1;
  summary->trades += static_cast<int64_t>(day.trades.size());
  summary->fails += static_cast<int64_t>(report.fails.size());
  if (record_) {
    Audit(time, "exchange", "settle", kNoParticipant,
          fmt::format("settlement date {}: {} trades, {} participants, {} block moves, {} fails",
                      FormatIsoDate(date), day.trades.size(), report.participants.size(),
                      report.moves.size(), report.fails.size()),
          "T+5 settlement");
    report.trades = std::move(day.trades);
    pending_.settlements.push_back(std::move(report));
    pending_dirty_ = true;
  }
}

}  // namespace ccx::settlement
