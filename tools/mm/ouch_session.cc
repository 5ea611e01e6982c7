#include "tools/mm/ouch_session.h"

#include <algorithm>
#include <cstdio>
#include <type_traits>
#include <variant>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "fmt/format.h"

namespace ccx::bots {

using Clock = std::chrono::steady_clock;

OuchSession::OuchSession(OuchSessionOptions options, OuchSessionHandler handler)
    : options_(std::move(options)), handler_(std::move(handler)) {}

absl::Status OuchSession::Connect() {
  auto c = std::make_unique<OuchClient>();
  if (auto st = c->Connect(options_.host, options_.port); !st.ok()) return st;
  if (handler_.on_reset) handler_.on_reset();
  // Sequence 1: the whole day so far, so that orders, executions and used tokens are known.
  auto login = c->Login(options_.user, options_.password, "", 1);
  if (!login.ok()) {
    return absl::Status(login.status().code(),
                        fmt::format("{}: {}", options_.user, std::string(login.status().message())));
  }
  client_ = std::move(c);
  session_ = client_->session();
  connected_ = true;
  ever_connected_ = true;
  backoff_ = std::chrono::milliseconds(200);
  last_send_ = Clock::now();
  // The replay follows at once: take it in before the owner acts on what it knows (the
  // login does not say how long the replay is; 100 ms of quiet ends it).
  for (;;) {
    auto r = client_->Receive(100);
    if (!r.ok()) {
      Lost(std::string(r.status().message()));
      return absl::UnavailableError(fmt::format("{}: connection lost during the replay: {}",
                                                options_.user, std::string(r.status().message())));
    }
    if (!r->has_value()) break;
    Dispatch(**r);
    if (!connected_) break;
  }
  return absl::OkStatus();
}

void OuchSession::Lost(std::string_view why) {
  if (!connected_) return;
  connected_ = false;
  lost_reason_ = std::string(why);
  lost_at_ = Clock::now();
  next_attempt_ = lost_at_ + backoff_;
  if (client_) client_->Close();
}

absl::Status OuchSession::Pump() {
  const auto now = Clock::now();
  if (!connected_) {
    if (!ever_connected_) return absl::FailedPreconditionError("not connected");
    if (now < next_attempt_) return absl::OkStatus();
    absl::Status st = Connect();
    if (st.ok()) {
      ++reconnects_;
      std::fprintf(stderr, "%s: reconnected (after: %s)\n", options_.user.c_str(), lost_reason_.c_str());
      return absl::OkStatus();
    }
    // A wrong password never gets better; anything else may (the exchange restarting,
    // or still holding the old session for a moment).
    if (absl::StrContains(st.message(), "login rejected: A")) return st;
    if (now - lost_at_ > options_.reconnect_timeout) {
      return absl::UnavailableError(fmt::format(
          "{}: the exchange went away ({}); no session for {} s: {}", options_.user, lost_reason_,
          std::chrono::duration_cast<std::chrono::seconds>(now - lost_at_).count(),
          std::string(st.message())));
    }
    next_attempt_ = now + backoff_;
    backoff_ = std::min(backoff_ * 2, std::chrono::milliseconds(5000));
    return absl::OkStatus();
  }
  for (;;) {
    auto r = client_->Receive(0);
    if (!r.ok()) {
      Lost(std::string(r.status().message()));
      return absl::OkStatus();
    }
    if (!r->has_value()) break;
    Dispatch(**r);
    if (!connected_) return absl::OkStatus();
  }
  if (now - last_send_ >= std::chrono::seconds(1)) {
    if (!client_->Heartbeat().ok()) {
      Lost("heartbeat failed");
      return absl::OkStatus();
    }
    last_send_ = now;
  }
  return absl::OkStatus();
}

bool OuchSession::Send(const ouch::Inbound& message) {
  if (!connected_) return false;
  if (auto st = client_->Send(message); !st.ok()) {
    Lost(std::string(st.message()));
    return false;
  }
  last_send_ = Clock::now();
  return true;
}

std::string OuchSession::NextToken() {
  return options_.token_prefix + std::to_string(++token_counter_);
}

void OuchSession::NoteToken(std::string_view token) {
  if (token.size() <= options_.token_prefix.size() ||
      token.substr(0, options_.token_prefix.size()) != options_.token_prefix) {
    return;
  }
  uint64_t n = 0;
  if (absl::SimpleAtoi(std::string(token.substr(options_.token_prefix.size())), &n) && n > token_counter_) {
    token_counter_ = n;
  }
}

void OuchSession::Dispatch(const ReceivedPacket& p) {
  switch (p.type) {
    case 'S': {
      ouch::Outbound m;
      if (ouch::DecodeOutbound(p.payload, &m) != ouch::DecodeStatus::kOk) {
        std::fprintf(stderr, "%s: undecodable OUCH message type %c\n", options_.user.c_str(),
                     p.payload.empty() ? '?' : static_cast<char>(p.payload[0]));
        return;
      }
      std::visit(
          [this](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, ouch::Replaced>) {
              NoteToken(ouch::TokenView(x.replacement_token));
            } else if constexpr (!std::is_same_v<T, ouch::SystemEvent>) {
              NoteToken(ouch::TokenView(x.token));
            }
          },
          m);
      if (handler_.on_message) handler_.on_message(m);
      return;
    }
    case 'Z':
      Lost("end of session");
      if (handler_.on_end_of_session) handler_.on_end_of_session();
      return;
    case '+':
      std::fprintf(stderr, "%s: server says: %.*s\n", options_.user.c_str(),
                   static_cast<int>(p.payload.size()), reinterpret_cast<const char*>(p.payload.data()));
      return;
    default:
      return;  // heartbeats
  }
}

void OuchSession::Logout() {
  if (!connected_) return;
  (void)client_->Logout();
  // Give the server a moment to answer the logout, then close.
  (void)client_->Receive(50);
  connected_ = false;
  client_->Close();
}

}  // namespace ccx::bots
