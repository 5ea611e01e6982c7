// ccx-mm against the real exchange (frozen simulated clock moved by `admin clock`): it
// quotes both sides when the phase opens, survives a kill -9 and restart of the exchange
// (reconnecting, replaying its day, keeping exactly one order per side and never reusing a
// token), and takes its quotes down when stopped.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/exchange_process.h"

extern char** environ;

namespace {

using ccx::test::ExchangeProcess;

// Free ports: UDP for the feed, TCP for order entry and snapshot, UDP for retransmission.
std::vector<uint16_t> FreePorts() {
  std::vector<uint16_t> ports;
  for (int type : {SOCK_DGRAM, SOCK_STREAM, SOCK_DGRAM, SOCK_STREAM}) {
    const int fd = ::socket(AF_INET, type, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t n = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
    ports.push_back(ntohs(a.sin_port));
    ::close(fd);
  }
  return ports;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Orders per side in `admin book CAT` text ("B 1622 200: 5x200" lines).
struct SideCount {
  int buys = 0, sells = 0;
};
SideCount CountOrders(const std::string& book) {
  SideCount c;
  std::istringstream in(book);
  for (std::string line; std::getline(in, line);) {
    if (line.size() < 2 || (line[0] != 'B' && line[0] != 'S') || line[1] != ' ') continue;
    const int orders = static_cast<int>(std::count(line.begin(), line.end(), 'x'));
    (line[0] == 'B' ? c.buys : c.sells) += orders;
  }
  return c;
}

// Polls `done` every 50 ms for up to `seconds`.
template <typename F>
bool WaitUntil(F done, double seconds) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

}  // namespace

TEST_CASE("ccx-mm quotes, rides out an exchange restart, and cancels when stopped", "[mm-e2e]") {
  const std::vector<uint16_t> p = FreePorts();
  const std::string feed = std::to_string(p[0]);
  ExchangeProcess ex("2026-11-20T07:59:00", "none",
                     {"--md-dest", "127.0.0.1:" + feed, "--order-port", std::to_string(p[1]),
                      "--md-retrans-port", std::to_string(p[2]), "--snapshot-port",
                      std::to_string(p[3]), "--noii-interval-ms", "0"});
  REQUIRE(ex.port() == p[1]);
  const std::string out = (ex.dir() / "mm.out").string(), err = (ex.dir() / "mm.err").string();
  std::vector<std::string> args = {ccx::test::Bin("ccx-mm"), "--port", std::to_string(p[1]),
                                   "--user", "MM0001", "--password", "mm0001",
                                   "--categories", "JCEE,JCRE", "--md-listen", "127.0.0.1:" + feed,
                                   "--retrans", "127.0.0.1:" + std::to_string(p[2]),
                                   "--reconnect-seconds", "60", "--verbose"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t mm = -1;
  REQUIRE(posix_spawn(&mm, argv[0], &fa, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&fa);
  struct Reaper {
    pid_t pid;
    ~Reaper() {
      if (pid > 0 && ::kill(pid, SIGKILL) == 0) ::waitpid(pid, nullptr, 0);
    }
  } reaper{mm};
  INFO("ccx-mm stdout:\n" << ReadFile(out) << "\nstderr:\n" << ReadFile(err));
  REQUIRE(WaitUntil([&] { return ReadFile(out).find("ready") != std::string::npos; }, 20));

  // Before 08:00 nothing is quoted; at the opening both sides appear in both categories.
  CHECK(CountOrders(ex.Admin("book JCEE")).buys == 0);
  ex.ClockTo("2026-11-20T08:00:05");
  auto quoted = [&](const char* cat) {
    const SideCount c = CountOrders(ex.Admin(std::string("book ") + cat));
    return c.buys == 1 && c.sells == 1;
  };
  REQUIRE(WaitUntil([&] { return quoted("JCEE") && quoted("JCRE"); }, 20));
  const std::string before = ex.Admin("book JCEE");
  CHECK(std::regex_search(before, std::regex("\nB \\d+ 200: ")));
  CHECK(std::regex_search(before, std::regex("\nS \\d+ 200: ")));

  // kill -9 and restart the exchange on the same ports: the bot reconnects, replays its
  // day, adopts its resting orders and sends nothing twice.
  ex.Restart();
  REQUIRE(ex.port() == p[1]);
  REQUIRE(WaitUntil([&] { return ReadFile(err).find("reconnected") != std::string::npos; }, 30));
  ex.ClockTo("2026-11-20T08:10:00");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(quoted("JCEE"));
  CHECK(quoted("JCRE"));
  CHECK(ex.Admin("book JCEE") == before);  // the same orders, untouched

  // Stopped, it cancels its quotes and reports a clean day.
  REQUIRE(::kill(mm, SIGTERM) == 0);
  int status = 0;
  REQUIRE(::waitpid(mm, &status, 0) == mm);
  reaper.pid = -1;
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  const SideCount after = CountOrders(ex.Admin("book JCEE"));
  CHECK(after.buys + after.sells == 0);
  CHECK(CountOrders(ex.Admin("book JCRE")).buys == 0);
  const std::string report = ReadFile(out);
  CHECK(report.find("stopped by a signal") != std::string::npos);
  CHECK(report.find("rejects: none") != std::string::npos);
  CHECK(std::regex_search(report, std::regex("orders 4 \\(rejected 0\\)")));
}
