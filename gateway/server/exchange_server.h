// ccx-exchange: the exchange process, three threads (docs/EXCHANGE.md):
//   gateway  (Boost.Asio) SoupBinTCP sessions: login, heartbeats, replay from any sequence
//            number; the operator's admin socket. Decodes and hands inputs to the engine
//            thread through a preallocated SPSC ring; sends what the engine released.
//   engine   the Sequencer: stamps, journals and applies every input to the ExchangeCore
//            (engine + OUCH + ITCH feed), group-commits, releases the results.
//   market data  (Boost.Asio) the FeedPublisher: MoldUDP64 feed, retransmission, snapshot;
//            the record of everything sent (for ccx-replay --verify).
// Every input that changes state is in the journal before any of its effects leave. On
// start the journal is replayed through the same core, which rebuilds books, every
// outbound stream and the feed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/journal/journal.h"
#include "gateway/server/journal_observer.h"
#include "gateway/server/engine_mode.h"

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
  // Market data (docs/MARKETDATA.md).
  std::vector<std::string> md_destinations = {"239.255.42.1:30001"};  ///< --md-dest
  uint16_t md_retrans_port = 26402;   ///< --md-retrans-port (0 = any free port)
  uint16_t snapshot_port = 26401;     ///< --snapshot-port (0 = any free port)
  int noii_interval_ms = 100;         ///< --noii-interval-ms
  /// Who runs the engine role (gateway/server/sequencer.h): --engine combining|dedicated.
  EngineMode engine_mode = EngineMode::kCombining;
};

class ExchangeServer {
 public:
  /// Loads the configuration, recovers and replays the journal, binds the ports.
  /// `observer` (optional) follows the journal live (e.g. surveillance alerts).
  static absl::StatusOr<std::unique_ptr<ExchangeServer>> Create(const ServerOptions& options,
                                                                JournalObserverFactory observer = nullptr);
  virtual ~ExchangeServer() = default;
  /// Serves until SIGINT/SIGTERM or `admin shutdown`; returns the exit status.
  virtual int Run() = 0;
};

/// Sends one admin command line to the server of `data_dir` and returns its answer.
absl::StatusOr<std::string> SendAdminCommand(const std::string& data_dir, const std::string& line);

}  // namespace ccx
