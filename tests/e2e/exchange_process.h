// Starts the real ccx-exchange on loopback for end-to-end tests: a fresh data directory,
// an ephemeral port read from its log, a frozen simulated clock moved by `admin clock`.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gateway/server/exchange_server.h"
#include "tools/lib/ouch_client.h"

extern char** environ;

namespace ccx::test {

inline std::string Bin(const std::string& name) { return std::string(CCX_BIN_DIR) + "/" + name; }

class ExchangeProcess {
 public:
  explicit ExchangeProcess(std::string sim_start = "2026-11-20T08:59:00",
                           std::string fsync = "none", std::vector<std::string> extra = {}) {
    extra_ = std::move(extra);
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("ccx-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    sim_start_ = std::move(sim_start);
    fsync_ = std::move(fsync);
    Start();
  }
  ~ExchangeProcess() {
    Stop(SIGKILL);
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  void Start() {
    const std::string log = (dir_ / "exchange.log").string();
    std::filesystem::remove(log);
    std::vector<std::string> args = {Bin("ccx-exchange"), "--data-dir", dir_.string(),
                                     "--order-port", "0", "--clock", "sim", "--sim-start",
                                     sim_start_, "--sim-speed", "0", "--fsync", fsync_,
                                     "--md-retrans-port", "0", "--snapshot-port", "0"};
    // Without a test's own destination the feed goes to a port nobody reads.
    bool has_dest = false;
    for (const auto& e : extra_) has_dest |= e == "--md-dest";
    if (!has_dest) args.insert(args.end(), {"--md-dest", "127.0.0.1:9"});
    args.insert(args.end(), extra_.begin(), extra_.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    REQUIRE(posix_spawn(&pid_, argv[0], &fa, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&fa);
    // Wait for "listening on 127.0.0.1:PORT".
    for (int i = 0; i < 200 && (port_ == 0 || snapshot_port_ == 0); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
      std::ifstream in(log);
      std::string line;
      while (std::getline(in, line)) {
        const auto at = line.find("listening on 127.0.0.1:");
        if (at != std::string::npos) port_ = static_cast<uint16_t>(std::stoi(line.substr(at + 23)));
        const auto r = line.find("(retransmission 127.0.0.1:");
        if (r != std::string::npos) retrans_port_ = static_cast<uint16_t>(std::stoi(line.substr(r + 26)));
        const auto sn = line.find("snapshot 127.0.0.1:");
        if (sn != std::string::npos) snapshot_port_ = static_cast<uint16_t>(std::stoi(line.substr(sn + 19)));
      }
    }
    INFO(Log());
    REQUIRE(port_ != 0);
  }

  /// Stops the process with `sig` (SIGKILL: as a crash) and waits for it.
  void Stop(int sig) {
    if (pid_ <= 0) return;
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    port_ = retrans_port_ = snapshot_port_ = 0;
  }
  /// The simulated start of the next Start() (a restart "days later").
  void set_sim_start(std::string t) { sim_start_ = std::move(t); }
  void Restart() {
    Stop(SIGKILL);
    Start();
  }
  /// True while the process runs (a process that exited is reaped here).
  bool Alive() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == 0) return true;
    pid_ = -1;
    port_ = retrans_port_ = snapshot_port_ = 0;
    return false;
  }

  std::string Admin(const std::string& line) {
    auto r = SendAdminCommand(dir_.string(), line);
    REQUIRE(r.ok());
    return *r;
  }
  /// Moves the frozen simulated clock (Tokyo time "YYYY-MM-DDTHH:MM:SS").
  void ClockTo(const std::string& t) { REQUIRE(Admin("clock " + t).rfind("ok", 0) == 0); }

  uint16_t port() const { return port_; }
  uint16_t retrans_port() const { return retrans_port_; }
  uint16_t snapshot_port() const { return snapshot_port_; }
  const std::filesystem::path& dir() const { return dir_; }
  std::string Log() const {
    std::ifstream in(dir_ / "exchange.log");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  std::filesystem::path dir_;
  std::string sim_start_;
  std::string fsync_;
  std::vector<std::string> extra_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  uint16_t retrans_port_ = 0;
  uint16_t snapshot_port_ = 0;
};

/// A logged-in participant.
struct Trader {
  Trader(ExchangeProcess& ex, const std::string& user, const std::string& password, uint64_t seq = 0) {
    REQUIRE(client.Connect("127.0.0.1", ex.port()).ok());
    auto r = client.Login(user, password, "", seq);
    INFO((r.ok() ? std::string("ok") : std::string(r.status().message())));
    REQUIRE(r.ok());
  }
  /// The next sequenced OUCH message (skipping heartbeats), decoded; fails after 5 s.
  ouch::Outbound Next(uint64_t* seq = nullptr) {
    for (;;) {
      auto r = client.Receive(5000);
      REQUIRE(r.ok());
      REQUIRE(r->has_value());
      if ((*r)->type != 'S') continue;
      ouch::Outbound m;
      REQUIRE(ouch::DecodeOutbound((*r)->payload, &m) == ouch::DecodeStatus::kOk);
      if (seq) *seq = (*r)->sequence;
      return m;
    }
  }
  template <typename T>
  T Expect() {
    auto m = Next();
    INFO("got message index " << m.index());
    REQUIRE(std::holds_alternative<T>(m));
    return std::get<T>(m);
  }
  /// Sends an order and returns the reject reason, or 0 when accepted.
  char Enter(const ouch::EnterOrder& o) {
    REQUIRE(client.Send(o).ok());
    auto m = Next();
    if (auto* a = std::get_if<ouch::Accepted>(&m)) return a->order_state == 'L' ? 0 : '?';
    REQUIRE(std::holds_alternative<ouch::Rejected>(m));
    return std::get<ouch::Rejected>(m).reason;
  }
  OuchClient client;
};

}  // namespace ccx::test
