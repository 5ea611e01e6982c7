#include "engine/core/types.h"

namespace ccx {

std::string_view ToString(RejectReason r) {
  switch (r) {
    case RejectReason::kUnknownCategory: return "unknown category";
    case RejectReason::kInvalidPrice: return "invalid price (zero, or not a multiple of the tick)";
    case RejectReason::kOutsideBand: return "price outside the daily price band or absolute floor/ceiling";
    case RejectReason::kInvalidQuantity: return "quantity zero or above the category maximum";
    case RejectReason::kMarketClosed: return "market closed: not an acceptance phase for this category";
    case RejectReason::kHalted: return "category halted";
    case RejectReason::kNotTradingToday: return "category does not trade today";
    case RejectReason::kFirmNotAuthorized: return "firm not authorized for this participant or category";
    case RejectReason::kShortSale: return "short sale not allowed";
    case RejectReason::kMinQuantity: return "minimum quantity not supported";
    case RejectReason::kTimeInForce: return "time in force not supported";
    case RejectReason::kDuplicateToken: return "duplicate order token";
    case RejectReason::kInsufficientCredits: return "insufficient credits to sell";
    case RejectReason::kInsufficientBuyingPower: return "insufficient buying power";
    case RejectReason::kRateLimit: return "message rate limit exceeded";
    case RejectReason::kOther: return "other";
  }
  return "unknown reject reason";
}

std::string_view ToString(CancelReason r) {
  switch (r) {
    case CancelReason::kUserRequest: return "participant request";
    case CancelReason::kAuctionNotExecuted: return "AUCTION order not executed at its auction";
    case CancelReason::kDayExpired: return "DAY order expired at end of day";
    case CancelReason::kSupervisory: return "operator (supervisory)";
    case CancelReason::kSuspended: return "participant suspended";
    case CancelReason::kSystem: return "system";
  }
  return "unknown cancel reason";
}

std::string_view ToString(AllocationRule r) {
  switch (r) {
    case AllocationRule::kTse: return "tse";
    case AllocationRule::kTime: return "time";
    case AllocationRule::kProRata: return "pro-rata";
  }
  return "?";
}

}  // namespace ccx
