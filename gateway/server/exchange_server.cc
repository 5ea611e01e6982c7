#include "gateway/server/exchange_server.h"

#include <pthread.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <atomic>
#include <functional>
#include <set>
#include <thread>
#include <vector>

#include <utility>

#include <boost/asio.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "fmt/format.h"
#include "absl/strings/str_join.h"
#include "gateway/core/exchange_core.h"
#include "gateway/server/clock.h"
#include "gateway/server/sequencer.h"
#include "gateway/server/session.h"
#include "gateway/ring/spsc_ring.h"
#include "gateway/server/ledger_writer.h"
#include "gateway/server/output_recorder.h"
#include "settlement/ledger_command.h"
#include "marketdata/book/engine_book_text.h"
#include "marketdata/publisher/feed_publisher.h"
#include "marketdata/publisher/snapshot_server.h"
#include "marketdata/report/daily_report.h"

namespace ccx {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using local = asio::local::stream_protocol;

void Log(const std::string& line) {
  std::fprintf(stderr, "ccx-exchange: %s\n", line.c_str());
  std::fflush(stderr);
}

std::string AdminSocketPath(const std::string& data_dir) { return data_dir + "/admin.sock"; }

// One journal record on its way to the observer thread.
struct ObservedRecord {
  uint16_t type = 0;
  uint16_t size = 0;
  uint64_t sequence = 0;
  Timestamp time = 0;
  uint8_t payload[256] = {};
};

class Server final : public ExchangeServer, public SessionHost {
 public:
  Server(const ServerOptions& o, JournalObserverFactory observer)
      : opt_(o), acceptor_(io_), admin_(io_), timer_(io_), signals_(io_, SIGINT, SIGTERM),
        verify_pool_(1), observer_factory_(std::move(observer)) {}

  ~Server() override {
    if (sequencer_) sequencer_->Stop();
    StopObserver();
    if (ledger_) ledger_->Stop();
    md_io_.stop();
    if (md_thread_.joinable()) md_thread_.join();
    bg_io_.stop();
    if (bg_thread_.joinable()) bg_thread_.join();
  }

  absl::Status Init() {
    auto market = LoadMarketConfig(opt_.config_path);
    if (!market.ok()) return market.status();
    auto reg = LoadParticipants(opt_.config_path, *market);
    if (!reg.ok()) return reg.status();
    if (opt_.max_messages_per_second >= 0) {
      reg->gateway.max_messages_per_second = static_cast<uint32_t>(opt_.max_messages_per_second);
    }
    if (reg->participants.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(opt_.config_path, ": no [[participant]] tables: nobody could log in"));
    }
    if (opt_.noii_interval_ms < 0) return absl::InvalidArgumentError("--noii-interval-ms must be >= 0");
    auto sconf = settlement::LoadSettlementConfig(opt_.config_path, *market, *reg);
    if (!sconf.ok()) return sconf.status();
    CoreOptions copt;
    copt.noii_interval_ns = int64_t{opt_.noii_interval_ms} * 1'000'000;
    copt.settlement = *sconf;
    core_ = std::make_unique<ExchangeCore>(*market, *reg, copt);
    std::error_code ec;
    std::filesystem::create_directories(opt_.data_dir + "/journal", ec);
    if (ec) return absl::InternalError(absl::StrCat(opt_.data_dir, ": ", ec.message()));
    // The SQLite mirror of the registry; the journal replay below brings it up to date.
    settlement::StatementNames names;
    names.usernames = settlement::Usernames(*reg);
    std::vector<std::string> programs;
    for (const auto& c : market->categories) {
      names.categories.push_back(c.code);
      programs.push_back(c.program);
    }
    names.utc_offset_minutes = market->utc_offset_minutes;
    auto db = settlement::LedgerDb::Open(opt_.data_dir, names, programs);
    if (!db.ok()) return db.status();
    ledger_ = std::make_unique<LedgerWriter>(std::move(*db), [](const std::string& m) { Log(m); });
    auto mirror = [this](std::vector<settlement::ChangeBatch> batches) {
      std::erase_if(batches, [&](const settlement::ChangeBatch& b) {
        return b.journal_seq <= ledger_->applied_seq_at_open();
      });
      ledger_->Enqueue(std::move(batches));
    };
    if (observer_factory_) {
      auto obs = observer_factory_();
      if (!obs.ok()) return obs.status();
      observer_ = std::move(*obs);
    }
    const std::string path = DefaultJournalPath(opt_.data_dir);
    // Replay the journal through the same deterministic core (and the observer's replica).
    uint64_t replayed = 0;
    auto report = RecoverJournal(path, [&](const JournalRecord& r) -> absl::Status {
      if (!core_->Apply(static_cast<InputKind>(r.type), r.timestamp_ns,
                        {r.payload.data(), r.payload.size()}, r.sequence)) {
        return absl::DataLossError(absl::StrCat("journal ", path, ": record ", r.sequence,
                                                " (type ", r.type, ") cannot be applied"));
      }
      if (++replayed % 4096 == 0) mirror(core_->registry().TakeChanges());
      if (observer_) ObserverError(observer_->OnRecord(r));
      return absl::OkStatus();
    });
    if (!report.ok()) return report.status();
    if (ledger_->applied_seq_at_open() > report->last_sequence) {
      // The ledger mirrors a longer journal than this one: every batch would be skipped.
      return absl::FailedPreconditionError(absl::StrCat(
          settlement::LedgerPath(opt_.data_dir), " has applied journal record ",
          ledger_->applied_seq_at_open(), " but the journal ", path, " ends at record ",
          report->last_sequence, ": the ledger belongs to another journal (restore the matching "
          "journal, or move the ledger away to rebuild it from this journal)"));
    }
    mirror(core_->registry().TakeChanges());
    if (report->cut) Log("journal tail cut: " + report->cut->ToString());
    if (replayed > 0) {
      Log(fmt::format("replayed {} journal records (last sequence {}, trading date {})",
                      replayed, report->last_sequence, core_->order_entry().SessionName()));
    }
    auto writer = JournalWriter::Open(path, opt_.fsync, report->next_sequence);
    if (!writer.ok()) return writer.status();
    journal_ = std::make_unique<JournalWriter>(std::move(*writer));
    ExchangeClock clock = opt_.sim_clock ? ExchangeClock::Sim(opt_.sim_start, opt_.sim_speed)
                                         : ExchangeClock::Wall();
    // A simulated clock never runs behind the journal.
    if (clock.simulated() && core_->order_entry().started()) clock.JumpTo(core_->order_entry().now());

    PublisherOptions popt;
    popt.destinations = opt_.md_destinations;
    popt.listen = opt_.listen;
    popt.retrans_port = opt_.md_retrans_port;
    if (auto feed = core_->feed().day()) {
      popt.resume_session = feed->session;
      popt.resume_after = feed->log.size();
    }
    sequencer_ = std::make_unique<Sequencer>(
        core_.get(), journal_.get(), clock,
        Sequencer::Callbacks{[this](bool by_gateway) { OnReleased(by_gateway); },
                             [this](const std::string& why) {
                               asio::post(io_, [this, why] { Fatal(why); });
                             },
                             mirror,
                             [this](uint16_t type, uint64_t seq, Timestamp t, std::span<const uint8_t> p) {
                               Observe(type, seq, t, p);
                             }},
        opt_.engine_mode);
    auto pub = FeedPublisher::Create(
        md_io_, popt,
        [this] {
          const PublishedDays d = sequencer_->published();
          return std::make_pair(d.feed, d.previous_feed);
        });
    if (!pub.ok()) return pub.status();
    publisher_ = std::move(*pub);
    auto snap = SnapshotServer::Create(bg_io_, opt_.listen, opt_.snapshot_port, [this] { return Snapshot(); });
    if (!snap.ok()) return snap.status();
    snapshot_ = std::move(*snap);
    recorder_ = std::make_unique<OutputRecorder>(opt_.data_dir + "/output");

    boost::system::error_code bec;
    const tcp::endpoint ep(asio::ip::make_address(opt_.listen, bec), opt_.order_port);
    if (bec) return absl::InvalidArgumentError(absl::StrCat("--listen ", opt_.listen, ": ", bec.message()));
    acceptor_.open(ep.protocol(), bec);
    acceptor_.set_option(tcp::acceptor::reuse_address(true), bec);
    acceptor_.bind(ep, bec);
    if (bec) {
      return absl::UnavailableError(absl::StrCat("cannot listen on ", opt_.listen, ":",
                                                 opt_.order_port, ": ", bec.message()));
    }
    acceptor_.listen(asio::socket_base::max_listen_connections, bec);
    const std::string sock = AdminSocketPath(opt_.data_dir);
    ::unlink(sock.c_str());
    admin_.open(local(), bec);
    admin_.bind(local::endpoint(sock), bec);
    if (bec) return absl::UnavailableError(absl::StrCat("admin socket ", sock, ": ", bec.message()));
    admin_.listen(16, bec);
    // Settings that shape the outputs go into the journal, so that a replay rebuilds the
    // same feed without being told the options of each run.
    const CoreSettings replayed_settings = core_->settings();
    CoreSettings settings = replayed_settings;
    settings.noii_interval_ns = copt.noii_interval_ns;
    settings.max_messages_per_second = reg->gateway.max_messages_per_second;
    if (report->records == 0 || settings.noii_interval_ns != replayed_settings.noii_interval_ns ||
        settings.max_messages_per_second != replayed_settings.max_messages_per_second) {
      sequencer_->Submit(InputKind::kSettings, {reinterpret_cast<const uint8_t*>(&settings), sizeof settings});
    }
    // A new exchange: the configured deposits are its first ledger inputs. (The engine
    // thread is not running yet, so this thread may drive the sequencer.)
    if (report->records == 0) {
      for (const settlement::LedgerOp& op : sconf->deposits) {
        sequencer_->Submit(InputKind::kLedger, {reinterpret_cast<const uint8_t*>(&op), sizeof op});
        if (!core_->last_ledger_status().ok()) {
          return absl::InvalidArgumentError(absl::StrCat(opt_.config_path, ": deposit refused: ",
                                                         core_->last_ledger_status().message()));
        }
      }
      if (!sconf->deposits.empty()) Log(fmt::format("deposited {} configured holdings", sconf->deposits.size()));
    }
    // Start the trading day before the first connection.
    sequencer_->Tick();
    sequencer_->Flush();
    days_ = sequencer_->published();
    return absl::OkStatus();
  }

  int Run() override {
    Log(fmt::format("listening on {}:{} (clock {}, fsync {}, data {})", opt_.listen,
                    acceptor_.local_endpoint().port(), sequencer_->clock().simulated() ? "sim" : "wall",
                    FsyncModeName(opt_.fsync), opt_.data_dir));
    Log(fmt::format("market data to {} (retransmission {}:{}, snapshot {}:{})",
                    absl::StrJoin(opt_.md_destinations, ","), opt_.listen, publisher_->retrans_port(),
                    opt_.listen, snapshot_->port()));
    Accept();
    AcceptAdmin();
    ArmTimer();
    signals_.async_wait([this](auto, int sig) {
      Log(fmt::format("signal {}: stopping", sig));
      Stop();
    });
    publisher_->Start();
    snapshot_->Start();
    asio::post(bg_io_, [this] {
      MarketDataCatchUp();
      ArmMarketDataTimer();
    });
    md_thread_ = std::thread([this] {
      auto guard = asio::make_work_guard(md_io_);
      md_io_.run();
    });
    bg_thread_ = std::thread([this] {
      // Reports, snapshots and the output record are background work (SCHED_IDLE): they
      // follow the released logs whenever the order path leaves a core idle.
      sched_param sp{};
      pthread_setschedparam(pthread_self(), SCHED_IDLE, &sp);
      auto guard = asio::make_work_guard(bg_io_);
      bg_io_.run();
    });
    StartObserver();
    sequencer_->Start();
    io_.run();
    verify_pool_.join();
    return exit_status_;
  }

  // --- SessionHost ---
  void OnPacket(SoupSession& s, const soup::Packet& p) override;
  void OnClosed(SoupSession& s) override {
    if (s.participant >= 0 && live_[s.participant] == &s) live_[s.participant] = nullptr;
    auto self = s.shared_from_this();
    // Keep the object alive until the handler that called us returns.
    asio::post(io_, [self] {});
    sessions_.erase(self);
  }
  // After a read's messages went into the ring: in combining mode run the engine role here
  // if it is free (no thread hand-off), and commit once the other sessions that are ready
  // have been read too (one group commit for all of them, as the old single thread did).
  void OnReadDone() override {
    if (sequencer_->mode() != EngineMode::kCombining || !sequencer_->RunHere() || flush_posted_) return;
    flush_posted_ = true;
    asio::post(io_, [this] {
      flush_posted_ = false;
      if (sequencer_->FlushHere()) {
        DeliverAll();           // the participants' answers first,
        publisher_->SendNow();  // then the market data, without waking another thread
      }
    });
  }

 private:
  void Stop() {
    if (stopping_) return;
    stopping_ = true;
    sequencer_->Stop();  // finishes its batch: journal synced, results released
    DeliverAll();
    ledger_->Stop();     // everything flushed reaches the SQLite mirror
    StopObserver();
    if (journal_) (void)journal_->Close();
    asio::post(md_io_, [this] {
      publisher_->Stop();
      md_io_.stop();
    });
    if (md_thread_.joinable()) md_thread_.join();
    asio::post(bg_io_, [this] {
      MarketDataCatchUp();
      md_timer_.cancel();
      snapshot_->Stop();
      bg_io_.stop();
    });
    if (bg_thread_.joinable()) bg_thread_.join();
    boost::system::error_code ec;
    acceptor_.close(ec);
    admin_.close(ec);
    timer_.cancel();
    for (auto& s : std::vector<std::shared_ptr<SoupSession>>(sessions_.begin(), sessions_.end())) {
      s->Close();
    }
    ::unlink(AdminSocketPath(opt_.data_dir).c_str());
    io_.stop();
  }

  void Fatal(const std::string& why) {
    Log("fatal: " + why + " — refusing to acknowledge anything more");
    exit_status_ = 1;
    Stop();
  }

  void Accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket sock) {
      if (ec) {
        if (!stopping_) Accept();
        return;
      }
      auto s = std::make_shared<SoupSession>(this, std::move(sock), ++next_session_id_);
      sessions_.insert(s);
      s->Start();
      Accept();
    });
  }

  // Engine role: results were released. Wake the gateway (unless it ran the batch itself
  // and sends the results right after) and the publisher (coalesced).
  void OnReleased(bool by_gateway) {
    if (by_gateway) return;  // the gateway sends both itself (OnReadDone)
    if (!deliver_posted_.exchange(true)) {
      asio::post(io_, [this] {
        deliver_posted_.store(false);
        DeliverAll();
      });
    }
    if (publisher_) publisher_->Notify();
  }

  // --- the journal observer (live surveillance) ---
  // Engine thread: hands a journaled record to the observer thread; never blocks.
  void Observe(uint16_t type, uint64_t seq, Timestamp t, std::span<const uint8_t> payload) {
    if (!observer_ || observer_lost_.load(std::memory_order_relaxed)) return;
    if (!observer_thread_.joinable()) {  // before Run(): the first start's records
      JournalRecord r{seq, t, type, {payload.data(), payload.size()}};
      ObserverError(observer_->OnRecord(r));
      return;
    }
    ObservedRecord rec;
    rec.type = type;
    rec.sequence = seq;
    rec.time = t;
    rec.size = static_cast<uint16_t>(std::min(payload.size(), sizeof rec.payload));
    std::memcpy(rec.payload, payload.data(), rec.size);
    if (!observed_.TryPush(rec)) {
      observer_lost_.store(true);
      Log("live surveillance fell behind (its ring is full) and stops; the journal has "
          "everything: run ccx-replay --alerts");
    }
  }
  void StartObserver() {
    if (!observer_) return;
    observer_thread_ = std::thread([this] {
      // Background work: it runs when the order path leaves a core idle (SCHED_IDLE), so
      // its bursts never delay an acknowledgement; the ring absorbs the wait.
      sched_param sp{};
      pthread_setschedparam(pthread_self(), SCHED_IDLE, &sp);
      std::vector<ObservedRecord> batch(1024);
      for (;;) {
        const size_t n = observed_.PopBatch(batch.data(), batch.size());
        for (size_t i = 0; i < n; ++i) {
          const ObservedRecord& o = batch[i];
          JournalRecord r{o.sequence, o.time, o.type, {o.payload, o.size}};
          ObserverError(observer_->OnRecord(r));
        }
        if (n > 0) continue;
        if (observer_stop_.load()) break;
        // Polled, not woken: the engine thread never pays for a wake-up.
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    });
  }
  void StopObserver() {
    if (!observer_thread_.joinable()) return;
    observer_stop_.store(true);
    observer_thread_.join();
  }
  void ObserverError(const absl::Status& st) {
    if (!st.ok() && !observer_error_logged_.exchange(true)) {
      Log("live surveillance: " + std::string(st.message()));
    }
  }

  // Market-data thread: the report/snapshot book and the output record follow the released
  // messages every few milliseconds (in batches, so that they cost the busy path nothing;
  // a snapshot always says exactly which feed message it covers up to).
  void ArmMarketDataTimer() {
    md_timer_.expires_after(std::chrono::milliseconds(10));
    md_timer_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      // The output record grows once a second: its file's metadata then rarely rides along
      // with the journal's fdatasync (ext4 commits all pending metadata together).
      MarketDataCatchUp(++md_ticks_ % 100 == 0);
      ArmMarketDataTimer();
    });
  }

  // Market-data thread: the day's feed into the daily report (whose book also serves the
  // snapshots), the report written after the day's last auction, and the output record.
  void MarketDataCatchUp(bool record = true) {
    const PublishedDays d = sequencer_->published();
    if (md_day_ && md_day_ != d.feed) {
      if (md_day_ == d.previous_feed) ApplyFeed();  // the rest of the day that ended
      md_day_.reset();
    }
    if (!md_day_ && d.feed) {
      md_day_ = d.feed;
      md_applied_ = 0;
      report_ = std::make_unique<md::DailyReport>(core_->engine().config());
      report_->SetSession(md_day_->session);
    }
    if (md_day_) ApplyFeed();
    if (!record) return;
    if (d.previous_streams && recorder_->session() == d.previous_streams->session) {
      (void)recorder_->CatchUp(d.previous_streams.get(), d.previous_feed.get());
    }
    if (auto st = recorder_->CatchUp(d.streams.get(), d.feed.get()); !st.ok() && !recorder_failed_) {
      recorder_failed_ = true;
      Log("output record stopped: " + std::string(st.message()));
    }
  }

  void ApplyFeed() {
    const uint64_t end = md_day_->log.released();
    for (; md_applied_ < end; ++md_applied_) {
      const auto msg = md_day_->log.message(md_applied_ + 1);
      if (auto st = report_->ApplyBytes(msg); !st.ok()) {
        Log(fmt::format("market data {} #{}: {}", md_day_->session, md_applied_ + 1, std::string(st.message())));
      }
      if (msg.size() == itch::SystemEvent::kSize && msg[0] == 'S' && msg[11] == 'M') {
        // End of market hours: the day's auctions are over.
        const std::string dir = opt_.data_dir + "/reports";
        WriteMarketMakerReport(dir);
        if (auto st = report_->Write(dir); !st.ok()) {
          Log("daily report: " + std::string(st.message()));
        } else {
          Log(fmt::format("daily report {}/{}.html (.json, .csv)", dir, report_->date()));
        }
      }
    }
  }

  // The market makers' compliance of the day (mm-DATE.json, and a section of the daily page).
  void WriteMarketMakerReport(const std::string& dir) {
    const auto mm = sequencer_->published().market_makers;
    if (!mm || !core_->market_makers().any_makers() || !md_day_ || mm->day != md_day_->day) return;
    const MarketConfig& cfg = core_->engine().config();
    const auto users = settlement::Usernames(core_->order_entry().participants());
    report_->SetExtraHtml(mm->Html(cfg, users));
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    const std::string path = fmt::format("{}/mm-{:04d}-{:02d}-{:02d}.json", dir, mm->day.year(),
                                         mm->day.month(), mm->day.day());
    std::ofstream out(path);
    out << mm->Json(cfg, users);
    if (!out) Log("market-maker report: cannot write " + path);
  }

  SnapshotData Snapshot() {
    SnapshotData s;
    if (!md_day_ || !report_) return s;
    s.session = md_day_->session;
    s.next_sequence = md_applied_ + 1;
    s.messages = report_->book().Snapshot();
    return s;
  }

  void ArmTimer() {
    timer_.expires_after(std::chrono::milliseconds(100));
    timer_.async_wait([this](boost::system::error_code ec) {
      if (ec || stopping_) return;
      Heartbeats();
      ArmTimer();
    });
  }

  void Heartbeats() {
    const auto now = SoupSession::Clock::now();
    for (auto& s : std::vector<std::shared_ptr<SoupSession>>(sessions_.begin(), sessions_.end())) {
      if (!s->open()) continue;
      if (now - s->last_rx > std::chrono::milliseconds(opt_.idle_timeout_ms)) {
        s->CloseWithDebug(s->participant < 0 ? "no login within the timeout"
                                             : "session idle: nothing received for too long");
        continue;
      }
      if (s->participant >= 0 && now - s->last_tx >= std::chrono::milliseconds(opt_.heartbeat_ms)) {
        uint8_t h[soup::kHeaderSize];
        s->Send(h, soup::EncodeServerHeartbeat(h));
      }
    }
  }

  // Gateway thread: sends every live session what its stream released; at a day change,
  // sessions of the old day get the rest of it and an end of session.
  void DeliverAll() {
    const PublishedDays d = sequencer_->published();
    const bool rolled = d.streams != days_.streams;
    days_ = d;
    for (size_t p = 0; p < live_.size(); ++p) {
      SoupSession* s = live_[p];
      if (s == nullptr || !s->day) continue;
      DeliverFrom(*s, *s->day->streams[p]);
      if (rolled && s->day != days_.streams) s->EndOfSession();
    }
  }

  void DeliverFrom(SoupSession& s, const MessageLog& stream) {
    uint8_t buf[soup::kHeaderSize + ouch::kMaxMessageSize];
    const uint64_t end = stream.released();
    while (s.next_seq <= end) {
      const auto msg = stream.message(s.next_seq);
      s.Send(buf, soup::EncodeSequencedData(msg, buf));
      ++s.next_seq;
    }
  }

  void Login(SoupSession& s, const soup::Packet& p);
  void FinishLogin(const std::shared_ptr<SoupSession>& s, const Participant* who, bool ok,
                   const std::string& session, uint64_t seq);
  void AcceptAdmin();
  /// Runs an operator command; `reply` is called on the gateway thread with the answer.
  void Admin(const std::string& line, std::function<void(std::string)> reply);

  ServerOptions opt_;
  asio::io_context io_;
  asio::io_context md_io_;
  std::thread md_thread_;
  tcp::acceptor acceptor_;
  local::acceptor admin_;
  asio::steady_timer timer_;
  asio::signal_set signals_;
  asio::thread_pool verify_pool_;  // password hashing off the I/O thread
  std::unique_ptr<ExchangeCore> core_;        // owned by the engine thread once running
  std::unique_ptr<JournalWriter> journal_;    // idem
  JournalObserverFactory observer_factory_;
  std::unique_ptr<JournalObserver> observer_;  // its own thread once running
  SpscRing<ObservedRecord> observed_{1 << 16};
  std::thread observer_thread_;
  std::atomic<bool> observer_stop_{false};
  std::atomic<bool> observer_lost_{false};
  std::atomic<bool> observer_error_logged_{false};
  std::unique_ptr<LedgerWriter> ledger_;     // the SQLite mirror's thread
  std::unique_ptr<Sequencer> sequencer_;
  std::unique_ptr<FeedPublisher> publisher_;  // runs on md_io_
  // The background thread (bg_io_, SCHED_IDLE): daily report, snapshots, output record.
  asio::io_context bg_io_;
  std::thread bg_thread_;
  std::unique_ptr<SnapshotServer> snapshot_;  // bg_io_
  std::unique_ptr<OutputRecorder> recorder_;  // bg_io_
  std::shared_ptr<const FeedDay> md_day_;     // bg_io_: the day the report follows
  uint64_t md_applied_ = 0;                   // bg_io_: messages of md_day_ in report_
  std::unique_ptr<md::DailyReport> report_;   // bg_io_
  asio::steady_timer md_timer_{bg_io_};       // bg_io_
  uint64_t md_ticks_ = 0;                     // bg_io_
  bool recorder_failed_ = false;
  PublishedDays days_;                        // the gateway thread's view
  std::set<std::shared_ptr<SoupSession>> sessions_;
  std::vector<SoupSession*> live_;
  std::atomic<bool> deliver_posted_{false};
  bool flush_posted_ = false;  // gateway thread: a group commit is queued
  uint64_t next_session_id_ = 0;
  bool stopping_ = false;
  int exit_status_ = 0;
};

void Server::OnPacket(SoupSession& s, const soup::Packet& p) {
  using soup::PacketType;
  if (s.participant < 0) {
    switch (p.type) {
      case PacketType::kLoginRequest:
        if (s.login_pending) return s.CloseWithDebug("login already in progress");
        return Login(s, p);
      case PacketType::kClientHeartbeat: return;
      case PacketType::kLogoutRequest: return s.Close();
      default: return s.CloseWithDebug("data before login: log in with an L packet first");
    }
  }
  switch (p.type) {
    case PacketType::kClientHeartbeat: return;
    case PacketType::kLogoutRequest: return s.Close();
    case PacketType::kLoginRequest: return s.CloseWithDebug("already logged in");
    case PacketType::kUnsequencedData: {
      if (ouch::CheckInbound(p.payload) != ouch::DecodeStatus::kOk) {
        return s.CloseWithDebug(ouch::InboundErrorText(p.payload));
      }
      // A full ring means the engine thread is behind: wait for room (never drop input).
      while (!sequencer_->SubmitOuch(static_cast<uint32_t>(s.participant), p.payload)) {
        std::this_thread::yield();
      }
      return;
    }
    default: return s.CloseWithDebug("unexpected packet type from a client");
  }
}

void Server::Login(SoupSession& s, const soup::Packet& p) {
  soup::LoginRequest req;
  if (soup::DecodeLoginRequest(p.payload, &req) != soup::LoginStatus::kOk) {
    return s.CloseWithDebug("malformed login request (sequence number must be numeric)");
  }
  const Participant* who = core_->order_entry().participants().FindByUsername(req.username);
  s.login_pending = true;
  auto self = s.shared_from_this();
  // Hash verification is slow by design: do it off the I/O thread.
  asio::post(verify_pool_, [this, self, who, password = std::string(req.password),
                            session = std::string(req.session), seq = req.sequence] {
    const bool ok = who != nullptr && VerifyPassword(who->password_hash, password);
    asio::post(io_, [=, this] { FinishLogin(self, who, ok, session, seq); });
  });
}

void Server::FinishLogin(const std::shared_ptr<SoupSession>& s, const Participant* who, bool ok,
                         const std::string& session, uint64_t seq) {
  s->login_pending = false;
  if (!s->open()) return;
  uint8_t buf[64];
  if (!ok) {
    s->Send(buf, soup::EncodeLoginRejected(soup::LoginRejectReason::kNotAuthorized, buf));
    return s->Close();
  }
  const size_t n = core_->order_entry().participants().participants.size();
  if (live_.size() < n) live_.resize(n, nullptr);
  DeliverAll();  // the freshest view of the day
  const std::string name = days_.streams ? days_.streams->session : "";
  if ((!session.empty() && session != name) || live_[who->id] != nullptr || !days_.streams) {
    s->Send(buf, soup::EncodeLoginRejected(soup::LoginRejectReason::kSessionNotAvailable, buf));
    return s->Close();
  }
  s->participant = static_cast<int>(who->id);
  s->day = days_.streams;
  live_[who->id] = s.get();
  const uint64_t have = s->day->streams[who->id]->released();
  s->next_seq = seq == 0 || seq > have + 1 ? have + 1 : seq;
  s->Send(buf, soup::EncodeLoginAccepted(soup::LoginAccepted{name, s->next_seq}, buf));
  Log(fmt::format("login {} from {} (session {}, next sequence {})", who->username, s->peer(),
                  name, s->next_seq));
  DeliverFrom(*s, *s->day->streams[who->id]);
}

void Server::AcceptAdmin() {
  admin_.async_accept([this](boost::system::error_code ec, local::socket sock) {
    if (ec) {
      if (!stopping_) AcceptAdmin();
      return;
    }
    auto conn = std::make_shared<local::socket>(std::move(sock));
    auto buf = std::make_shared<asio::streambuf>(4096);
    asio::async_read_until(*conn, *buf, '\n', [this, conn, buf](boost::system::error_code e, size_t) {
      if (e) return;
      std::istream in(buf.get());
      std::string line;
      std::getline(in, line);
      Admin(line, [this, conn, line](std::string answer) {
        auto reply = std::make_shared<std::string>(std::move(answer) + "\n");
        asio::async_write(*conn, asio::buffer(*reply), [this, conn, reply, line](auto, size_t) {
          if (line == "shutdown") Stop();
        });
      });
    });
    AcceptAdmin();
  });
}

// Operator commands: journaled like everything else (except the read-only ones). They run
// on the engine thread (a task through the ring); the answer comes back to this thread.
void Server::Admin(const std::string& line, std::function<void(std::string)> reply) {
  auto answer = [this, reply](std::string text) {
    asio::post(io_, [reply, text = std::move(text)] { reply(text); });
  };
  std::vector<std::string> w = absl::StrSplit(line, ' ', absl::SkipEmpty());
  if (w.empty()) return reply("error: empty command");
  if (stopping_) return reply("error: the exchange is stopping");
  const MarketConfig& cfg = core_->engine().config();
  auto category = [&](const std::string& code, CategoryId* out) {
    if (code == "all" || code == "market") {
      *out = kNoCategory;
      return true;
    }
    const int i = cfg.FindCategory(code);
    if (i < 0) return false;
    *out = static_cast<CategoryId>(i);
    return true;
  };
  Command c;
  const std::string& verb = w[0];
  if (verb == "status") {
    return sequencer_->Post([this, answer](Sequencer& sq) {
      const Engine& e = sq.core().engine();
      const MarketConfig& mc = e.config();
      const auto feed = sq.core().feed().day();
      std::string out = fmt::format(
          "ok session {} time {} journal-next {} feed-messages {} ring-full {}",
          sq.core().order_entry().SessionName(),
          FormatLocalDateTime(sq.core().order_entry().now(), mc.utc_offset_minutes),
          sq.journal().next_sequence(), feed ? feed->log.size() : 0, sq.ring_full_count());
      for (size_t i = 0; i < e.num_categories(); ++i) {
        const auto id = static_cast<CategoryId>(i);
        out += fmt::format(" | {} phase={} halted={} base={} orders={}", mc.categories[i].code,
                           static_cast<char>(e.phase(id)), e.halted(id) ? 1 : 0, e.base_price(id),
                           e.book(id).order_count());
      }
      answer(out);
    });
  }
  if (verb == "book" && w.size() == 2) {
    CategoryId id;
    if (!category(w[1], &id) || id == kNoCategory) return reply("error: unknown category " + w[1]);
    return sequencer_->Post([answer, id](Sequencer& sq) {
      const Engine& e = sq.core().engine();
      answer("ok\n" + md::EngineBookText(e.book(id), e.config().categories[id].code));
    });
  }
  if (verb == "ledger") {
    auto op = settlement::ParseLedgerCommand(w, cfg, core_->order_entry().participants());
    if (!op.ok()) return reply("error: " + std::string(op.status().message()));
    return sequencer_->Post([answer, op = *op](Sequencer& sq) {
      // A refused request changes nothing and is not journaled.
      if (auto st = sq.core().registry().Validate(op); !st.ok()) {
        return answer("error: " + std::string(st.message()));
      }
      if (!sq.Submit(InputKind::kLedger, {reinterpret_cast<const uint8_t*>(&op), sizeof op})) {
        return answer("error: journal failure");
      }
      const absl::Status st = sq.core().last_ledger_status();
      sq.Flush();
      answer(st.ok() ? "ok " + std::string(settlement::ToString(op.type))
                     : "error: " + std::string(st.message()));
    });
  }
  if ((verb == "ledger-holdings" || verb == "ledger-cash") && w.size() == 2) {
    const Participant* p = core_->order_entry().participants().FindByUsername(w[1]);
    if (p == nullptr) return reply("error: unknown participant " + w[1]);
    return sequencer_->Post([answer, id = p->id, holdings = verb == "ledger-holdings"](Sequencer& sq) {
      const auto& r = sq.core().registry();
      answer(holdings ? r.HoldingsJson(id) : r.CashJson(id));
    });
  }
  if (verb == "shutdown") return reply("ok shutting down");
  if (verb == "clock") {
    Timestamp t;
    if (!opt_.sim_clock) return reply("error: clock: the exchange runs on the wall clock");
    if (w.size() != 2 || !ParseLocalDateTime(w[1], cfg.utc_offset_minutes, &t)) {
      return reply("error: usage: clock YYYY-MM-DDTHH:MM:SS");
    }
    return sequencer_->Post([answer, t, offset = cfg.utc_offset_minutes](Sequencer& sq) {
      sq.clock().JumpTo(t);
      sq.Tick();
      sq.Flush();
      answer("ok " + FormatLocalDateTime(sq.clock().Now(), offset));
    });
  }
  if ((verb == "halt" || verb == "resume") && w.size() == 2) {
    if (!category(w[1], &c.category)) return reply("error: unknown category " + w[1]);
    c.type = verb == "halt" ? CommandType::kHalt : CommandType::kResume;
  } else if (verb == "reference-price" && w.size() == 3) {
    if (!category(w[1], &c.category) || c.category == kNoCategory) {
      return reply("error: unknown category " + w[1]);
    }
    int64_t price = 0;
    if (!absl::SimpleAtoi(w[2], &price) || price <= 0 ||
        price % cfg.categories[c.category].tick != 0 || price > 429496) {
      return reply("error: price must be a positive multiple of the tick (yen)");
    }
    c.type = CommandType::kSetReferencePrice;
    c.price = static_cast<Price>(price);
  } else if ((verb == "suspend" || verb == "reinstate") && w.size() == 2) {
    const Participant* p = core_->order_entry().participants().FindByUsername(w[1]);
    if (p == nullptr) return reply("error: unknown participant " + w[1]);
    c.type = verb == "suspend" ? CommandType::kSuspendParticipant
                               : CommandType::kReinstateParticipant;
    c.participant = p->id;
  } else {
    return reply("error: unknown command '" + line +
                 "' (status, book CAT, halt CAT|all, resume CAT|all, reference-price CAT YEN, "
                 "suspend USER, reinstate USER, ledger ..., ledger-holdings USER, ledger-cash USER, "
                 "clock TIME, shutdown)");
  }
  sequencer_->Post([answer, c, line](Sequencer& sq) {
    if (!sq.Submit(InputKind::kAdmin, {reinterpret_cast<const uint8_t*>(&c), sizeof c})) {
      return answer("error: journal failure");
    }
    sq.Flush();
    answer("ok " + line);
  });
}

}  // namespace

absl::StatusOr<std::unique_ptr<ExchangeServer>> ExchangeServer::Create(const ServerOptions& o,
                                                                       JournalObserverFactory observer) {
  auto s = std::make_unique<Server>(o, std::move(observer));
  if (auto st = s->Init(); !st.ok()) return st;
  return std::unique_ptr<ExchangeServer>(std::move(s));
}

absl::StatusOr<std::string> SendAdminCommand(const std::string& data_dir, const std::string& line) {
  asio::io_context io;
  local::socket sock(io);
  boost::system::error_code ec;
  sock.connect(local::endpoint(AdminSocketPath(data_dir)), ec);
  if (ec) {
    return absl::UnavailableError(absl::StrCat("no exchange running on ", data_dir, " (",
                                               AdminSocketPath(data_dir), ": ", ec.message(), ")"));
  }
  asio::write(sock, asio::buffer(line + "\n"), ec);
  asio::streambuf buf;
  // The answer is everything until the server closes (it may span several lines).
  asio::read(sock, buf, asio::transfer_all(), ec);
  if (ec != asio::error::eof && buf.size() == 0) return absl::UnavailableError("no answer: " + ec.message());
  std::string reply(asio::buffers_begin(buf.data()), asio::buffers_end(buf.data()));
  while (!reply.empty() && reply.back() == '\n') reply.pop_back();
  return reply;
}

}  // namespace ccx
