// What the Registry hands to its durable mirror (LedgerDb): change batches, one per journal
// sequence number that changed something, each carrying the *images* of the rows it
// changed as they were right after that input (so applying batches in order, each in one
// SQLite transaction, reproduces every intermediate state and never a mix of two).
// Plain data, owned by value; produced on the engine thread, consumed on another.
//
// Units everywhere: quantities in t-CO2 (one serial = one t-CO2), cash in whole yen.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "engine/core/types.h"

namespace ccx::settlement {

/// One trade record (a buyer-seller pairing of an auction, MARKET_RULES §6).
struct TradeRecord {
  uint64_t trade_no = 0;  ///< 1, 2, ... in the order the Registry saw them (for ever)
  absl::CivilDay trade_date;
  absl::CivilDay settlement_date;  ///< T+5 by the trading calendar
  Timestamp time = 0;              ///< the auction's time (ns since the Unix epoch)
  ParticipantId buyer = 0;
  ParticipantId seller = 0;
  CategoryId category = 0;
  Qty qty = 0;      ///< t-CO2
  Price price = 0;  ///< yen per t-CO2
  MatchNumber buy_match = 0;
  MatchNumber sell_match = 0;
  OrderRef buy_ref = 0;
  OrderRef sell_ref = 0;

  int64_t amount() const { return int64_t{price} * int64_t{qty}; }  ///< yen
};

/// The image of one serial-number block. Blocks are identified by `id` for ever; a split
/// keeps the id on the remainder and gives the split-off part a new id.
struct BlockRow {
  uint32_t id = 0;
  ParticipantId owner = 0;
  CategoryId category = 0;
  bool retired = false;
  int32_t vintage = 0;
  uint64_t first = 0;
  uint64_t last = 0;
  /// Acquisition order: smaller = acquired (deposited or received) earlier. Deliveries
  /// take the seller's smallest first.
  uint64_t acquired = 0;
  Timestamp acquired_at = 0;
  std::string program;
  std::string project;
  std::string purpose;  ///< retired blocks: the stated purpose

  int64_t quantity() const { return static_cast<int64_t>(last - first + 1); }
};

/// Why a settlement leg fell short (only possible with a pre-trade check switched off).
enum class FailKind : uint8_t {
  kDeliverCredits = 'D',  ///< a net seller did not hold enough credits
  kReceiveCredits = 'R',  ///< a net buyer received less (because a seller failed)
  kPayCash = 'P',         ///< a net payer did not hold enough cash
  kCollectCash = 'C',     ///< a net receiver was paid less (because a payer failed)
};
/// "deliver-credits", "receive-credits", "pay-cash", "collect-cash".
std::string_view ToString(FailKind k);

struct SettlementFail {
  ParticipantId participant = 0;
  CategoryId category = kNoCategoryId;  ///< kNoCategoryId for cash legs
  FailKind kind = FailKind::kDeliverCredits;
  int64_t shortfall = 0;  ///< t-CO2 (credit legs) or yen (cash legs) not moved

  static constexpr CategoryId kNoCategoryId = 0xFFFF;
};

/// A piece of a block that moved from a seller to a buyer at settlement.
struct BlockMove {
  uint32_t block_id = 0;  ///< the block as it is at the buyer after the move
  ParticipantId from = 0;
  ParticipantId to = 0;
  CategoryId category = 0;
  int32_t vintage = 0;
  uint64_t first = 0;
  uint64_t last = 0;
  std::string program;
  std::string project;

  int64_t quantity() const { return static_cast<int64_t>(last - first + 1); }
};

/// One participant's netted figures for one category on one settlement date.
struct CategoryNet {
  CategoryId category = 0;
  int64_t bought = 0;     ///< t-CO2 bought on the trade date(s)
  int64_t sold = 0;       ///< t-CO2 sold
  int64_t delivered = 0;  ///< t-CO2 that actually left (net sellers)
  int64_t received = 0;   ///< t-CO2 that actually arrived (net buyers)
};

/// One participant's part of a settlement date (the content of its statement).
struct ParticipantSettlement {
  ParticipantId participant = 0;
  std::vector<CategoryNet> categories;  ///< categories it traded, by CategoryId
  int64_t purchases_yen = 0;  ///< Σ price × qty bought
  int64_t sales_yen = 0;      ///< Σ price × qty sold
  int64_t paid_yen = 0;       ///< cash that actually left (net payers)
  int64_t received_yen = 0;   ///< cash that actually arrived (net receivers)
  int64_t balance_after = 0;  ///< cash balance right after the settlement
};

/// Everything settled for one settlement date, in one atomic step.
struct SettlementReport {
  absl::CivilDay date;
  Timestamp time = 0;                 ///< when it was settled
  std::vector<absl::CivilDay> trade_dates;
  std::vector<TradeRecord> trades;    ///< every trade settling on `date`, in trade order
  std::vector<ParticipantSettlement> participants;  ///< by participant id
  std::vector<BlockMove> moves;       ///< in the order they were made
  std::vector<SettlementFail> fails;  ///< empty when everything settled in full
};

/// One row of the append-only audit table: who did what, when and why.
struct AuditRow {
  Timestamp time = 0;
  std::string actor;        ///< operator name, "config", "exchange"
  std::string action;       ///< "deposit-credits", "retire", "settle", ...
  std::string participant;  ///< username, or empty
  std::string detail;       ///< what exactly (category, quantity, serials, yen)
  std::string reason;       ///< why (retire: the purpose)
};

/// The changes caused by one journaled input.
struct ChangeBatch {
  uint64_t journal_seq = 0;  ///< the journal sequence number of the input (>= 1)
  Timestamp time = 0;        ///< that input's time
  std::vector<BlockRow> blocks;         ///< new or changed blocks (images after the input)
  std::vector<uint32_t> deleted_blocks; ///< blocks that left the exchange whole
  std::vector<std::pair<ParticipantId, int64_t>> cash;  ///< new cash balances (yen)
  std::vector<TradeRecord> trades;      ///< new trade records
  std::vector<SettlementReport> settlements;
  std::vector<AuditRow> audit;
};

}  // namespace ccx::settlement
