// ccx-exchange: the exchange server, its operator commands and participant set-up.
#include <cstdio>
#include <iostream>
#include <string>

#include "absl/strings/str_join.h"
#include "engine/market/schedule.h"
#include "gateway/core/participants.h"
#include "gateway/server/exchange_server.h"
#include "surveillance/surveillance.h"
#include "tools/lib/args.h"

namespace {

// Live surveillance: a replica of the exchange core that follows the journal and writes
// the alerts it raises to DATA_DIR/alerts/ (docs/SURVEILLANCE.md).
class LiveSurveillance final : public ccx::JournalObserver {
 public:
  static absl::StatusOr<std::unique_ptr<ccx::JournalObserver>> Create(const ccx::ServerOptions& o) {
    auto market = ccx::LoadMarketConfig(o.config_path);
    if (!market.ok()) return market.status();
    auto reg = ccx::LoadParticipants(o.config_path, *market);
    if (!reg.ok()) return reg.status();
    auto core = ccx::surveillance::CoreOptionsFromConfig(o.config_path, *market, *reg, o.noii_interval_ms);
    if (!core.ok()) return core.status();
    auto rules = ccx::surveillance::LoadSurveillanceConfig(o.config_path);
    if (!rules.ok()) return rules.status();
    auto live = std::unique_ptr<LiveSurveillance>(new LiveSurveillance(o.data_dir + "/alerts"));
    live->surveillance_ = std::make_unique<ccx::surveillance::Surveillance>(*market, *reg, *core, *rules, &live->sink_);
    return std::unique_ptr<ccx::JournalObserver>(std::move(live));
  }
  absl::Status OnRecord(const ccx::JournalRecord& r) override { return surveillance_->OnRecord(r); }

 private:
  explicit LiveSurveillance(std::string dir) : sink_(std::move(dir)) {}
  ccx::surveillance::DirectoryAlertSink sink_;
  std::unique_ptr<ccx::surveillance::Surveillance> surveillance_;
};

constexpr const char* kUsage =
    "usage: ccx-exchange [OPTIONS]                 run the exchange\n"
    "       ccx-exchange admin --data-dir DIR CMD   send an operator command to a running exchange\n"
    "       ccx-exchange hash-password [--demo] PASSWORD\n"
    "                                               print a password hash for a [[participant]]\n"
    "\n"
    "Operator commands (journaled): halt CAT|all, resume CAT|all, reference-price CAT YEN,\n"
    "suspend USER, reinstate USER; read-only: status, book CAT (resting orders with owners);\n"
    "simulated clock: clock YYYY-MM-DDTHH:MM:SS;\n"
    "shutdown.\n\nOptions:\n";

int Fail(const std::string& msg) {
  std::fprintf(stderr, "ccx-exchange: %s\n", msg.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "hash-password") {
    ccx::Args a;
    a.Flag("demo", "cheap hash for demo participants only");
    if (auto st = a.Parse(argc, argv, 2); !st.ok()) return Fail(std::string(st.message()));
    if (a.help() || a.positional().size() != 1) {
      std::puts("usage: ccx-exchange hash-password [--demo] PASSWORD");
      return a.help() ? 0 : 2;
    }
    auto h = ccx::HashPassword(a.positional()[0], a.Has("demo"));
    if (!h.ok()) return Fail(std::string(h.status().message()));
    std::puts(h->c_str());
    return 0;
  }
  if (argc >= 2 && std::string(argv[1]) == "admin") {
    ccx::Args a;
    a.Option("data-dir", "data", "data directory of the running exchange");
    if (auto st = a.Parse(argc, argv, 2); !st.ok()) return Fail(std::string(st.message()));
    if (a.help() || a.positional().empty()) {
      std::fputs(kUsage, stdout);
      return a.help() ? 0 : 2;
    }
    auto reply = ccx::SendAdminCommand(a.Get("data-dir"), absl::StrJoin(a.positional(), " "));
    if (!reply.ok()) return Fail(std::string(reply.status().message()));
    std::puts(reply->c_str());
    return reply->rfind("ok", 0) == 0 ? 0 : 1;
  }
  ccx::Args a;
  a.Option("config", ccx::DefaultConfigPath(), "market configuration file (TOML)")
      .Option("data-dir", "data", "journal, reports and the admin socket (created if missing)")
      .Option("listen", "127.0.0.1", "address to listen on")
      .Option("order-port", "26400", "SoupBinTCP/OUCH order-entry port")
      .Option("clock", "wall", "wall | sim")
      .Option("sim-start", "", "simulated start, Tokyo time YYYY-MM-DDTHH:MM:SS (default: now)")
      .Option("sim-speed", "1", "simulated seconds per real second (0 = frozen; see `clock`)")
      .Option("fsync", "batch", "none | batch | always: when acknowledgements may be sent")
      .Option("heartbeat-ms", "1000", "server heartbeat after this much silence")
      .Option("idle-timeout-ms", "15000", "end sessions silent for this long")
      .Option("max-messages-per-second", "", "per-session rate limit, overrides [exchange] (0 = off)")
      .Multi("md-dest", "market data destination ADDR:PORT, repeatable (default multicast 239.255.42.1:30001)")
      .Option("md-retrans-port", "26402", "MoldUDP64 retransmission server port (UDP; 0 = any free)")
      .Option("snapshot-port", "26401", "market data snapshot port (TCP; 0 = any free)")
      .Option("noii-interval-ms", "100", "at most one NOII per category per this interval")
      .Option("engine", "combining", "combining (the gateway thread runs the engine role when it is free) | "
              "dedicated (only the engine thread; best with a core per thread)")
      .Flag("no-surveillance", "do not raise surveillance alerts live (DATA_DIR/alerts/)");
  if (auto st = a.Parse(argc, argv); !st.ok()) return Fail(std::string(st.message()) + " (try --help)");
  if (a.help()) {
    std::fputs(kUsage, stdout);
    std::fputs(a.Usage().c_str(), stdout);
    return 0;
  }
  if (!a.positional().empty()) return Fail("unexpected argument '" + a.positional()[0] + "' (try --help)");
  ccx::ServerOptions o;
  o.config_path = a.Get("config");
  o.data_dir = a.Get("data-dir");
  o.listen = a.Get("listen");
  auto port = a.GetInt("order-port");
  if (!port.ok() || *port < 0 || *port > 65535) return Fail("--order-port: must be 0..65535");
  o.order_port = static_cast<uint16_t>(*port);
  const std::string clock = a.Get("clock");
  if (clock != "wall" && clock != "sim") return Fail("--clock: must be wall or sim");
  o.sim_clock = clock == "sim";
  auto speed = a.GetDouble("sim-speed");
  if (!speed.ok() || *speed < 0) return Fail("--sim-speed: must be a number >= 0");
  o.sim_speed = *speed;
  if (!a.Get("sim-start").empty()) {
    if (!ccx::ParseLocalDateTime(a.Get("sim-start"), 540, &o.sim_start)) {
      return Fail("--sim-start: expected Tokyo time YYYY-MM-DDTHH:MM:SS, got '" + a.Get("sim-start") + "'");
    }
  } else {
    timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    o.sim_start = static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
  }
  auto fs = ccx::ParseFsyncMode(a.Get("fsync"));
  if (!fs.ok()) return Fail("--fsync: " + std::string(fs.status().message()));
  o.fsync = *fs;
  auto hb = a.GetInt("heartbeat-ms");
  auto idle = a.GetInt("idle-timeout-ms");
  if (!hb.ok() || !idle.ok() || *hb <= 0 || *idle <= 0) return Fail("--heartbeat-ms/--idle-timeout-ms: positive integers");
  o.heartbeat_ms = static_cast<int>(*hb);
  o.idle_timeout_ms = static_cast<int>(*idle);
  if (!a.Get("max-messages-per-second").empty()) {
    auto m = a.GetInt("max-messages-per-second");
    if (!m.ok() || *m < 0 || *m > 100'000'000) return Fail("--max-messages-per-second: 0..100000000");
    o.max_messages_per_second = *m;
  }
  if (!a.GetMulti("md-dest").empty()) o.md_destinations = a.GetMulti("md-dest");
  auto rp = a.GetInt("md-retrans-port");
  auto sp = a.GetInt("snapshot-port");
  auto ni = a.GetInt("noii-interval-ms");
  if (!rp.ok() || *rp < 0 || *rp > 65535) return Fail("--md-retrans-port: must be 0..65535");
  if (!sp.ok() || *sp < 0 || *sp > 65535) return Fail("--snapshot-port: must be 0..65535");
  if (!ni.ok() || *ni < 0 || *ni > 3'600'000) return Fail("--noii-interval-ms: must be 0..3600000");
  o.md_retrans_port = static_cast<uint16_t>(*rp);
  o.snapshot_port = static_cast<uint16_t>(*sp);
  o.noii_interval_ms = static_cast<int>(*ni);
  if (a.Get("engine") == "dedicated") {
    o.engine_mode = ccx::EngineMode::kDedicated;
  } else if (a.Get("engine") != "combining") {
    return Fail("--engine: must be combining or dedicated, got '" + a.Get("engine") + "'");
  }
  ccx::JournalObserverFactory observer;
  if (!a.Has("no-surveillance")) observer = [o] { return LiveSurveillance::Create(o); };
  auto server = ccx::ExchangeServer::Create(o, observer);
  if (!server.ok()) {
    std::fprintf(stderr, "ccx-exchange: cannot start: %s\n", std::string(server.status().message()).c_str());
    return 1;
  }
  return (*server)->Run();
}
