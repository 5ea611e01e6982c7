#include "tools/crowd/crowd.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <type_traits>
#include <variant>

#include "absl/strings/ascii.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "tools/lib/ouch_client.h"
#include "tools/mm/bot_util.h"
#include "tools/mm/quoter.h"

namespace ccx::bots {

using SteadyClock = std::chrono::steady_clock;

struct Crowd::Bot {
  std::string user;
  bool buyer = true;
  double bias = 0;              // centre of its prices relative to the base (fraction)
  std::vector<double> weights;  // per category of options_.categories
  OwnOrders orders;
  std::unique_ptr<OuchSession> session;
  bool day_over = false;  // OUCH end-of-day event seen
};

Crowd::Crowd(CrowdOptions options)
    : options_(std::move(options)), clock_(options_.sim_speed), rng_(options_.seed) {
  // Personas: half buyers, half sellers, shuffled by the seed; three preferred categories
  // each (four times as likely), and a personal price bias.
  std::vector<size_t> order(options_.users.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng_);
  std::vector<bool> buyer(order.size(), false);
  for (size_t i = 0; i < (order.size() + 1) / 2; ++i) buyer[order[i]] = true;
  std::uniform_real_distribution<double> u(-0.005, 0.005);
  for (size_t k = 0; k < options_.users.size(); ++k) {
    auto b = std::make_unique<Bot>();
    const auto& [user, password] = options_.users[k];
    b->user = user;
    b->buyer = buyer[k];
    b->bias = (b->buyer ? 1 : -1) * options_.bias_pct / 100.0 + u(rng_);
    b->weights.assign(options_.categories.size(), 1.0);
    for (int i = 0; i < 3 && !b->weights.empty(); ++i) b->weights[rng_() % b->weights.size()] = 4.0;
    Bot* raw = b.get();
    OuchSessionOptions so;
    so.host = options_.host;
    so.port = options_.port;
    so.user = user;
    so.password = password;
    so.token_prefix = "K";
    so.reconnect_timeout = options_.reconnect_timeout;
    b->session = std::make_unique<OuchSession>(
        so, OuchSessionHandler{[raw] { raw->orders.Clear(); },
                               [this, raw](const ouch::Outbound& m) {
                                 const OrderEvent e = raw->orders.Apply(m);
                                 if (e.timestamp) clock_.Observe(e.timestamp);
                                 if (e.kind == OrderEvent::kSystem && e.code == 'E') raw->day_over = true;
                                 if (options_.verbose && (e.kind == OrderEvent::kRejected ||
                                                          e.kind == OrderEvent::kReplaceRejected)) {
                                   std::fprintf(stderr, "%s: %s %s rejected '%c'\n", raw->user.c_str(),
                                                e.category.c_str(), e.token.c_str(), e.reason);
                                 }
                               },
                               [raw] { raw->day_over = true; }});
    bots_.push_back(std::move(b));
  }
}

Crowd::~Crowd() = default;

absl::Status Crowd::Start() {
  md::FeedHandler h;
  h.on_message = [this](const md::FeedMessage& m) { OnFeed(m); };
  h.on_warning = [this](const std::string& w) {
    if (options_.verbose) std::fprintf(stderr, "ccx-crowd: feed: %s\n", w.c_str());
  };
  auto feed = md::FeedSubscriber::Open(options_.feed, std::move(h));
  if (!feed.ok()) return feed.status();
  feed_ = std::move(*feed);
  for (auto& b : bots_) {
    if (auto st = b->session->Connect(); !st.ok()) return st;
    day_ = b->session->session();
  }
  return absl::OkStatus();
}

void Crowd::OnFeed(const md::FeedMessage& m) {
  if (m.message == nullptr || m.snapshot) return;
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        clock_.Observe(x.header.timestamp);
        if constexpr (std::is_same_v<T, itch::SystemEvent>) {
          if (x.event_code == 'M') end_of_day_ = true;
        }
      },
      *m.message);
}

int64_t Crowd::Base(const std::string& code) const {
  const int cfg = options_.market.FindCategory(code);
  int64_t base = options_.market.categories[static_cast<size_t>(cfg)].reference_price;
  const int i = feed_->book().FindCategory(code);
  if (i < 0) return base;
  const md::CategoryState& cs = feed_->book().category(static_cast<size_t>(i));
  for (auto it = cs.crosses.rbegin(); it != cs.crosses.rend(); ++it) {
    if (it->shares > 0) return it->cross_price / ouch::kPriceScale;
  }
  if (cs.noii && cs.noii->far_price > 0) base = cs.noii->far_price / ouch::kPriceScale;
  return base;
}

bool Crowd::Accepting(const std::string& code) const {
  const int i = feed_->book().FindCategory(code);
  return i >= 0 && feed_->book().category(static_cast<size_t>(i)).trading_state() == 'T';
}

int64_t Crowd::DrawPrice(const Bot& b, const std::string& code, char side) {
  const CategoryConfig& cfg = options_.market.categories[static_cast<size_t>(options_.market.FindCategory(code))];
  const int64_t base = Base(code);
  // A bot's side is centred on its bias (buyers above the base, sellers below).
  const bool own_side = (side == 'B') == b.buyer;
  const double mu = own_side ? b.bias : -b.bias;
  std::normal_distribution<double> n(mu, options_.scatter_pct / 100.0);
  const double p = static_cast<double>(base) * (1.0 + n(rng_));
  int64_t price = static_cast<int64_t>(std::llround(p / static_cast<double>(cfg.tick))) * cfg.tick;
  const Band band = BandFor(cfg, base);
  return std::clamp<int64_t>(price, band.lower, band.upper);
}

uint32_t Crowd::DrawQty() {
  std::uniform_real_distribution<double> u(std::log(static_cast<double>(options_.min_qty)),
                                           std::log(static_cast<double>(options_.max_qty)));
  auto q = static_cast<uint32_t>(std::llround(std::exp(u(rng_))));
  if (q > 50) q = q / 10 * 10;
  return std::clamp(q, options_.min_qty, options_.max_qty);
}

void Crowd::NewOrder(Bot& b, uint64_t /*now*/) {
  // A category among those accepting, by the bot's weights.
  double total = 0;
  std::vector<double> w(options_.categories.size(), 0.0);
  for (size_t i = 0; i < w.size(); ++i) {
    if (Accepting(options_.categories[i])) w[i] = b.weights[i];
    total += w[i];
  }
  if (total <= 0) return;
  std::uniform_real_distribution<double> u(0, total);
  double r = u(rng_);
  size_t ci = w.size();
  for (size_t i = 0; i < w.size(); ++i) {
    if (w[i] <= 0) continue;
    ci = i;  // the last eligible one, should rounding leave r at the very end
    if (r < w[i]) break;
    r -= w[i];
  }
  const std::string& code = options_.categories[ci];
  // A buyer seeking offsets only buys and a seller holding credits only sells: a bot on
  // both sides of one auction would be a wash trade to surveillance (docs/SURVEILLANCE.md).
  const char side = b.buyer ? 'B' : 'S';
  const uint32_t qty = DrawQty();
  const int64_t price = DrawPrice(b, code, side);
  const bool auction = std::uniform_real_distribution<double>(0, 1)(rng_) < options_.auction_share;
  const ouch::EnterOrder o = MakeEnter(b.session->NextToken(), side, qty, code,
                                       static_cast<uint32_t>(price), auction);
  if (b.session->Send(o)) b.orders.SentEnter(o);
}

void Crowd::ReplaceOrder(Bot& b, const OwnOrder& o) {
  ouch::ReplaceOrder u;
  u.existing_token = ouch::MakeToken(o.token);
  u.replacement_token = ouch::MakeToken(b.session->NextToken());
  u.shares = rng_() % 2 ? o.shares : DrawQty();
  u.price = static_cast<uint32_t>(DrawPrice(b, o.category, o.side)) * ouch::kPriceScale;
  u.tif = o.tif;
  if (b.session->Send(u)) b.orders.SentReplace(u);
}

void Crowd::CancelOrder(Bot& b, const OwnOrder& o) {
  ouch::CancelOrder x;
  x.token = ouch::MakeToken(o.token);
  if (b.session->Send(x)) b.orders.SentCancel(o.token);
}

void Crowd::Act(uint64_t now) {
  if (!clock_.known() || bots_.empty()) return;
  const double mean_ns = 60e9 / options_.rate_per_minute;
  std::exponential_distribution<double> gap(1.0 / mean_ns);
  bool any = false;
  for (const auto& code : options_.categories) any = any || Accepting(code);
  // No backlog across closed phases or clock jumps.
  if (!any || next_action_ == 0 || now > next_action_ + 60'000'000'000ULL) {
    next_action_ = now + static_cast<uint64_t>(gap(rng_));
    return;
  }
  for (int n = 0; n < 50 && next_action_ <= now; ++n) {
    next_action_ += static_cast<uint64_t>(gap(rng_)) + 1;
    Bot& b = *bots_[rng_() % bots_.size()];
    if (!b.session->connected()) continue;
    const double r = std::uniform_real_distribution<double>(0, 1)(rng_);
    if (r < options_.replace_share + options_.cancel_share) {
      std::vector<const OwnOrder*> live;
      for (const OwnOrder* o : b.orders.Live()) {
        if (!o->cancel_sent && o->replacing_with.empty() && Accepting(o->category)) live.push_back(o);
      }
      if (!live.empty()) {
        // Live() has no fixed order: sort by token so the seed decides alone.
        std::sort(live.begin(), live.end(), [](const OwnOrder* x, const OwnOrder* y) {
          return x->token.size() != y->token.size() ? x->token.size() < y->token.size() : x->token < y->token;
        });
        const OwnOrder& o = *live[rng_() % live.size()];
        if (r < options_.replace_share) {
          ReplaceOrder(b, o);
        } else {
          CancelOrder(b, o);
        }
        continue;
      }
    }
    NewOrder(b, now);
  }
}

absl::Status Crowd::Run(const volatile std::sig_atomic_t* stop) {
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
    for (auto& b : bots_) {
      if (auto st = b->session->Pump(); !st.ok()) error = st;
    }
    if (!error.ok()) {
      stop_reason_ = "order entry failed";
      break;
    }
    if (end_of_day_) {
      stop_reason_ = "end of market hours";
      break;
    }
    const uint64_t now = clock_.Now();
    if (options_.until_ns && clock_.known() && now >= *options_.until_ns) {
      stop_reason_ = "until " + FormatTimeOfDay(*options_.until_ns);
      break;
    }
    Act(now);
  }
  // The last executions and expiries come with the order-entry end-of-day event.
  const auto deadline = SteadyClock::now() + std::chrono::seconds(3);
  while (error.ok() && end_of_day_ && SteadyClock::now() < deadline) {
    bool all = true;
    for (auto& b : bots_) {
      (void)b->session->Pump();
      all = all && (b->day_over || !b->session->connected());
    }
    if (all) break;
    (void)feed_->Poll(2);
  }
  for (auto& b : bots_) b->session->Logout();
  return error;
}

std::string Crowd::ReportText() const {
  std::string out = fmt::format("ccx-crowd: {} participants, trading day {} — {}\n", bots_.size(),
                                std::string(absl::StripLeadingAsciiWhitespace(day_)), stop_reason_);
  out += fmt::format("{:<8} {:<7} {:>7} {:>8} {:>8} {:>8} {:>10} {:>11} {:>11}\n", "user", "persona",
                     "orders", "replaces", "cancels", "rejected", "executions", "bought t", "sold t");
  OrderCounts all;
  Position sum;
  for (const auto& b : bots_) {
    const OrderCounts& n = b->orders.counts();
    const Position t = b->orders.Total();
    out += fmt::format("{:<8} {:<7} {:>7} {:>8} {:>8} {:>8} {:>10} {:>11} {:>11}\n", b->user,
                       b->buyer ? "buyer" : "seller", n.orders(), n.replaces(), n.cancelled('U'),
                       n.enter_rejects + n.replace_rejects, t.executions, Thousands(t.bought),
                       Thousands(t.sold));
    all.accepted += n.accepted;
    all.enter_rejects += n.enter_rejects;
    all.replaced += n.replaced;
    all.replace_rejects += n.replace_rejects;
    for (const auto& [r, k] : n.rejects) all.rejects[r] += k;
    for (const auto& [r, k] : n.cancels) all.cancels[r] += k;
    sum.executions += t.executions;
    sum.bought += t.bought;
    sum.sold += t.sold;
  }
  out += fmt::format("{:<8} {:<7} {:>7} {:>8} {:>8} {:>8} {:>10} {:>11} {:>11}\n", "total", "",
                     all.orders(), all.replaces(), all.cancelled('U'),
                     all.enter_rejects + all.replace_rejects, sum.executions, Thousands(sum.bought),
                     Thousands(sum.sold));
  std::string reasons;
  for (const auto& [r, k] : all.rejects) reasons += fmt::format("{}{} {}", reasons.empty() ? "" : ", ", r, k);
  out += fmt::format("expired unexecuted: {} AUCTION, {} DAY; rejects by reason: {}\n",
                     all.cancelled('I'), all.cancelled('T'), reasons.empty() ? "none" : reasons);
  return out;
}

std::string Crowd::SummaryJson() const {
  using Json = nlohmann::ordered_json;
  Json bots = Json::array();
  int64_t orders = 0, replaces = 0, cancels = 0, rejected = 0, executions = 0, bought = 0, sold = 0;
  Json rej = Json::object();
  for (const auto& b : bots_) {
    const OrderCounts& n = b->orders.counts();
    const Position t = b->orders.Total();
    bots.push_back({{"user", b->user}, {"persona", b->buyer ? "buyer" : "seller"},
                    {"orders", n.orders()}, {"replaces", n.replaces()}, {"cancels", n.cancelled('U')},
                    {"rejected", n.enter_rejects + n.replace_rejects}, {"executions", t.executions},
                    {"bought", t.bought}, {"sold", t.sold}});
    orders += n.orders();
    replaces += n.replaces();
    cancels += n.cancelled('U');
    rejected += n.enter_rejects + n.replace_rejects;
    executions += t.executions;
    bought += t.bought;
    sold += t.sold;
    for (const auto& [r, k] : n.rejects) {
      const std::string key(1, r);
      rej[key] = (rej.contains(key) ? rej[key].get<int64_t>() : 0) + k;
    }
  }
  Json j;
  j["program"] = "ccx-crowd";
  j["session"] = std::string(absl::StripLeadingAsciiWhitespace(day_));
  j["stopped"] = stop_reason_;
  j["orders"] = orders;
  j["replaces"] = replaces;
  j["cancels"] = cancels;
  j["rejected"] = rejected;
  j["rejects"] = rej;
  j["executions"] = executions;
  j["bought"] = bought;
  j["sold"] = sold;
  j["bots"] = bots;
  return j.dump() + "\n";
}

}  // namespace ccx::bots
