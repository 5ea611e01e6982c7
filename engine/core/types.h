// Basic market vocabulary of the ccx engine: fixed-width integer types and the enum
// codes that travel in events. Everything here is plain data (no strings, no floats)
// so that events stay trivially copyable and the engine stays deterministic.
#pragma once

#include <cstdint>
#include <string_view>

namespace ccx {

/// Price in whole yen (JPY per t-CO2). Always a multiple of the category's tick.
using Price = int32_t;
/// Quantity of one order in trading units (t-CO2).
using Qty = uint32_t;
/// Sums of quantities (book depth, auction volume): never overflow for any book size.
using Volume = int64_t;
/// Engine order reference number: unique for ever in one exchange, assigned in arrival
/// order, so a smaller reference means an earlier place in time.
using OrderRef = uint64_t;
/// Dense participant index (0-based, from the configuration / caller).
using ParticipantId = uint32_t;
/// Match number of one execution; unique within the exchange (hence within the day).
using MatchNumber = uint64_t;
/// Nanoseconds since the Unix epoch (UTC). The engine never reads a clock: time arrives
/// inside input events.
using Timestamp = int64_t;
/// Dense category index (0-based, the order of the configuration file).
using CategoryId = uint16_t;

constexpr Timestamp kNanosPerSecond = 1'000'000'000;

enum class Side : uint8_t { kBuy = 'B', kSell = 'S' };

constexpr Side Opposite(Side s) { return s == Side::kBuy ? Side::kSell : Side::kBuy; }

/// Time in force (MARKET_RULES §3).
enum class Tif : uint8_t {
  kDay = 'D',      ///< lives through every remaining auction of the day
  kAuction = 'A',  ///< lives for the next auction only
};

/// Allocation rule at the clearing price (MARKET_RULES §6).
enum class AllocationRule : uint8_t { kTse = 0, kTime = 1, kProRata = 2 };

/// Reject reasons: the letters of PROTOCOL.md §2, so they go on the wire unchanged.
enum class RejectReason : uint8_t {
  kUnknownCategory = 'S',
  kInvalidPrice = 'X',
  kOutsideBand = 'p',
  kInvalidQuantity = 'Z',
  kMarketClosed = 'C',
  kHalted = 'H',
  kNotTradingToday = 'R',
  kFirmNotAuthorized = 'L',
  kShortSale = 'i',
  kMinQuantity = 'N',
  kTimeInForce = 't',
  kDuplicateToken = 'd',
  kInsufficientCredits = 'u',
  kInsufficientBuyingPower = 'n',
  kRateLimit = 'q',
  kOther = 'O',
};

/// Cancel reasons (PROTOCOL.md §2, OUCH `C` message).
enum class CancelReason : uint8_t {
  kUserRequest = 'U',
  kAuctionNotExecuted = 'I',
  kDayExpired = 'T',
  kSupervisory = 'S',
  kSuspended = 'D',
  kSystem = 'Z',
};

/// Human-readable text of a reject reason (for tools and debug texts).
std::string_view ToString(RejectReason r);
/// Human-readable text of a cancel reason.
std::string_view ToString(CancelReason r);
/// "tse", "time" or "pro-rata".
std::string_view ToString(AllocationRule r);

}  // namespace ccx
