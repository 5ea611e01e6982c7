#include "surveillance/order_history.h"

#include <variant>

namespace ccx::surveillance {

std::string_view ToString(StepKind kind) {
  switch (kind) {
    case StepKind::kEntered: return "entered";
    case StepKind::kReplaced: return "replaced";
    case StepKind::kCanceled: return "canceled";
    case StepKind::kExecuted: return "executed";
  }
  return "?";
}

const OrderLife* OrderHistory::Find(OrderRef ref) const {
  auto it = index_.find(ref);
  return it == index_.end() ? nullptr : &orders_[it->second];
}

OrderLife* OrderHistory::Mutable(OrderRef ref) {
  auto it = index_.find(ref);
  return it == index_.end() ? nullptr : &orders_[it->second];
}

void OrderHistory::BeforeRecord(const Replayer& r, const JournalRecord& record) {
  (void)record;
  const DecodedInput& in = r.input();
  stream_size_before_ = 0;
  day_before_.clear();
  if (in.kind == InputKind::kOuch && in.ouch_valid && r.core().started() &&
      in.participant < r.participants().participants.size()) {
    stream_size_before_ = r.core().stream(in.participant).size();
    day_before_ = r.core().SessionName();
  }
}

void OrderHistory::AfterRecord(const Replayer& r, const JournalRecord& record) {
  for (const Event& e : r.core().applied_events()) OnEvent(r, record, e);
  // Requests refused before or by the engine: the `J` messages this input caused.
  const DecodedInput& in = r.input();
  if (in.kind != InputKind::kOuch || !in.ouch_valid || std::holds_alternative<ouch::CancelOrder>(in.ouch) ||
      in.participant >= r.participants().participants.size()) {
    return;
  }
  const auto& stream = r.core().stream(in.participant);
  const uint64_t from = r.core().SessionName() == day_before_ ? stream_size_before_ + 1 : 1;
  for (uint64_t seq = from; seq <= stream.size(); ++seq) {
    const auto msg = stream.message(seq);
    ouch::Rejected j;
    if (msg.empty() || msg[0] != ouch::Rejected::kType || ouch::Decode(msg, &j) != ouch::DecodeStatus::kOk) {
      continue;
    }
    RejectedRequest q;
    q.time = record.timestamp_ns;
    q.sequence = record.sequence;
    q.participant = in.participant;
    q.token = std::string(ouch::TokenView(j.token));
    q.reason = j.reason;
    if (const auto* o = std::get_if<ouch::EnterOrder>(&in.ouch)) {
      q.request = 'O';
      q.category = std::string(ouch::StockView(o->stock));
      q.side = o->side;
      q.qty = o->shares;
      q.price = static_cast<Price>(o->price / ouch::kPriceScale);
    } else if (const auto* u = std::get_if<ouch::ReplaceOrder>(&in.ouch)) {
      q.request = 'U';
      q.qty = u->shares;
      q.price = static_cast<Price>(u->price / ouch::kPriceScale);
    }
    rejected_.push_back(std::move(q));
  }
}

void OrderHistory::OnEvent(const Replayer& r, const JournalRecord& rec, const Event& e) {
  OrderStep step;
  step.time = e.time;
  step.sequence = rec.sequence;
  switch (e.type) {
    case EventType::kAccepted:
    case EventType::kReplaced: {
      OrderLife life;
      life.ref = e.ref;
      life.participant = e.participant;
      life.category = e.category;
      life.side = e.side;
      life.tif = e.tif;
      life.price = e.price;
      life.qty = e.qty;
      life.open = e.qty;
      life.entered = e.time;
      const DecodedInput& in = r.input();
      if (in.kind == InputKind::kOuch && in.ouch_valid) {
        if (const auto* o = std::get_if<ouch::EnterOrder>(&in.ouch)) {
          life.token = std::string(ouch::TokenView(o->token));
        } else if (const auto* u = std::get_if<ouch::ReplaceOrder>(&in.ouch)) {
          life.token = std::string(ouch::TokenView(u->replacement_token));
        }
      }
      step.kind = StepKind::kEntered;
      step.qty = e.qty;
      step.leaves = e.qty;
      step.price = e.price;
      if (e.type == EventType::kReplaced) {
        life.replaces = e.ref2;
        step.other = e.ref2;
        if (OrderLife* old = Mutable(e.ref2)) {
          OrderStep gone = step;
          gone.kind = StepKind::kReplaced;
          gone.other = e.ref;
          gone.qty = old->open;
          gone.leaves = 0;
          old->open = 0;
          old->ended = e.time;
          old->replaced_by = e.ref;
          old->steps.push_back(gone);
        }
      }
      life.steps.push_back(step);
      index_[life.ref] = static_cast<uint32_t>(orders_.size());
      orders_.push_back(std::move(life));
      return;
    }
    case EventType::kCanceled: {
      OrderLife* o = Mutable(e.ref);
      if (o == nullptr) return;
      step.kind = StepKind::kCanceled;
      step.qty = e.qty;
      step.leaves = e.qty2;
      step.price = o->price;
      step.reason = static_cast<char>(e.reason);
      o->open = e.qty2;
      if (e.qty2 == 0) o->ended = e.time;
      o->steps.push_back(step);
      return;
    }
    case EventType::kExecuted: {
      OrderLife* o = Mutable(e.ref);
      if (o == nullptr) return;
      step.kind = StepKind::kExecuted;
      step.qty = e.qty;
      step.leaves = e.qty2;
      step.price = e.price;
      step.match = e.match;
      step.reason = static_cast<char>(e.reason);
      step.session = e.session;
      o->open = e.qty2;
      o->executed += e.qty;
      if (e.qty2 == 0) o->ended = e.time;
      o->steps.push_back(step);
      return;
    }
    default:
      return;
  }
}

}  // namespace ccx::surveillance
