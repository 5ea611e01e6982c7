// The credit registry ledger of the exchange (MARKET_RULES §6 and §8), in memory: every
// participant's serial-number blocks per category, cash balances, the reservations of open
// orders, the unsettled obligations of executed trades, and T+5 settlement. It is the
// authoritative state: deterministic, no I/O, no clock, no threads. The exchange feeds it
// from its journal in order (ledger operations, order-entry events, settlement times), so a
// replay rebuilds it exactly; LedgerDb mirrors the change batches it produces to SQLite.
//
// Accounting (per participant p; t-CO2 and yen):
//   credits in category c:  held(p,c)     = Σ quantity of p's held (not retired) blocks in c
//                           reserved(p,c) = open sell orders + unsettled (executed) sales
//                           available     = held − reserved
//   cash:                   balance(p)    = cash on deposit
//                           reserved(p)   = open buy orders (limit × quantity) + unsettled
//                                           purchases (execution price × quantity)
//                           available     = balance − reserved
// Unsettled purchases do not count as held credits, nor unsettled sales as cash, until the
// settlement date. With a check switched off, reservations always succeed (availability
// may go negative) and settlement can fail; fails are recorded, never dropped.
//
// Threading: one thread (the engine's) calls everything; queries are const and may be
// called from that thread between inputs.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "engine/calendar/calendar.h"
#include "engine/config/market_config.h"
#include "engine/market/events.h"
#include "settlement/ledger_changes.h"
#include "settlement/ledger_op.h"

namespace ccx::settlement {

/// "No participant" (audit rows of the exchange itself).
constexpr ParticipantId kNoParticipant = 0xFFFFFFFF;

/// Which pre-trade checks are on (MARKET_RULES §6; `[settlement]` in the configuration).
struct CheckOptions {
  bool credit_check = true;  ///< sell orders need available credits (reject 'u')
  bool cash_check = true;    ///< buy orders need available buying power (reject 'n')
};

/// What one SettleDue call did.
struct SettleSummary {
  int dates = 0;         ///< settlement dates settled
  int64_t trades = 0;    ///< trade records settled
  int64_t fails = 0;     ///< fail records
};

class Registry {
 public:
  /// A ledger for the categories of `market` (copied: codes, programs, calendar, UTC offset)
  /// and the participants `usernames` (index = ParticipantId). Everything starts empty.
  Registry(const MarketConfig& market, std::vector<std::string> usernames, CheckOptions checks);

  // ---- Ledger operations (journal inputs of kind kLedger) --------------------------------

  /// Whether `op` would be accepted now; the error says what is wrong. Changes nothing.
  absl::Status Validate(const LedgerOp& op) const;
  /// Validates and applies `op` stamped `time`, journaled as `journal_seq` (>= 1). A refusal
  /// changes nothing and says why (unknown participant, more than available, serials that
  /// overlap serials already in the ledger, held elsewhere or retired, ...).
  absl::Status Apply(const LedgerOp& op, Timestamp time, uint64_t journal_seq);

  // ---- Pre-trade checks and order life cycle (engine thread, O(1), no allocation) --------
  // Preconditions: p < num_participants(), c < num_categories(); out-of-range ids make the
  // checks fail (return false) and the releases do nothing. Quantities in t-CO2; yen amounts
  // are limit price × quantity for open orders.

  /// True when `qty` more can be reserved for a sell order of p in c (always with the
  /// credit check off). Changes nothing.
  bool CheckSell(ParticipantId p, CategoryId c, int64_t qty) const;
  /// Reserves `qty` for a resting sell order; false (nothing reserved) → reject 'u'.
  bool ReserveSell(ParticipantId p, CategoryId c, int64_t qty);
  /// Releases `qty` of a sell reservation: cancel (the decrement), expiry, or an order the
  /// engine rejected after ReserveSell.
  void ReleaseSell(ParticipantId p, CategoryId c, int64_t qty);
  /// A replace of a resting sell order from `old_qty` to `new_qty` (its remaining quantity
  /// before and after): true and re-reserved, or false with the old reservation kept.
  bool ReplaceSell(ParticipantId p, CategoryId c, int64_t old_qty, int64_t new_qty);

  /// True when `yen` more buying power can be reserved by p (always with the cash check
  /// off). Changes nothing.
  bool CheckBuy(ParticipantId p, int64_t yen) const;
  /// Reserves `yen` (= limit price × quantity) for a resting buy order; false → reject 'n'.
  bool ReserveBuy(ParticipantId p, int64_t yen);
  /// Releases `yen` of a buy reservation (limit price × cancelled or expired quantity).
  void ReleaseBuy(ParticipantId p, int64_t yen);
  /// A replace of a resting buy order from `old_yen` to `new_yen` reserved: true and
  /// re-reserved, or false with the old reservation kept.
  bool ReplaceBuy(ParticipantId p, int64_t old_yen, int64_t new_yen);

  /// An execution of p's sell order in c: `qty` leaves the order's reservation (the trade
  /// record, OnTrade, turns it into an unsettled sale).
  void OnSellExecuted(ParticipantId p, CategoryId c, int64_t qty);
  /// An execution of p's buy order: limit_price × qty leaves the order's reservation (the
  /// trade record turns exec_price × qty into an unsettled purchase).
  void OnBuyExecuted(ParticipantId p, int64_t qty, Price exec_price, Price limit_price);
  /// A trade record (an engine kTrade event: participant = buyer, participant2 = seller,
  /// ref/ref2, match/match2, category, qty, price, time). Records the obligation for its
  /// settlement date (trade date = the local day of e.time; T+5 by the calendar).
  /// Amortised O(1): appends to the day's trade list.
  void OnTrade(const Event& e);

  // ---- Settlement ----------------------------------------------------------------------

  /// Settles every obligation whose settlement date is on or before `date`, one settlement
  /// date at a time in date order, each netted per participant (credits per category, cash
  /// in total): credits from net sellers (their oldest blocks first, split as needed) to
  /// net buyers (by participant id), cash from net payers to net receivers. Shortfalls are
  /// recorded as fails. Stamped `time`, journaled as `journal_seq`. Calling it again for the
  /// same date does nothing (nothing is due any more).
  SettleSummary SettleDue(absl::CivilDay date, Timestamp time, uint64_t journal_seq);
  /// The earliest settlement date with unsettled obligations, if any.
  std::optional<absl::CivilDay> NextDueDate() const;
  /// T+5 of `trade_date` by the market's calendar.
  absl::CivilDay SettlementDateOf(absl::CivilDay trade_date) const;

  // ---- Change batches for the durable mirror ---------------------------------------------

  /// Starts the input journaled as `journal_seq` (>= 1): later changes belong to it. Call it
  /// before feeding the order-entry events of each journal record (Apply and SettleDue call
  /// it themselves). O(1) unless the previous input changed something.
  void BeginInput(uint64_t journal_seq, Timestamp time);
  /// The batches of every input since the last call, in journal order (the caller owns them).
  std::vector<ChangeBatch> TakeChanges();
  /// Whether batches are recorded at all (default true). Off for tests and tools that
  /// never mirror; turning it off drops what is pending.
  void set_record_changes(bool on);

  // ---- Queries (const) ------------------------------------------------------------------

  size_t num_participants() const { return usernames_.size(); }
  size_t num_categories() const { return categories_.size(); }
  const CheckOptions& checks() const { return checks_; }
  /// ParticipantId of `username`, or -1.
  int FindParticipant(std::string_view username) const;
  const std::string& username(ParticipantId p) const { return usernames_[p]; }
  const std::string& category_code(CategoryId c) const { return categories_[c].code; }

  int64_t HeldCredits(ParticipantId p, CategoryId c) const { return pos(p, c).held; }
  int64_t ReservedCredits(ParticipantId p, CategoryId c) const {
    return pos(p, c).reserved_orders + pos(p, c).unsettled_sales;
  }
  int64_t AvailableCredits(ParticipantId p, CategoryId c) const {
    return HeldCredits(p, c) - ReservedCredits(p, c);
  }
  int64_t RetiredCredits(ParticipantId p, CategoryId c) const { return pos(p, c).retired; }
  /// t-CO2 bought but not yet settled (not available until the settlement date).
  int64_t IncomingCredits(ParticipantId p, CategoryId c) const {
    return pos(p, c).unsettled_purchases;
  }
  int64_t CashBalance(ParticipantId p) const { return acct_[p].balance; }
  int64_t CashReserved(ParticipantId p) const {
    return acct_[p].reserved_orders + acct_[p].unsettled_purchases;
  }
  int64_t CashAvailable(ParticipantId p) const { return CashBalance(p) - CashReserved(p); }
  /// Held and retired blocks of p in c: held ones oldest first, then retired ones.
  std::vector<BlockRow> Blocks(ParticipantId p, CategoryId c) const;

  /// {"participant": "PART01", "categories": {"JCRE": {"available": 120, "reserved": 30,
  /// "blocks": [{"program", "project", "vintage", "first", "last", "quantity", "status"}]}}}
  /// on one line; every category of the market; serials as decimal strings.
  std::string HoldingsJson(ParticipantId p) const;
  /// {"participant": "PART01", "balance": 1000000, "reserved": 250000} on one line.
  std::string CashJson(ParticipantId p) const;

  /// Checks the ledger's invariants: every serial in exactly one block, blocks inside the
  /// serial index, held totals equal to the blocks, cash equal to deposits − withdrawals,
  /// unsettled totals equal to the pending trades. OK or what is broken.
  absl::Status CheckInvariants() const;
  /// A hash of the whole ledger state (blocks, cash, reservations, obligations).
  uint64_t StateHash() const;

 private:
  struct CategoryInfo {
    std::string code;
    std::string program;
  };
  struct Position {  // one participant in one category
    int64_t held = 0;
    int64_t reserved_orders = 0;
    int64_t unsettled_sales = 0;
    int64_t unsettled_purchases = 0;
    int64_t retired = 0;
  };
  struct Account {  // one participant's cash
    int64_t balance = 0;
    int64_t reserved_orders = 0;
    int64_t unsettled_purchases = 0;  // yen
    int64_t unsettled_sales = 0;      // yen (not available before settlement)
  };
  struct Block {
    uint64_t first = 0;
    uint64_t last = 0;
    uint64_t acquired = 0;
    Timestamp acquired_at = 0;
    ParticipantId owner = 0;
    uint32_t program = 0;  // index into names_
    uint32_t project = 0;  // index into names_
    uint32_t purpose = 0;  // index into names_ (retired)
    int32_t vintage = 0;
    CategoryId category = 0;
    bool live = false;
    bool retired = false;
    bool dirty = false;
    int64_t quantity() const { return static_cast<int64_t>(last - first + 1); }
  };
  struct DayTrades {  // the obligations of one settlement date
    std::vector<absl::CivilDay> trade_dates;
    std::vector<TradeRecord> trades;
  };
  using SerialKey = uint64_t;                     // program << 32 | project
  using RangeIndex = std::map<uint64_t, uint64_t>;  // first -> last, present serials

  const Position& pos(ParticipantId p, CategoryId c) const {
    return pos_[static_cast<size_t>(p) * categories_.size() + c];
  }
  Position& pos(ParticipantId p, CategoryId c) {
    return pos_[static_cast<size_t>(p) * categories_.size() + c];
  }
  std::deque<uint32_t>& held_list(ParticipantId p, CategoryId c) {
    return held_[static_cast<size_t>(p) * categories_.size() + c];
  }
  const std::deque<uint32_t>& held_list(ParticipantId p, CategoryId c) const {
    return held_[static_cast<size_t>(p) * categories_.size() + c];
  }

  // registry_ops.cc
  absl::Status ValidateCredits(const LedgerOp& op) const;
  absl::Status ValidateSerials(const LedgerOp& op) const;
  void DepositCredits(const LedgerOp& op, Timestamp time);
  /// Takes `qty` from p's held blocks in c: oldest first when first == 0, else exactly
  /// [first, last] of `project`. Appends the ids of the pieces taken (split off as needed).
  void TakeCredits(const LedgerOp& op, std::vector<uint32_t>* pieces);
  uint32_t SplitFront(uint32_t id, int64_t qty);
  uint32_t Intern(std::string_view name);
  void RemoveFromIndex(const Block& b);
  std::string Describe(const LedgerOp& op) const;
  void Audit(Timestamp time, std::string actor, std::string action, ParticipantId p,
             std::string detail, std::string reason);

  // registry_settle.cc
  void SettleOne(absl::CivilDay date, DayTrades day, Timestamp time, SettleSummary* summary);

  // change recording
  void TouchBlock(uint32_t id);
  void TouchCash(ParticipantId p);
  void CloseBatch();
  BlockRow RowOf(uint32_t id) const;

  std::vector<CategoryInfo> categories_;
  std::vector<std::string> usernames_;
  CheckOptions checks_;
  TradingCalendar calendar_;
  int32_t utc_offset_minutes_ = 540;

  std::vector<Position> pos_;                 // participant × category
  std::vector<Account> acct_;                 // participant
  std::vector<std::deque<uint32_t>> held_;    // participant × category: block ids, oldest first
  std::vector<std::vector<uint32_t>> retired_;  // participant × category: retired block ids
  std::vector<Block> blocks_;                 // by id; id 0 unused
  std::vector<std::string> names_;            // interned program/project/purpose texts
  absl::flat_hash_map<std::string, uint32_t> name_ids_;
  absl::flat_hash_map<SerialKey, RangeIndex> serials_;
  uint64_t next_acquired_ = 1;
  uint64_t next_trade_no_ = 1;
  int64_t cash_in_ = 0;   // Σ deposits − Σ withdrawals (yen), for the conservation check

  std::map<absl::CivilDay, DayTrades> due_;  // by settlement date
  absl::CivilDay cached_trade_date_;
  DayTrades* cached_day_ = nullptr;
  absl::CivilDay cached_settlement_date_;

  // Settlement scratch (sized once).
  std::vector<int64_t> bought_, sold_;        // participant × category
  std::vector<int64_t> cost_, proceeds_;      // participant
  std::vector<uint8_t> touched_;              // participant
  std::vector<ParticipantId> touched_list_;
  std::vector<uint32_t> pool_;                // block ids being delivered
  std::vector<ParticipantId> pool_from_;

  // Change recording.
  bool record_ = true;
  uint64_t seq_ = 0;
  Timestamp seq_time_ = 0;
  ChangeBatch pending_;
  bool pending_dirty_ = false;
  std::vector<uint32_t> dirty_blocks_;
  std::vector<uint8_t> dirty_cash_flag_;
  std::vector<ParticipantId> dirty_cash_;
  std::vector<ChangeBatch> closed_;
};

}  // namespace ccx::settlement
