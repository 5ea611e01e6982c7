// ccx-exchange: the exchange process. Boost.Asio on one thread: SoupBinTCP sessions
// (login, heartbeats, replay from any sequence number), the sequencer and journal, the
// deterministic order-entry core (OrderEntry: engine + OUCH), the day schedule driven by
// the clock, and the operator's admin socket.
//
// Every input that changes state is appended to the journal before its effects are sent:
// a read handler journals and applies the messages it decoded, and a flush posted behind it
// (so that messages of several sessions share one group commit in `batch` mode) syncs the
// journal and then writes the new outbound messages to the sessions. On start the journal
// is replayed through the same core, which rebuilds books and every outbound stream.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "gateway/journal/journal.h"

namespace ccx {

struct ServerOptions {
  std::string config_path;
  std::string data_dir;
  std::string listen = "127.0.0.1";
  uint16_t order_port = 26400;
  bool sim_clock = false;
  int64_t sim_start = 0;  ///< Timestamp; 0 = now
  double sim_speed = 1.0;
  FsyncMode fsync = FsyncMode::kBatch;
  int heartbeat_ms = 1000;      ///< send H after this long without output
  int idle_timeout_ms = 15000;  ///< end a session that sent nothing for this long
  int64_t max_messages_per_second = -1;  ///< overrides [exchange] when >= 0 (0 = unlimited)
};

class ExchangeServer {
 public:
  /// Loads the configuration, recovers and replays the journal, binds the ports.
  static absl::StatusOr<std::unique_ptr<ExchangeServer>> Create(const ServerOptions& options);
  virtual ~ExchangeServer() = default;
  /// Serves until SIGINT/SIGTERM or `admin shutdown`; returns the exit status.
  virtual int Run() = 0;
};

/// Sends one admin command line to the server of `data_dir` and returns its answer.
absl::StatusOr<std::string> SendAdminCommand(const std::string& data_dir, const std::string& line);

}  // namespace ccx
