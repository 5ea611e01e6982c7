#include "tools/mm/market_maker.h"

#include <cstdio>
#include <type_traits>
#include <variant>

#include "fmt/format.h"
#include "tools/lib/ouch_client.h"

namespace ccx::bots {

using SteadyClock = std::chrono::steady_clock;

namespace {
constexpr uint32_t kScale = ouch::kPriceScale;
int SideIndex(char side) { return side == 'B' ? 0 : 1; }
}  // namespace

MarketMaker::MarketMaker(MarketMakerOptions options)
    : options_(std::move(options)),
      session_(options_.session,
               OuchSessionHandler{[this] { OnReset(); },
                                  [this](const ouch::Outbound& m) { OnOrderMessage(m); },
                                  [this] { session_ended_ = true; }}),
      clock_(options_.sim_speed) {
  for (const std::string& code : options_.categories) {
    Category c;
    c.code = code;
    c.config = &options_.market.categories[static_cast<size_t>(options_.market.FindCategory(code))];
    c.params = options_.quote;
    const MarketMakerObligation& ob = c.config->mm_obligation;
    c.params.min_size = options_.min_size.value_or(ob.min_size);
    c.params.max_spread_pct = options_.max_spread_pct.value_or(ob.max_spread_percent);
    c.params.max_spread_yen = options_.max_spread_pct ? 0 : ob.max_spread_yen;
    cats_.push_back(std::move(c));
  }
}

void MarketMaker::Log(const std::string& text) const {
  if (options_.verbose) std::fprintf(stderr, "%s %s %s\n", options_.session.user.c_str(),
                                     FormatTimeOfDay(Now()).c_str(), text.c_str());
}

void MarketMaker::Seen(uint64_t ts) {
  if (ts == 0) return;
  clock_.Observe(ts);
  if (ts > last_ts_) last_ts_ = ts;
}

MarketMaker::Category* MarketMaker::Find(std::string_view code) {
  for (Category& c : cats_) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

absl::Status MarketMaker::Start() {
  md::FeedHandler h;
  h.on_message = [this](const md::FeedMessage& m) { OnFeed(m); };
  h.on_warning = [this](const std::string& w) {
    ++warnings_;
    Log("feed: " + w);
  };
  auto feed = md::FeedSubscriber::Open(options_.feed, std::move(h));
  if (!feed.ok()) return feed.status();
  feed_ = std::move(*feed);
  if (auto st = session_.Connect(); !st.ok()) return st;
  day_ = session_.session();
  return absl::OkStatus();
}

void MarketMaker::OnReset() {
  orders_.Clear();
  for (Category& c : cats_) {
    for (Side& s : c.side) {
      s.token.clear();
      s.awaiting.clear();
    }
  }
}

void MarketMaker::OnFeed(const md::FeedMessage& m) {
  if (m.message == nullptr) return;
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if (!m.snapshot) Seen(x.header.timestamp);
        if constexpr (std::is_same_v<T, itch::SystemEvent>) {
          if (x.event_code == 'M' && !m.snapshot) end_of_day_ = true;
        } else if constexpr (std::is_same_v<T, itch::TradingAction>) {
          Category* c = Find(itch::StockView(x.stock));
          if (c == nullptr) return;
          const uint64_t ts = x.header.timestamp;
          if (x.trading_state == 'T' && !c->accepting) {
            c->accepting = true;
            c->closed_by_exchange = false;
            for (Side& s : c->side) s.blocked = false;
            c->presence.Open(ts);
            UpdatePresence(*c, ts);
            Log(c->code + " accepting orders");
          } else if (x.trading_state != 'T' && c->accepting) {
            c->accepting = false;
            c->presence.Close(ts);
            Log(fmt::format("{} state {}", c->code, x.trading_state));
          }
        }
      },
      *m.message);
}

void MarketMaker::OnOrderMessage(const ouch::Outbound& m) {
  const OrderEvent e = orders_.Apply(m);
  Seen(e.timestamp);
  switch (e.kind) {
    case OrderEvent::kSystem:
      if (e.code == 'E') ouch_end_ = true;
      return;
    default: break;
  }
  Category* c = Find(e.category);
  if (c == nullptr) return;
  Side& s = c->side[SideIndex(e.side)];
  const bool answered = !s.awaiting.empty() && (s.awaiting == e.token);
  if (answered) s.awaiting.clear();
  switch (e.kind) {
    case OrderEvent::kAccepted:
    case OrderEvent::kReplaced:
      if (e.live && (answered || s.token.empty() || s.token == e.previous)) s.token = e.token;
      if (!e.live && s.token == e.token) s.token.clear();
      break;
    case OrderEvent::kCanceled:
    case OrderEvent::kExecuted:
    case OrderEvent::kCancelRejected:
      if (!e.live && s.token == e.token) s.token.clear();
      if (e.kind == OrderEvent::kExecuted) {
        Log(fmt::format("{} {} {} @ {} executed", c->code, e.side == 'B' ? "bought" : "sold",
                        e.qty, e.price / kScale));
      }
      break;
    case OrderEvent::kRejected:
      if (s.token == e.token) s.token.clear();
      if (answered) HandleReject(*c, SideIndex(e.side), e.reason, false);
      break;
    case OrderEvent::kReplaceRejected:
      if (!e.live && s.token == e.previous) s.token.clear();
      if (answered) HandleReject(*c, SideIndex(e.side), e.reason, true);
      break;
    default: break;
  }
  UpdatePresence(*c, e.timestamp);
}

void MarketMaker::HandleReject(Category& c, int side, char reason, bool replace) {
  Side& s = c.side[side];
  const char* what = replace ? "replace" : "order";
  switch (reason) {
    case 'C':
    case 'H':
      c.closed_by_exchange = true;  // until the feed says `T` again
      break;
    case 'R':
    case 'S':
    case 'L':
      c.disabled = true;
      std::fprintf(stderr, "%s: %s %s rejected '%c': not quoting %s today\n",
                   options_.session.user.c_str(), c.code.c_str(), what, reason, c.code.c_str());
      break;
    case 'u':
    case 'n':
      s.blocked = true;
      std::fprintf(stderr, "%s: %s %s rejected '%c' (%s): no %s until the next phase\n",
                   options_.session.user.c_str(), c.code.c_str(), what, reason,
                   reason == 'u' ? "credits" : "buying power", side == 0 ? "bids" : "offers");
      break;
    case 'q':
      pause_until_ = SteadyClock::now() + std::chrono::seconds(1);
      break;
    case 'd':
      break;  // the token counter has moved past it
    default:
      s.cooldown_until_ns = Now() + options_.min_requote_ns;
      Log(fmt::format("{} {} rejected '{}'", c.code, what, reason));
      break;
  }
}

MarketView MarketMaker::View(const Category& c) const {
  MarketView v;
  v.tick = c.config->tick;
  v.base = c.config->reference_price;
  if (c.feed_index >= 0) {
    const md::CategoryState& cs = feed_->book().category(static_cast<size_t>(c.feed_index));
    if (cs.noii) {
      if (cs.noii->far_price > 0) v.base = cs.noii->far_price / kScale;
      v.indicative = cs.noii->reference_price / kScale;
    }
    for (auto it = cs.crosses.rbegin(); it != cs.crosses.rend(); ++it) {
      if (it->shares > 0) {
        v.last_clearing = it->cross_price / kScale;
        v.base = v.last_clearing;  // the next auction's base price (MARKET_RULES §4)
        break;
      }
    }
  }
  v.band = BandFor(*c.config, v.base);
  return v;
}

void MarketMaker::UpdatePresence(Category& c, uint64_t ts) {
  const OwnOrder* bid = nullptr;
  const OwnOrder* ask = nullptr;
  for (const OwnOrder* o : orders_.Live()) {
    if (o->category != c.code) continue;
    if (o->side == 'B' && (bid == nullptr || o->price > bid->price)) bid = o;
    if (o->side == 'S' && (ask == nullptr || o->price < ask->price)) ask = o;
  }
  QuoteState q;
  q.two_sided = bid != nullptr && ask != nullptr;
  if (q.two_sided) {
    q.spread = static_cast<int64_t>(ask->price / kScale) - static_cast<int64_t>(bid->price / kScale);
    q.min_size = std::min(bid->shares, ask->shares);
    q.compliant = q.min_size >= c.params.min_size && q.spread <= MaxSpread(c.params, View(c).base);
  }
  c.presence.Update(ts, q);
}

void MarketMaker::Enter(Category& c, int side, int64_t price, uint32_t size) {
  const std::string token = session_.NextToken();
  ouch::EnterOrder o = MakeEnter(token, side == 0 ? 'B' : 'S', size, c.code,
                                 static_cast<uint32_t>(price), /*auction_tif=*/false);
  if (!session_.Send(o)) return;
  orders_.SentEnter(o);
  Side& s = c.side[side];
  s.token = s.awaiting = token;
  s.sent_at = SteadyClock::now();
  s.last_change_ns = Now();
  Log(fmt::format("{} enter {} {} @ {}", c.code, side == 0 ? "bid" : "offer", size, price));
}

void MarketMaker::Replace(Category& c, int side, const OwnOrder& o, int64_t price, uint32_t size) {
  ouch::ReplaceOrder u;
  u.existing_token = ouch::MakeToken(o.token);
  const std::string token = session_.NextToken();
  u.replacement_token = ouch::MakeToken(token);
  u.shares = size;
  u.price = static_cast<uint32_t>(price) * kScale;
  u.tif = 99999;
  if (!session_.Send(u)) return;
  orders_.SentReplace(u);
  Side& s = c.side[side];
  s.awaiting = token;
  s.sent_at = SteadyClock::now();
  s.last_change_ns = Now();
  Log(fmt::format("{} replace {} {} @ {} -> {} @ {}", c.code, side == 0 ? "bid" : "offer",
                  o.shares, o.price / kScale, size, price));
}

void MarketMaker::Cancel(Category& c, int side, const OwnOrder& o) {
  ouch::CancelOrder x;
  x.token = ouch::MakeToken(o.token);
  x.shares = 0;
  if (!session_.Send(x)) return;
  orders_.SentCancel(o.token);
  if (side >= 0) {
    c.side[side].awaiting = o.token;
    c.side[side].sent_at = SteadyClock::now();
  }
  Log(fmt::format("{} cancel {} @ {}", c.code, o.token, o.price / kScale));
}

void MarketMaker::ActOn(Category& c) {
  if (c.feed_index < 0) c.feed_index = feed_->book().FindCategory(c.code);
  if (c.disabled || !c.accepting || c.closed_by_exchange || c.feed_index < 0) return;
  const MarketView v = View(c);
  const Position pos = orders_.position(c.code);
  const auto* bid = orders_.Find(c.side[0].token);
  const auto* ask = orders_.Find(c.side[1].token);
  const bool bid_live = bid != nullptr && bid->live;
  const bool ask_live = ask != nullptr && ask->live;
  int64_t cash = INT64_MAX / 4, credits = INT64_MAX / 4;
  if (options_.cash_limit > 0) {
    int64_t spent = orders_.OpenBuyYen() - (bid_live ? Yen(bid->price, bid->shares) : 0);
    for (const auto& [code, p] : orders_.positions()) spent += p.bought_yen;
    cash = options_.cash_limit - spent;
  }
  if (options_.credit_limit > 0) {
    credits = options_.credit_limit - pos.sold - orders_.OpenSellShares(c.code) +
              (ask_live ? ask->shares : 0);
  }
  const Quote q = ComputeQuote(v, c.params, pos.inventory(), cash, credits);
  const int64_t now = static_cast<int64_t>(Now());
  const int64_t threshold = static_cast<int64_t>(options_.requote_pct / 100.0 * static_cast<double>(v.base));
  // An obligation at stake (a side missing or too small, the spread too wide) is urgent.
  bool urgent = !bid_live || !ask_live;
  if (!urgent) {
    const int64_t spread = static_cast<int64_t>(ask->price / kScale) - static_cast<int64_t>(bid->price / kScale);
    urgent = bid->shares < c.params.min_size || ask->shares < c.params.min_size ||
             spread > MaxSpread(c.params, v.base);
  }
  for (int side = 0; side < 2; ++side) {
    Side& s = c.side[side];
    if (!s.awaiting.empty()) {
      if (SteadyClock::now() - s.sent_at < std::chrono::seconds(5)) continue;
      Log(c.code + ": no answer for 5 s; going on");
      s.awaiting.clear();
    }
    // Orders of this side other than the quote (e.g. left by an earlier run): cancel them.
    for (const OwnOrder* o : orders_.Live()) {
      if (o->category == c.code && SideIndex(o->side) == side && o->token != s.token &&
          !o->cancel_sent && o->replacing_with.empty()) {
        if (s.token.empty()) {
          s.token = o->token;  // adopt it
        } else {
          Cancel(c, -1, *o);
        }
      }
    }
    if (s.blocked || static_cast<int64_t>(s.cooldown_until_ns) > now) continue;
    const int64_t price = side == 0 ? q.bid : q.ask;
    const uint32_t size = side == 0 ? q.bid_size : q.ask_size;
    const OwnOrder* o = orders_.Find(s.token);
    const bool live = o != nullptr && o->live;
    if (!live) s.token.clear();
    if (size == 0) {
      if (live && !o->cancel_sent) Cancel(c, side, *o);
      continue;
    }
    if (!live) {
      Enter(c, side, price, size);
      continue;
    }
    if (!NeedsReplace(o->price / kScale, o->shares, price, size, threshold, c.params.min_size)) continue;
    if (urgent || now - static_cast<int64_t>(s.last_change_ns) >= static_cast<int64_t>(options_.min_requote_ns)) {
      Replace(c, side, *o, price, size);
    }
  }
}

void MarketMaker::Act() {
  if (!session_.connected() || SteadyClock::now() < pause_until_) return;
  for (Category& c : cats_) ActOn(c);
}

void MarketMaker::CancelAll() {
  for (Category& c : cats_) {
    for (const OwnOrder* o : orders_.Live()) {
      if (o->category == c.code && !o->cancel_sent) Cancel(c, -1, *o);
    }
  }
}

absl::Status MarketMaker::Run(const volatile std::sig_atomic_t* stop) {
  absl::Status error;
  for (;;) {
    if (*stop) {
      stop_reason_ = "stopped by a signal";
      break;
    }
    if (auto st = feed_->Poll(2); !st.ok()) {
      error = st;
      stop_reason_ = "market data failed";
      break;
    }
    if (auto st = session_.Pump(); !st.ok()) {
      error = st;
      stop_reason_ = "order entry failed";
      break;
    }
    if (end_of_day_ || ouch_end_) {
      stop_reason_ = "end of market hours";
      break;
    }
    if (session_ended_) {
      stop_reason_ = "end of session";
      break;
    }
    if (options_.until_ns && clock_.known() && Now() >= *options_.until_ns) {
      stop_reason_ = "until " + FormatTimeOfDay(*options_.until_ns);
      break;
    }
    Act();
  }
  // Wind down: at the end of the day the exchange expires DAY orders itself (wait for its
  // end-of-day event and the last executions); otherwise take the quotes down.
  const bool day_over = end_of_day_ || ouch_end_;
  if (error.ok() && session_.connected() && !day_over) CancelAll();
  const auto deadline = SteadyClock::now() + std::chrono::seconds(3);
  while (error.ok() && session_.connected() && SteadyClock::now() < deadline) {
    if (day_over ? ouch_end_ : orders_.live_count() == 0) break;
    (void)feed_->Poll(2);
    if (!session_.Pump().ok()) break;
  }
  for (Category& c : cats_) c.presence.Close(Now());
  session_.Logout();
  return error;
}

}  // namespace ccx::bots
