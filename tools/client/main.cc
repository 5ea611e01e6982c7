// ccx-client: a participant's command-line client over SoupBinTCP/OUCH 4.2.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "tools/lib/args.h"
#include "tools/lib/ouch_client.h"

namespace {

constexpr const char* kUsage =
    "usage: ccx-client [OPTIONS] COMMAND [ARGS...]\n"
    "\n"
    "Commands:\n"
    "  buy CATEGORY QTY PRICE [--tif day|auction] [--token T]   enter a buy order (price in yen)\n"
    "  sell CATEGORY QTY PRICE [--tif day|auction] [--token T]  enter a sell order\n"
    "  cancel TOKEN [REMAINING_QTY]                              cancel, or reduce to REMAINING_QTY\n"
    "  replace TOKEN NEW_TOKEN QTY PRICE                         replace (new token, new time priority)\n"
    "  listen [SECONDS]                                          print everything received\n"
    "  --script FILE: one command per line (also `wait SECONDS`); # starts a comment.\n"
    "Every received message is printed decoded on one line (--json: one JSON object).\n"
    "Exit status: 0 ok, 1 a command was rejected or the server closed, 2 bad usage.\n\nOptions:\n";

struct Ctx {
  ccx::OuchClient client;
  bool json = false;
  int token_counter = 0;
  bool failed = false;
};

void Print(Ctx& c, const ccx::ReceivedPacket& p) {
  std::puts((c.json ? ccx::DescribePacketJson(p) : ccx::DescribePacket(p)).c_str());
  std::fflush(stdout);
}

// Prints what arrives until a sequenced reply about `token` (or `timeout_ms` of quiet).
bool Await(Ctx& c, const std::string& token, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = c.client.Receive(50);
    if (!r.ok()) {
      std::fprintf(stderr, "ccx-client: %s\n", std::string(r.status().message()).c_str());
      c.failed = true;
      return false;
    }
    if (!r->has_value()) {
      if (token.empty()) continue;
      continue;
    }
    Print(c, **r);
    const auto& p = **r;
    if (!token.empty() && p.type == 'S' && p.payload.size() >= 23) {
      const char t = static_cast<char>(p.payload[0]);
      const std::string tok(reinterpret_cast<const char*>(p.payload.data()) + 9, 14);
      if (ccx::wire::TrimSpaces(tok) == token && (t == 'A' || t == 'J' || t == 'U' || t == 'C' || t == 'I')) {
        if (t == 'J' || t == 'I') c.failed = true;
        return true;
      }
    }
    if (p.type == 'Z' || p.type == '+') return false;
  }
  return token.empty();
}

bool ParseU32(const std::string& s, uint32_t* out) { return absl::SimpleAtoi(s, out); }

// Runs one command given as words; returns false on a usage error.
bool Run(Ctx& c, std::vector<std::string> w) {
  if (w.empty()) return true;
  std::string tif = "day", token;
  std::vector<std::string> pos;
  for (size_t i = 0; i < w.size(); ++i) {
    if (w[i] == "--tif" && i + 1 < w.size()) {
      tif = w[++i];
    } else if (w[i] == "--token" && i + 1 < w.size()) {
      token = w[++i];
    } else {
      pos.push_back(w[i]);
    }
  }
  const std::string& cmd = pos[0];
  if ((cmd == "buy" || cmd == "sell") && pos.size() == 4) {
    uint32_t qty = 0, price = 0;
    if (!ParseU32(pos[2], &qty) || !ParseU32(pos[3], &price) || (tif != "day" && tif != "auction")) {
      std::fprintf(stderr, "ccx-client: %s CATEGORY QTY PRICE [--tif day|auction]\n", cmd.c_str());
      return false;
    }
    if (token.empty()) {
      token = "C" + std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(
                                       std::chrono::system_clock::now().time_since_epoch()).count() % 10000000000LL) +
              "-" + std::to_string(++c.token_counter);
    }
    (void)c.client.Send(ccx::MakeEnter(token, cmd == "buy" ? 'B' : 'S', qty, pos[1], price, tif == "auction"));
    Await(c, token, 3000);
    return true;
  }
  if (cmd == "cancel" && (pos.size() == 2 || pos.size() == 3)) {
    ccx::ouch::CancelOrder x;
    x.token = ccx::ouch::MakeToken(pos[1]);
    if (pos.size() == 3 && !ParseU32(pos[2], &x.shares)) return false;
    (void)c.client.Send(x);
    Await(c, pos[1], 3000);
    return true;
  }
  if (cmd == "replace" && pos.size() == 5) {
    ccx::ouch::ReplaceOrder u;
    u.existing_token = ccx::ouch::MakeToken(pos[1]);
    u.replacement_token = ccx::ouch::MakeToken(pos[2]);
    uint32_t price = 0;
    if (!ParseU32(pos[3], &u.shares) || !ParseU32(pos[4], &price)) return false;
    u.price = price * ccx::ouch::kPriceScale;
    u.tif = tif == "auction" ? 0 : 99999;
    (void)c.client.Send(u);
    Await(c, pos[2], 3000);
    return true;
  }
  if (cmd == "wait" || cmd == "listen") {
    double secs = cmd == "listen" ? 1e9 : 1;
    if (pos.size() == 2 && !absl::SimpleAtod(pos[1], &secs)) return false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<int64_t>(secs * 1000));
    while (std::chrono::steady_clock::now() < deadline) {
      auto r = c.client.Receive(200);
      if (!r.ok()) return true;
      if (r->has_value()) Print(c, **r);
      if (std::chrono::steady_clock::now() - deadline > std::chrono::seconds(0)) break;
      (void)c.client.Heartbeat();
    }
    return true;
  }
  std::fprintf(stderr, "ccx-client: unknown command or wrong arguments: %s (try --help)\n", cmd.c_str());
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  ccx::Args a;
  a.Option("host", "127.0.0.1", "exchange address")
      .Option("port", "26400", "order-entry port")
      .Option("user", "PART01", "SoupBinTCP username")
      .Option("password", "part01", "password")
      .Option("session", "", "session to join (blank = current)")
      .Option("from-seq", "0", "replay from this sequence number (0 = only new messages)")
      .Option("script", "", "file with one command per line")
      .Option("tif", "day", "time in force for buy/sell: day | auction")
      .Option("token", "", "order token for buy/sell (default: generated)")
      .Flag("json", "print received messages as JSON");
  // Options may follow the command words: pass everything through the parser.
  if (auto st = a.Parse(argc, argv); !st.ok()) {
    std::fprintf(stderr, "ccx-client: %s (try --help)\n", std::string(st.message()).c_str());
    return 2;
  }
  if (a.help()) {
    std::fputs(kUsage, stdout);
    std::fputs(a.Usage().c_str(), stdout);
    return 0;
  }
  Ctx c;
  c.json = a.Has("json");
  auto port = a.GetInt("port");
  auto from = a.GetInt("from-seq");
  if (!port.ok() || !from.ok() || *port <= 0 || *port > 65535 || *from < 0) {
    std::fprintf(stderr, "ccx-client: --port and --from-seq must be numbers\n");
    return 2;
  }
  if (a.positional().empty() && a.Get("script").empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  if (auto st = c.client.Connect(a.Get("host"), static_cast<uint16_t>(*port)); !st.ok()) {
    std::fprintf(stderr, "ccx-client: %s\n", std::string(st.message()).c_str());
    return 1;
  }
  auto login = c.client.Login(a.Get("user"), a.Get("password"), a.Get("session"), static_cast<uint64_t>(*from));
  if (!login.ok()) {
    std::fprintf(stderr, "ccx-client: %s\n", std::string(login.status().message()).c_str());
    return 1;
  }
  if (!c.json) std::printf("logged in as %s, session %s, next sequence %llu\n", a.Get("user").c_str(),
                           c.client.session().c_str(), static_cast<unsigned long long>(login->next_sequence));
  // Print what the replay brings before the first command.
  while (true) {
    auto r = c.client.Receive(*from > 0 ? 300 : 50);
    if (!r.ok() || !r->has_value()) break;
    Print(c, **r);
  }
  std::vector<std::vector<std::string>> commands;
  if (!a.Get("script").empty()) {
    std::ifstream in(a.Get("script"));
    if (!in) {
      std::fprintf(stderr, "ccx-client: cannot read script %s\n", a.Get("script").c_str());
      return 2;
    }
    std::string line;
    while (std::getline(in, line)) {
      if (auto h = line.find('#'); h != std::string::npos) line.resize(h);
      std::istringstream ws(line);
      std::vector<std::string> w;
      for (std::string x; ws >> x;) w.push_back(x);
      if (!w.empty()) commands.push_back(w);
    }
  } else {
    std::vector<std::string> w = a.positional();
    if (a.Has("tif")) w.insert(w.end(), {"--tif", a.Get("tif")});
    if (a.Has("token")) w.insert(w.end(), {"--token", a.Get("token")});
    commands.push_back(w);
  }
  for (auto& w : commands) {
    if (!Run(c, w)) return 2;
  }
  (void)c.client.Logout();
  return c.failed ? 1 : 0;
}
