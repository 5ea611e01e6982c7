// Registry: construction, the pre-trade checks and order life cycle (the hot path: dense
// arrays indexed by participant × category, no allocation), change recording and queries.
// Ledger operations are in registry_ops.cc, trades and settlement in registry_settle.cc.
#include "settlement/registry.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace ccx::settlement {

Registry::Registry(const MarketConfig& market, std::vector<std::string> usernames,
                   CheckOptions checks)
    : usernames_(std::move(usernames)),
      checks_(checks),
      calendar_(market.extra_closures),
      utc_offset_minutes_(market.utc_offset_minutes) {
  for (const CategoryConfig& c : market.categories) categories_.push_back({c.code, c.program});
  const size_t n = usernames_.size();
  const size_t cells = n * categories_.size();
  pos_.assign(cells, Position{});
  acct_.assign(n, Account{});
  held_.resize(cells);
  retired_.resize(cells);
  blocks_.resize(1);  // id 0 is never used
  blocks_.reserve(1 << 12);
  names_.push_back("");
  name_ids_[""] = 0;
  bought_.assign(cells, 0);
  sold_.assign(cells, 0);
  cost_.assign(n, 0);
  proceeds_.assign(n, 0);
  touched_.assign(n, 0);
  touched_list_.reserve(n);
  dirty_cash_flag_.assign(n, 0);
  dirty_cash_.reserve(n);
  pending_.trades.reserve(1 << 12);
}

int Registry::FindParticipant(std::string_view username) const {
  for (size_t i = 0; i < usernames_.size(); ++i) {
    if (usernames_[i] == username) return static_cast<int>(i);
  }
  return -1;
}

absl::CivilDay Registry::SettlementDateOf(absl::CivilDay trade_date) const {
  return calendar_.SettlementDate(trade_date);
}

// ---- Hot path ----------------------------------------------------------------------------

bool Registry::CheckSell(ParticipantId p, CategoryId c, int64_t qty) const {
  if (p >= usernames_.size() || c >= categories_.size()) return false;
  return !checks_.credit_check || AvailableCredits(p, c) >= qty;
}

bool Registry::ReserveSell(ParticipantId p, CategoryId c, int64_t qty) {
  if (!CheckSell(p, c, qty)) return false;
  pos(p, c).reserved_orders += qty;
  return true;
}

void Registry::ReleaseSell(ParticipantId p, CategoryId c, int64_t qty) {
  if (p >= usernames_.size() || c >= categories_.size()) return;
  pos(p, c).reserved_orders -= qty;
}

bool Registry::ReplaceSell(ParticipantId p, CategoryId c, int64_t old_qty, int64_t new_qty) {
  if (p >= usernames_.size() || c >= categories_.size()) return false;
  if (checks_.credit_check && AvailableCredits(p, c) + old_qty < new_qty) return false;
  pos(p, c).reserved_orders += new_qty - old_qty;
  return true;
}

bool Registry::CheckBuy(ParticipantId p, int64_t yen) const {
  if (p >= usernames_.size()) return false;
  return !checks_.cash_check || CashAvailable(p) >= yen;
}

bool Registry::ReserveBuy(ParticipantId p, int64_t yen) {
  if (!CheckBuy(p, yen)) return false;
  acct_[p].reserved_orders += yen;
  return true;
}

void Registry::ReleaseBuy(ParticipantId p, int64_t yen) {
  if (p >= usernames_.size()) return;
  acct_[p].reserved_orders -= yen;
}

bool Registry::ReplaceBuy(ParticipantId p, int64_t old_yen, int64_t new_yen) {
  if (p >= usernames_.size()) return false;
  if (checks_.cash_check && CashAvailable(p) + old_yen < new_yen) return false;
  acct_[p].reserved_orders += new_yen - old_yen;
  return true;
}

void Registry::OnSellExecuted(ParticipantId p, CategoryId c, int64_t qty) {
  ReleaseSell(p, c, qty);
}

void Registry::OnBuyExecuted(ParticipantId p, int64_t qty, Price /*exec_price*/,
                             Price limit_price) {
  ReleaseBuy(p, qty * int64_t{limit_price});
}

// ---- Change recording ----------------------------------------------------------------------

void Registry::set_record_changes(bool on) {
  record_ = on;
  if (!on) {
    for (uint32_t id : dirty_blocks_) blocks_[id].dirty = false;
    dirty_blocks_.clear();
    for (ParticipantId p : dirty_cash_) dirty_cash_flag_[p] = 0;
    dirty_cash_.clear();
    pending_ = ChangeBatch{};
    pending_dirty_ = false;
    closed_.clear();
  }
}

void Registry::TouchBlock(uint32_t id) {
  if (!record_ || blocks_[id].dirty) return;
  blocks_[id].dirty = true;
  dirty_blocks_.push_back(id);
}

void Registry::TouchCash(ParticipantId p) {
  if (!record_ || dirty_cash_flag_[p]) return;
  dirty_cash_flag_[p] = 1;
  dirty_cash_.push_back(p);
}

void Registry::BeginInput(uint64_t journal_seq, Timestamp time) {
  if (journal_seq != seq_) CloseBatch();
  seq_ = journal_seq;
  seq_time_ = time;
}

void Registry::CloseBatch() {
  if (!record_ || (!pending_dirty_ && dirty_blocks_.empty() && dirty_cash_.empty())) return;
  std::sort(dirty_blocks_.begin(), dirty_blocks_.end());
  for (uint32_t id : dirty_blocks_) {
    blocks_[id].dirty = false;
    if (blocks_[id].live) {
      pending_.blocks.push_back(RowOf(id));
    } else {
      pending_.deleted_blocks.push_back(id);
    }
  }
  dirty_blocks_.clear();
  std::sort(dirty_cash_.begin(), dirty_cash_.end());
  for (ParticipantId p : dirty_cash_) {
    dirty_cash_flag_[p] = 0;
    pending_.cash.emplace_back(p, acct_[p].balance);
  }
  dirty_cash_.clear();
  pending_.journal_seq = seq_;
  pending_.time = seq_time_;
  closed_.push_back(std::move(pending_));
  pending_ = ChangeBatch{};
  pending_dirty_ = false;
}

std::vector<ChangeBatch> Registry::TakeChanges() {
  CloseBatch();
  std::vector<ChangeBatch> out;
  out.swap(closed_);
  return out;
}

BlockRow Registry::RowOf(uint32_t id) const {
  const Block& b = blocks_[id];
  BlockRow r;
  r.id = id;
  r.owner = b.owner;
  r.category = b.category;
  r.retired = b.retired;
  r.vintage = b.vintage;
  r.first = b.first;
  r.last = b.last;
  r.acquired = b.acquired;
  r.acquired_at = b.acquired_at;
  r.program = names_[b.program];
  r.project = names_[b.project];
  r.purpose = names_[b.purpose];
  return r;
}

// ---- Queries -------------------------------------------------------------------------------

std::vector<BlockRow> Registry::Blocks(ParticipantId p, CategoryId c) const {
  std::vector<BlockRow> out;
  if (p >= usernames_.size() || c >= categories_.size()) return out;
  const size_t cell = static_cast<size_t>(p) * categories_.size() + c;
  for (uint32_t id : held_[cell]) out.push_back(RowOf(id));
  const size_t held = out.size();
  for (uint32_t id : retired_[cell]) out.push_back(RowOf(id));
  // Retired blocks in acquisition order too (as the ledger database lists them).
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(held), out.end(),
            [](const BlockRow& a, const BlockRow& b) {
              return a.acquired != b.acquired ? a.acquired < b.acquired : a.first < b.first;
            });
  return out;
}

std::string Registry::HoldingsJson(ParticipantId p) const {
  nlohmann::ordered_json j;
  j["participant"] = p < usernames_.size() ? usernames_[p] : "";
  j["categories"] = nlohmann::ordered_json::object();
  if (p >= usernames_.size()) return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  for (CategoryId c = 0; c < categories_.size(); ++c) {
    nlohmann::ordered_json cat;
    cat["available"] = AvailableCredits(p, c);
    cat["reserved"] = ReservedCredits(p, c);
    cat["blocks"] = nlohmann::ordered_json::array();
    for (const BlockRow& b : Blocks(p, c)) {
      cat["blocks"].push_back({{"program", b.program},
                               {"project", b.project},
                               {"vintage", b.vintage},
                               {"first", std::to_string(b.first)},
                               {"last", std::to_string(b.last)},
                               {"quantity", b.quantity()},
                               {"status", b.retired ? "retired" : "held"}});
    }
    j["categories"][categories_[c].code] = std::move(cat);
  }
  // Texts come from outside (project ids): never throw on invalid UTF-8.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Registry::CashJson(ParticipantId p) const {
  nlohmann::ordered_json j;
  j["participant"] = p < usernames_.size() ? usernames_[p] : "";
  j["balance"] = p < usernames_.size() ? CashBalance(p) : 0;
  j["reserved"] = p < usernames_.size() ? CashReserved(p) : 0;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

absl::Status Registry::CheckInvariants() const {
  const size_t nc = categories_.size();
  // Held totals and ownership agree with the blocks.
  std::vector<int64_t> held(pos_.size(), 0), retired(pos_.size(), 0);
  absl::flat_hash_map<SerialKey, std::vector<std::pair<uint64_t, uint64_t>>> ranges;
  for (uint32_t id = 1; id < blocks_.size(); ++id) {
    const Block& b = blocks_[id];
    if (!b.live) continue;
    if (b.last < b.first) return absl::InternalError(fmt::format("block {}: last < first", id));
    const size_t cell = static_cast<size_t>(b.owner) * nc + b.category;
    (b.retired ? retired : held)[cell] += b.quantity();
    ranges[(uint64_t{b.program} << 32) | b.project].emplace_back(b.first, b.last);
  }
  for (size_t cell = 0; cell < pos_.size(); ++cell) {
    if (held[cell] != pos_[cell].held || retired[cell] != pos_[cell].retired) {
      return absl::InternalError(fmt::format(
          "participant {} category {}: blocks hold {} (retired {}), position says {} ({})",
          usernames_[cell / nc], categories_[cell % nc].code, held[cell], retired[cell],
          pos_[cell].held, pos_[cell].retired));
    }
    int64_t listed = 0;
    for (uint32_t id : held_[cell]) {
      const Block& b = blocks_[id];
      if (!b.live || b.retired || b.owner != cell / nc || b.category != cell % nc) {
        return absl::InternalError(fmt::format("block {} listed under the wrong owner", id));
      }
      listed += b.quantity();
    }
    if (listed != held[cell]) return absl::InternalError("held list and blocks disagree");
  }
  // Every serial in exactly one block, and the blocks cover exactly the serial index.
  for (auto& [key, list] : ranges) {
    std::sort(list.begin(), list.end());
    for (size_t i = 1; i < list.size(); ++i) {
      if (list[i].first <= list[i - 1].second) {
        return absl::InternalError(fmt::format("{} {}: serial {} is in two blocks",
                                               names_[key >> 32], names_[key & 0xFFFFFFFF],
                                               list[i].first));
      }
    }
    uint64_t in_blocks = 0, in_index = 0;
    for (const auto& r : list) in_blocks += r.second - r.first + 1;
    auto it = serials_.find(key);
    if (it != serials_.end()) {
      for (const auto& [f, l] : it->second) in_index += l - f + 1;
    }
    if (in_blocks != in_index) {
      return absl::InternalError(fmt::format("{} {}: {} serials in blocks, {} in the index",
                                             names_[key >> 32], names_[key & 0xFFFFFFFF],
                                             in_blocks, in_index));
    }
  }
  // Cash is conserved: balances sum to what was deposited minus what was withdrawn.
  int64_t cash = 0;
  for (const Account& a : acct_) {
    cash += a.balance;
    if (a.balance < 0) return absl::InternalError("negative cash balance");
  }
  if (cash != cash_in_) {
    return absl::InternalError(
        fmt::format("cash: balances sum to {} yen, deposits − withdrawals are {}", cash, cash_in_));
  }
  // Unsettled totals agree with the pending trades.
  std::vector<int64_t> sales(pos_.size(), 0), buys(pos_.size(), 0), cost(acct_.size(), 0),
      proceeds(acct_.size(), 0);
  for (const auto& [date, day] : due_) {
    for (const TradeRecord& t : day.trades) {
      sales[static_cast<size_t>(t.seller) * nc + t.category] += t.qty;
      buys[static_cast<size_t>(t.buyer) * nc + t.category] += t.qty;
      cost[t.buyer] += t.amount();
      proceeds[t.seller] += t.amount();
    }
  }
  for (size_t cell = 0; cell < pos_.size(); ++cell) {
    if (sales[cell] != pos_[cell].unsettled_sales || buys[cell] != pos_[cell].unsettled_purchases) {
      return absl::InternalError("unsettled credit totals disagree with the pending trades");
    }
  }
  for (size_t p = 0; p < acct_.size(); ++p) {
    if (cost[p] != acct_[p].unsettled_purchases || proceeds[p] != acct_[p].unsettled_sales) {
      return absl::InternalError("unsettled cash totals disagree with the pending trades");
    }
  }
  return absl::OkStatus();
}

uint64_t Registry::StateHash() const {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (8 * i)) & 0xFF;
      h *= 1099511628211ull;
    }
  };
  for (const Position& p : pos_) {
    for (int64_t v : {p.held, p.reserved_orders, p.unsettled_sales, p.unsettled_purchases,
                      p.retired}) {
      mix(static_cast<uint64_t>(v));
    }
  }
  for (const Account& a : acct_) {
    for (int64_t v : {a.balance, a.reserved_orders, a.unsettled_purchases, a.unsettled_sales}) {
      mix(static_cast<uint64_t>(v));
    }
  }
  for (uint32_t id = 1; id < blocks_.size(); ++id) {
    const Block& b = blocks_[id];
    if (!b.live) continue;
    for (uint64_t v : {uint64_t{id}, b.first, b.last, b.acquired, uint64_t{b.owner},
                       uint64_t{b.category}, uint64_t{b.retired}}) {
      mix(v);
    }
  }
  for (const auto& held : held_) {
    for (uint32_t id : held) mix(id);
  }
  mix(next_trade_no_);
  return h;
}

}  // namespace ccx::settlement
