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
  if (ref < base_ || ref - base_ >= index_.size() || index_[ref - base_] == 0) return nullptr;
  return &orders_[index_[ref - base_] - 1];
}

OrderLife* OrderHistory::Mutable(OrderRef ref) { return const_cast<OrderLife*>(Find(ref)); }

std::vector<OrderStep> OrderHistory::Steps(const OrderLife& order) const {
  std::vector<OrderStep> out;
  for (uint32_t i = order.first_step; i != UINT32_MAX; i = steps_[i].next) out.push_back(steps_[i]);
  return out;
}

void OrderHistory::AddStep(OrderLife* order, const OrderStep& step) {
  const auto i = static_cast<uint32_t>(steps_.size());
  steps_.push_back(step);
  steps_.back().next = UINT32_MAX;
  if (order->last_step == UINT32_MAX) {
    order->first_step = i;
  } else {
    steps_[order->last_step].next = i;
  }
  order->last_step = i;
}

void OrderHistory::BeforeRecord(const Replayer& r, const JournalRecord& record) {
  (void)record;
  const DecodedInput& in = r.input();
  stream_size_before_ = 0;
  day_before_ = absl::CivilDay();
  if (in.kind == InputKind::kOuch && in.ouch_valid && r.core().started() &&
      in.participant < r.participants().participants.size()) {
    stream_size_before_ = r.core().stream(in.participant).size();
    day_before_ = r.core().trading_date();
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
  const uint64_t from = r.core().trading_date() == day_before_ ? stream_size_before_ + 1 : 1;
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
          AddStep(old, gone);
        }
      }
      if (index_.empty()) base_ = life.ref;
      if (life.ref >= base_) {
        if (life.ref - base_ >= index_.size()) index_.resize(life.ref - base_ + 1, 0);
        index_[life.ref - base_] = static_cast<uint32_t>(orders_.size() + 1);
      }
      orders_.push_back(std::move(life));
      AddStep(&orders_.back(), step);
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
      AddStep(o, step);
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
      AddStep(o, step);
      return;
    }
    default:
      return;
  }
}

}  // namespace ccx::surveillance
