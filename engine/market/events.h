// The engine's input commands and output events: plain fixed-size structs of integers.
// The caller (the exchange's sequencer, a replay tool, a test) builds Commands, gives them
// to Engine::Process in sequence order, and drains the Events it appended. The same
// command sequence always yields byte-identical events (no clocks, no randomness inside).
#pragma once

#include <cstdint>
#include <type_traits>

#include "engine/core/types.h"

namespace ccx {

constexpr CategoryId kNoCategory = UINT16_MAX;

enum class CommandType : uint8_t {
  kEnterOrder = 1,    ///< new limit order
  kReplaceOrder = 2,  ///< cancel `ref` and enter a new order (new ref, new place in time)
  kCancelOrder = 3,   ///< cancel `ref` entirely (qty == 0) or reduce it to `qty`
  kClock = 4,         ///< time passes: runs the day schedule up to `time`
  kHalt = 5,          ///< operator: halt `category` (kNoCategory = the whole market)
  kResume = 6,        ///< operator: resume `category` (kNoCategory = the whole market)
  kSetReferencePrice = 7,  ///< operator: set `category`'s base price to `price`
  kSuspendParticipant = 8,   ///< operator: cancel all of `participant`'s orders, refuse new
  kReinstateParticipant = 9, ///< operator: accept `participant`'s orders again
};

/// One input. Which fields matter depends on `type`; unused fields stay zero. Every
/// command first advances the schedule to `time` (so an order stamped 11:30:00 arrives
/// after the 11:30 auction).
struct Command {
  CommandType type = CommandType::kClock;
  char side = 0;              ///< 'B' or 'S' ('T'/'E' short sales are rejected)
  uint8_t pad0[4] = {};
  CategoryId category = kNoCategory;
  Timestamp time = 0;         ///< ns since the Unix epoch (UTC)
  uint64_t tag = 0;           ///< caller's correlation id, echoed in the direct reply
  ParticipantId participant = 0;
  Price price = 0;            ///< yen
  Qty qty = 0;                ///< enter/replace: shares; cancel: quantity to leave (0 = all)
  uint32_t tif = 0;           ///< OUCH code: 99998/99999 = DAY, 0 = AUCTION, other rejected
  uint32_t min_qty = 0;       ///< must be 0
  uint32_t pad1 = 0;
  OrderRef ref = 0;           ///< replace/cancel: the existing order
};
static_assert(std::is_trivially_copyable_v<Command>);

enum class EventType : uint8_t {
  kAccepted = 1,      ///< order rests: ref, side, price, qty, tif, participant
  kRejected = 2,      ///< command refused: reason; nothing changed
  kReplaced = 3,      ///< ref = new order, ref2 = replaced order, price, qty
  kCanceled = 4,      ///< ref, qty = decrement, qty2 = remaining (0 = gone), reason
  kCancelRejected = 5,///< cancel of an unknown order or outside acceptance: ref
  kExecuted = 6,      ///< ref, qty = executed, qty2 = leaves, price, match, reason = flag
  kTrade = 7,         ///< ref = buy, ref2 = sell, participant = buyer, participant2 = seller
  kAuction = 8,       ///< category's auction result: price (0 = none), qty = volume
  kPhase = 9,         ///< category phase change: reason = Phase code
  kBasePrice = 10,    ///< category's base price/band changed: price = base, qty/qty2 = band
  kParticipantStatus = 11,  ///< participant suspended (reason 'D') or reinstated ('A')
};

/// Phase codes of a category (kPhase events). ITCH trading states map from these.
enum class Phase : uint8_t {
  kClosed = 'C',         ///< before the first acceptance phase or after the last auction
  kAcceptance = 'T',     ///< orders accepted
  kIntermission = 'L',   ///< between an auction and the next acceptance phase (lunch)
  kNotTrading = 'R',     ///< not a trading day for this category
  kHalted = 'H',         ///< operator halt (reported on top of the schedule's phase)
};

/// One output. 80 bytes, trivially copyable.
struct Event {
  EventType type = EventType::kAccepted;
  uint8_t reason = 0;   ///< reject/cancel reason letter, phase code, liquidity flag 'I'/'C'
  Side side = Side::kBuy;
  Tif tif = Tif::kDay;
  CategoryId category = kNoCategory;
  uint8_t session = 0;  ///< auction/session index within the day (executions, auctions)
  uint8_t pad0 = 0;
  ParticipantId participant = 0;
  ParticipantId participant2 = 0;
  Timestamp time = 0;
  uint64_t tag = 0;     ///< echo of Command::tag on direct replies, else 0
  OrderRef ref = 0;
  OrderRef ref2 = 0;
  Price price = 0;
  Qty qty = 0;
  Qty qty2 = 0;
  uint32_t pad1 = 0;
  MatchNumber match = 0;
  MatchNumber match2 = 0;
};
static_assert(std::is_trivially_copyable_v<Event>);

}  // namespace ccx
