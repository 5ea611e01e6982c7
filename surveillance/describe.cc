#include "surveillance/describe.h"

#include <variant>

#include "fmt/format.h"

namespace ccx::surveillance {
namespace {

const char* SideWord(char s) { return s == 'B' ? "buy" : (s == 'S' ? "sell" : "side?"); }
std::string TifWord(uint32_t tif) {
  return tif == 0 ? "AUCTION" : (tif == 99998 || tif == 99999 ? "DAY" : fmt::format("tif {}", tif));
}
std::string Yen(uint32_t wire) {
  return wire % ouch::kPriceScale == 0 ? fmt::format("{}", wire / ouch::kPriceScale)
                                       : fmt::format("{:.4f}", wire / double(ouch::kPriceScale));
}

}  // namespace

std::string InputName(uint16_t type) {
  switch (static_cast<InputKind>(type)) {
    case InputKind::kOuch: return "ouch";
    case InputKind::kClock: return "clock";
    case InputKind::kAdmin: return "admin";
    case InputKind::kLedger: return "ledger";
    case InputKind::kSettings: return "settings";
  }
  return fmt::format("type {}", type);
}

std::string_view EventName(EventType type) {
  switch (type) {
    case EventType::kAccepted: return "accepted";
    case EventType::kRejected: return "rejected";
    case EventType::kReplaced: return "replaced";
    case EventType::kCanceled: return "canceled";
    case EventType::kCancelRejected: return "cancel_rejected";
    case EventType::kExecuted: return "executed";
    case EventType::kTrade: return "trade";
    case EventType::kAuction: return "auction";
    case EventType::kPhase: return "phase";
    case EventType::kBasePrice: return "base_price";
    case EventType::kParticipantStatus: return "participant_status";
  }
  return "?";
}

std::string DescribeInput(const Replayer& r) {
  const DecodedInput& in = r.input();
  switch (in.kind) {
    case InputKind::kClock: return "clock";
    case InputKind::kSettings:
      return fmt::format("settings: NOII interval {} ms", in.settings.noii_interval_ns / 1'000'000);
    case InputKind::kLedger: {
      const settlement::LedgerOp& op = in.ledger;
      const bool cash = op.type == settlement::LedgerOpType::kDepositCash ||
                        op.type == settlement::LedgerOpType::kWithdrawCash;
      return cash ? fmt::format("ledger {} {} {} yen", settlement::ToString(op.type), r.Username(op.participant),
                                op.amount_yen)
                  : fmt::format("ledger {} {} {} {} t", settlement::ToString(op.type), r.Username(op.participant),
                                r.CategoryCode(op.category), op.quantity);
    }
    case InputKind::kAdmin: {
      const Command& c = in.admin;
      const std::string cat = c.category == kNoCategory ? "all" : r.CategoryCode(c.category);
      switch (c.type) {
        case CommandType::kHalt: return "admin halt " + cat;
        case CommandType::kResume: return "admin resume " + cat;
        case CommandType::kSetReferencePrice: return fmt::format("admin reference-price {} {}", cat, c.price);
        case CommandType::kSuspendParticipant: return "admin suspend " + r.Username(c.participant);
        case CommandType::kReinstateParticipant: return "admin reinstate " + r.Username(c.participant);
        default: return fmt::format("admin command {}", static_cast<int>(c.type));
      }
    }
    case InputKind::kOuch: {
      const std::string who = "OUCH " + r.Username(in.participant);
      if (!in.ouch_valid) return who + " (undecodable message)";
      if (const auto* o = std::get_if<ouch::EnterOrder>(&in.ouch)) {
        return fmt::format("{} enter {} {} {} {} @ {} {}", who, ouch::TokenView(o->token), SideWord(o->side),
                           o->shares, ouch::StockView(o->stock), Yen(o->price), TifWord(o->tif));
      }
      if (const auto* u = std::get_if<ouch::ReplaceOrder>(&in.ouch)) {
        return fmt::format("{} replace {} -> {} {} @ {} {}", who, ouch::TokenView(u->existing_token),
                           ouch::TokenView(u->replacement_token), u->shares, Yen(u->price), TifWord(u->tif));
      }
      const auto& x = std::get<ouch::CancelOrder>(in.ouch);
      return x.shares == 0 ? fmt::format("{} cancel {}", who, ouch::TokenView(x.token))
                           : fmt::format("{} cancel {} down to {}", who, ouch::TokenView(x.token), x.shares);
    }
  }
  return fmt::format("input type {}", static_cast<int>(in.kind));
}

std::string DescribeEvent(const Replayer& r, const Event& e) {
  const std::string cat = r.CategoryCode(e.category);
  const char* side = e.side == Side::kBuy ? "buy" : "sell";
  const char* tif = e.tif == Tif::kDay ? "DAY" : "AUCTION";
  switch (e.type) {
    case EventType::kAccepted:
      return fmt::format("accepted ref {} {} {} {} {} @ {} {}", e.ref, cat, r.Username(e.participant), side,
                         e.qty, e.price, tif);
    case EventType::kReplaced:
      return fmt::format("replaced ref {} by ref {} {} {} {} {} @ {}", e.ref2, e.ref, cat,
                         r.Username(e.participant), side, e.qty, e.price);
    case EventType::kRejected:
      return fmt::format("rejected {} {}: {} ({})", cat, r.Username(e.participant),
                         ToString(static_cast<RejectReason>(e.reason)), static_cast<char>(e.reason));
    case EventType::kCancelRejected:
      return fmt::format("cancel rejected ref {} {}", e.ref, r.Username(e.participant));
    case EventType::kCanceled:
      return fmt::format("canceled ref {} {} {} {} {} (leaves {}): {}", e.ref, cat, r.Username(e.participant),
                         side, e.qty, e.qty2, ToString(static_cast<CancelReason>(e.reason)));
    case EventType::kExecuted:
      return fmt::format("executed ref {} {} {} {} {} @ {} match {} (leaves {})", e.ref, cat,
                         r.Username(e.participant), side, e.qty, e.price, e.match, e.qty2);
    case EventType::kTrade:
      return fmt::format("trade {} {} buyer {} seller {} {} @ {}", cat, e.match, r.Username(e.participant),
                         r.Username(e.participant2), e.qty, e.price);
    case EventType::kAuction:
      if (e.pad0 == 'H') return fmt::format("auction {} skipped (halted)", cat);
      return e.price == 0 ? fmt::format("auction {}: no execution", cat)
                          : fmt::format("auction {}: {} t at {}", cat, e.qty, e.price);
    case EventType::kPhase:
      return fmt::format("phase {} {} (session {})", cat, static_cast<char>(e.reason), e.session);
    case EventType::kBasePrice:
      return fmt::format("base price {} {} (band {}..{})", cat, e.price, e.qty, e.qty2);
    case EventType::kParticipantStatus:
      return fmt::format("participant {} {}", r.Username(e.participant),
                         e.reason == 'D' ? "suspended" : "reinstated");
  }
  return "event";
}

}  // namespace ccx::surveillance
