#include "surveillance/alert_detector.h"

#include <algorithm>
#include <variant>

#include "engine/market/schedule.h"

namespace ccx::surveillance {

namespace {
constexpr int SideIndex(Side s) { return s == Side::kBuy ? 0 : 1; }
}  // namespace

AlertDetector::AlertDetector(SurveillanceConfig config, AlertSink* sink)
    : config_(config), sink_(sink) {}

int AlertDetector::MakerIndex(ParticipantId p, CategoryId c) const {
  const size_t i = static_cast<size_t>(p) * num_categories_ + c;
  return i < maker_index_.size() ? maker_index_[i] : -1;
}

bool AlertDetector::TwoSided(ParticipantId p, CategoryId c) const {
  const auto& q = quotes_[static_cast<size_t>(p) * num_categories_ + c];
  return q[0] > 0 && q[1] > 0;
}

void AlertDetector::CountQuote(ParticipantId p, CategoryId c, Side side, Qty before, Qty after) {
  if (MakerIndex(p, c) < 0) return;
  const Qty min = min_quote_[c];
  uint32_t& n = quotes_[static_cast<size_t>(p) * num_categories_ + c][SideIndex(side)];
  if (before >= min && after < min && n > 0) --n;
  if (before < min && after >= min) ++n;
}

void AlertDetector::BeforeRecord(const Replayer& r, const JournalRecord& record) {
  if (!initialized_) {
    initialized_ = true;
    num_categories_ = r.engine().num_categories();
    const auto& people = r.participants().participants;
    const auto& cats = r.market().categories;
    makers_.assign(num_categories_, {});
    maker_index_.assign(people.size() * num_categories_, -1);
    quotes_.assign(people.size() * num_categories_, {0, 0});
    for (size_t c = 0; c < num_categories_; ++c) {
      for (const Participant& p : people) {
        const bool listed =
            std::find(p.market_maker_in.begin(), p.market_maker_in.end(), cats[c].code) !=
                p.market_maker_in.end() ||
            std::find(cats[c].market_makers.begin(), cats[c].market_makers.end(), p.username) !=
                cats[c].market_makers.end();
        if (!listed) continue;
        maker_index_[p.id * num_categories_ + c] = static_cast<int>(makers_[c].size());
        makers_[c].push_back(p.id);
      }
    }
    min_quote_.clear();
    for (const CategoryConfig& cat : cats) {
      min_quote_.push_back(config_.quote_pull.min_quote_qty > 0 ? config_.quote_pull.min_quote_qty
                                                                 : cat.mm_obligation.min_size);
    }
    phases_.assign(num_categories_, {});
    auctions_.assign(num_categories_, {});
    auction_in_record_.assign(num_categories_, 0);
  }
  // The quote-pull window opens: remember whether each maker quotes both sides now.
  for (size_t c = 0; c < num_categories_; ++c) {
    PhaseState& ph = phases_[c];
    if (!ph.active || ph.pull_window_started || makers_[c].empty()) continue;
    if (record.timestamp_ns < ph.auction - config_.quote_pull.window_seconds * kNanosPerSecond) continue;
    ph.pull_window_started = true;
    ph.had_two_sided.assign(makers_[c].size(), 0);
    ph.pulls.assign(makers_[c].size(), {});
    for (size_t i = 0; i < makers_[c].size(); ++i) {
      ph.had_two_sided[i] = TwoSided(makers_[c][i], static_cast<CategoryId>(c));
    }
  }
}

void AlertDetector::AfterRecord(const Replayer& r, const JournalRecord& record) {
  const auto& events = r.core().applied_events();
  std::fill(auction_in_record_.begin(), auction_in_record_.end(), 0);
  for (const Event& e : events) {
    if ((e.type == EventType::kAuction || e.type == EventType::kExecuted) && e.category < num_categories_) {
      auction_in_record_[e.category] = 1;
    }
  }
  // An order's effect: the record's change of its category's indicative auction (one
  // order input per record), unless the record also ran that category's auction.
  auto move_of = [&](CategoryId c) {
    Move m;
    if (r.input().kind != InputKind::kOuch || !r.tracks_indicative() || c >= num_categories_ ||
        auction_in_record_[c]) {
      return m;
    }
    m.known = true;
    m.before = Indicative::Of(r.indicative_before(c));
    m.after = Indicative::Of(r.indicative(c));
    return m;
  };
  for (const Event& e : events) {
    if (e.category >= num_categories_) continue;
    switch (e.type) {
      case EventType::kPhase: OnPhase(r, e); break;
      case EventType::kAccepted:
      case EventType::kReplaced: OnEntered(r, record, e, move_of(e.category)); break;
      case EventType::kCanceled:
        OnCanceled(r, e, move_of(e.category), e.reason == static_cast<uint8_t>(CancelReason::kUserRequest));
        break;
      case EventType::kExecuted: OnExecuted(e); break;
      case EventType::kTrade:
        BeginAuction(e.category);
        auctions_[e.category].trades.push_back(e);
        break;
      case EventType::kAuction:
        BeginAuction(e.category);
        FinishAuction(r, e);
        break;
      default: break;
    }
  }
  // Market makers quoting both sides at any moment inside the pull window.
  for (size_t c = 0; c < num_categories_; ++c) {
    PhaseState& ph = phases_[c];
    if (!ph.active || !ph.pull_window_started) continue;
    for (size_t i = 0; i < makers_[c].size(); ++i) {
      if (TwoSided(makers_[c][i], static_cast<CategoryId>(c))) ph.had_two_sided[i] = 1;
    }
  }
}

void AlertDetector::OnPhase(const Replayer& r, const Event& e) {
  if (e.reason != static_cast<uint8_t>(Phase::kAcceptance)) return;
  const CategoryConfig& cfg = r.market().categories[e.category];
  if (e.session >= cfg.sessions.size()) return;
  const int32_t offset = r.market().utc_offset_minutes;
  const Timestamp auction =
      LocalToTimestamp(LocalDay(e.time, offset), cfg.sessions[e.session].auction, offset);
  PhaseState& ph = phases_[e.category];
  if (ph.active && ph.auction == auction) return;  // resumed after a halt: same phase
  ph = PhaseState{};
  ph.active = true;
  ph.session = e.session;
  ph.open = e.time;
  ph.auction = auction;
}

AlertDetector::Live* AlertDetector::FindLive(OrderRef ref) {
  if (ref < live_base_ || ref - live_base_ >= live_.size()) return nullptr;
  Live& l = live_[ref - live_base_];
  return l.open > 0 ? &l : nullptr;
}

void AlertDetector::AddLive(OrderRef ref, const Live& live) {
  if (live_count_ == 0) {  // nothing rests: start the window at this order
    live_.clear();
    live_base_ = ref;
  }
  if (ref < live_base_) return;  // (references only grow; never happens)
  if (ref - live_base_ >= live_.size()) live_.resize(ref - live_base_ + 1);
  live_[ref - live_base_] = live;
  ++live_count_;
}

void AlertDetector::RemoveLive(OrderRef ref, Live* live) {
  (void)ref;
  live->open = 0;
  if (--live_count_ == 0) live_.clear();
}

AlertDetector::OrderNote AlertDetector::NoteOf(OrderRef ref, const Live& l) const {
  OrderNote n;
  n.ref = ref;
  n.participant = l.participant;
  n.side = l.side;
  n.price = l.price;
  n.qty = l.qty;
  n.entered = l.entered;
  n.token = std::string(ouch::TokenView(l.token));
  n.entry = l.entry;
  return n;
}

void AlertDetector::OnEntered(const Replayer& r, const JournalRecord& rec, const Event& e, const Move& m) {
  (void)rec;
  Live live;
  live.category = e.category;
  live.open = e.qty;
  live.participant = e.participant;
  live.side = e.side;
  live.price = e.price;
  live.qty = e.qty;
  live.entered = e.time;
  live.entry = m;
  const DecodedInput& in = r.input();
  if (in.kind == InputKind::kOuch && in.ouch_valid) {
    if (const auto* o = std::get_if<ouch::EnterOrder>(&in.ouch)) live.token = o->token;
    if (const auto* u = std::get_if<ouch::ReplaceOrder>(&in.ouch)) live.token = u->replacement_token;
  }
  if (e.type == EventType::kReplaced) {
    if (Live* old = FindLive(e.ref2)) {
      // A large order replaced by a small one is pulled as surely as a cancelled one.
      const SpoofingRule& sp = config_.spoofing;
      PhaseState& ph = phases_[old->category];
      if (sp.enabled && ph.active && old->qty >= sp.min_qty && e.qty < sp.min_qty && e.time < ph.auction &&
          e.time >= ph.auction - sp.window_seconds * kNanosPerSecond) {
        OrderNote n = NoteOf(e.ref2, *old);
        n.canceled = e.time;
        n.cancel = m;
        ph.spoof.push_back(n);
      }
      CountQuote(old->participant, old->category, old->side, old->open, 0);
      const Qty min = min_quote_[old->category];
      if (old->open >= min && e.qty < min && MakerIndex(old->participant, old->category) >= 0) {
        OrderNote pulled = NoteOf(e.ref2, *old);
        pulled.canceled = e.time;
        pulled.cancel = m;
        NotePull(old->category, old->participant, pulled, e.time);
      }
      RemoveLive(e.ref2, old);
    }
  }
  CountQuote(e.participant, e.category, e.side, 0, e.qty);
  PhaseState& ph = phases_[e.category];
  const MarkingRule& mk = config_.marking;
  if (mk.enabled && ph.active && m.known && e.time < ph.auction &&
      e.time >= ph.auction - mk.window_seconds * kNanosPerSecond) {
    const int64_t bps = MoveBps(m.before, m.after);
    if (bps >= mk.min_move_bps) ph.marking[e.ref] = NoteOf(e.ref, live);
  }
  AddLive(e.ref, live);
}

void AlertDetector::NotePull(CategoryId c, ParticipantId p, const OrderNote& note, Timestamp t) {
  PhaseState& ph = phases_[c];
  const int i = MakerIndex(p, c);
  if (i < 0 || !ph.active || !ph.pull_window_started || t >= ph.auction) return;
  ph.pulls[static_cast<size_t>(i)].push_back(note);
}

void AlertDetector::OnCanceled(const Replayer& r, const Event& e, const Move& m, bool by_owner) {
  (void)r;
  Live* live = FindLive(e.ref);
  if (live == nullptr) return;
  const Qty before = live->open;
  CountQuote(live->participant, live->category, live->side, before, e.qty2);
  PhaseState& ph = phases_[live->category];
  if (by_owner && ph.active && e.time < ph.auction) {
    const SpoofingRule& sp = config_.spoofing;
    const bool spoof = sp.enabled && e.qty2 == 0 && live->qty >= sp.min_qty &&
                       e.time >= ph.auction - sp.window_seconds * kNanosPerSecond;
    const Qty min = min_quote_[live->category];
    const bool pull = before >= min && e.qty2 < min && MakerIndex(live->participant, live->category) >= 0;
    if (spoof || pull) {
      OrderNote n = NoteOf(e.ref, *live);
      n.canceled = e.time;
      n.cancel = m;
      if (spoof) ph.spoof.push_back(n);
      if (pull) NotePull(live->category, live->participant, n, e.time);
    }
  }
  if (e.qty2 == 0) {
    RemoveLive(e.ref, live);
  } else {
    live->open = e.qty2;
  }
}

void AlertDetector::OnExecuted(const Event& e) {
  BeginAuction(e.category);
  AuctionState& a = auctions_[e.category];
  a.executions.push_back(e);
  a.traded[e.participant][SideIndex(e.side)] += e.qty;
  auto& marking = phases_[e.category].marking;
  if (!marking.empty()) {
    if (auto m = marking.find(e.ref); m != marking.end()) m->second.executed += e.qty;
  }
  Live* live = FindLive(e.ref);
  if (live == nullptr) return;
  CountQuote(e.participant, e.category, e.side, live->open, e.qty2);
  if (e.qty2 == 0) {
    RemoveLive(e.ref, live);
  } else {
    live->open = e.qty2;
  }
}

void AlertDetector::BeginAuction(CategoryId c) {
  AuctionState& a = auctions_[c];
  if (a.active) return;
  a.active = true;
  a.maker_quotes.clear();
  for (ParticipantId p : makers_[c]) a.maker_quotes.push_back(quotes_[static_cast<size_t>(p) * num_categories_ + c]);
}

void AlertDetector::FinishAuction(const Replayer& r, const Event& result) {
  if (config_.spoofing.enabled) JudgeSpoofing(r, result);
  if (config_.marking.enabled) JudgeMarking(r, result);
  if (config_.wash_trade.enabled) JudgeWashTrades(r, result);
  if (config_.concentration.enabled) JudgeConcentration(r, result);
  if (config_.quote_pull.enabled) JudgeQuotePulls(r, result);
  phases_[result.category] = PhaseState{};
  auctions_[result.category] = AuctionState{};
}

void AlertDetector::Emit(Alert alert) {
  if (sink_ != nullptr) {
    if (absl::Status st = sink_->Write(alert); !st.ok() && status_.ok()) status_ = st;
  }
  alerts_.push_back(std::move(alert));
}

}  // namespace ccx::surveillance
