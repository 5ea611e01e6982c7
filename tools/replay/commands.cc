#include "tools/replay/commands.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "engine/market/schedule.h"
#include "fmt/format.h"
#include "surveillance/alert_detector.h"
#include "surveillance/book_view.h"
#include "surveillance/export.h"
#include "surveillance/order_history.h"
#include "surveillance/output_file.h"
#include "surveillance/report.h"
#include "surveillance/verify.h"

namespace ccx::replay_tool {

using namespace ccx::surveillance;

int Fail(const std::string& message) {
  std::fprintf(stderr, "ccx-replay: %s\n", message.c_str());
  return 1;
}

namespace {

std::string Time(const Setup& s, Timestamp t) { return FormatLocalDateTime(t, s.offset()); }

std::string Day(absl::CivilDay d) { return fmt::format("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()); }

void Out(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

}  // namespace

int RunVerify(const Setup& s) {
  Replayer r(s.market, s.participants, ReplayOptions{false, s.core});
  OutputVerifier v(OutputDir(s.data_dir));
  if (absl::Status st = v.Init(); !st.ok()) return Fail(std::string(st.message()));
  r.AddObserver(&v);
  const auto start = std::chrono::steady_clock::now();
  auto sum = ReplayJournal(s.journal, &r, s.journal_options, [&](const JournalRecord&) { return v.failed(); });
  if (!sum.ok()) return Fail(std::string(sum.status().message()));
  if (!v.failed()) v.Finish(r);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  Out(fmt::format("journal {}: {} records, {} engine events replayed in {:.2f} s ({:.0f} records/s)\n",
                  s.journal, r.records(), r.events(), secs, secs > 0 ? r.records() / secs : 0.0));
  if (sum->torn_tail) Out(fmt::format("  journal ends in a partial record at byte {} (allowed)\n", sum->torn_tail->offset));
  for (const DayCheck& d : v.days()) {
    if (!d.recorded) {
      Out(fmt::format("{}: no output recorded ({} OUCH, {} ITCH messages replayed; not checked)\n", Day(d.day),
                      d.replay_ouch, d.replay_itch));
      continue;
    }
    Out(fmt::format("{}: OUCH {} of {} messages identical ({} repeats), ITCH {} of {} identical ({} repeats)  [{}]\n",
                    Day(d.day), d.ouch_checked, d.replay_ouch, d.ouch_duplicates, d.itch_checked,
                    d.replay_itch, d.itch_duplicates, d.file));
    if (!d.torn_tail.empty()) Out(fmt::format("  note: {} {}\n", d.file, d.torn_tail));
  }
  if (v.difference()) {
    Out("DIFFERENCE: " + v.difference()->ToString() + "\n");
    if (v.difference()->stream == "ITCH") {
      Out("  (the feed depends on the exchange's NOII interval: a journal without a settings record needs\n"
          "   ccx-replay --noii-interval-ms with the exchange's --noii-interval-ms)\n");
    }
    return Fail(fmt::format("verify failed: {} {} seq {}: {}", Day(v.difference()->day), v.difference()->stream,
                            v.difference()->seq, v.difference()->what));
  }
  if (!v.error().ok()) return Fail("verify failed: " + std::string(v.error().message()));
  uint64_t checked = 0;
  for (const DayCheck& d : v.days()) checked += d.ouch_checked + d.itch_checked;
  if (checked == 0) return Fail("verify: no recorded message was found to compare (is output/ empty?)");
  Out(fmt::format("OK: {} recorded messages identical to the replay\n", checked));
  return 0;
}

int RunAt(const Setup& s, Timestamp at) {
  Replayer r(s.market, s.participants, ReplayOptions{true, s.core});
  OrderHistory history;
  r.AddObserver(&history);
  uint64_t last_seq = 0;
  struct Seq : ReplayObserver {
    uint64_t* last;
    explicit Seq(uint64_t* l) : last(l) {}
    void AfterRecord(const Replayer&, const JournalRecord& rec) override { *last = rec.sequence; }
  } seq(&last_seq);
  r.AddObserver(&seq);
  auto sum = ReplayJournal(s.journal, &r, s.journal_options,
                           [&](const JournalRecord& rec) { return rec.timestamp_ns > at; });
  if (!sum.ok()) return Fail(std::string(sum.status().message()));
  if (r.records() == 0) return Fail(fmt::format("the journal has no record at or before {}", Time(s, at)));
  std::string note;
  if (!sum->stopped) note = fmt::format("the journal ends at {}, before the time asked", Time(s, r.core().now()));
  if (s.format == "json") {
    nlohmann::json j = {{"at", Time(s, at)},
                        {"as_of", Time(s, r.core().now())},
                        {"as_of_sequence", last_seq},
                        {"categories", nlohmann::json::array()}};
    if (!note.empty()) j["note"] = note;
    for (size_t c = 0; c < r.engine().num_categories(); ++c) {
      if (s.category >= 0 && static_cast<int>(c) != s.category) continue;
      j["categories"].push_back(BookToJson(SnapshotBook(r, static_cast<CategoryId>(c), &history, last_seq), s.offset()));
    }
    Out(j.dump(2) + "\n");
    return 0;
  }
  Out(fmt::format("market at {} (Tokyo): state after journal record {} at {}\n", Time(s, at), last_seq,
                  Time(s, r.core().now())));
  if (!note.empty()) Out("note: " + note + "\n");
  for (size_t c = 0; c < r.engine().num_categories(); ++c) {
    if (s.category >= 0 && static_cast<int>(c) != s.category) continue;
    Out("\n" + FormatBookText(SnapshotBook(r, static_cast<CategoryId>(c), &history, last_seq), s.offset()));
  }
  return 0;
}

namespace {

nlohmann::json StepJson(const Setup& s, const OrderStep& st) {
  nlohmann::json j = {{"time", Time(s, st.time)},
                      {"what", ToString(st.kind)},
                      {"sequence", st.sequence},
                      {"qty", st.qty},
                      {"leaves", st.leaves},
                      {"price", st.price}};
  if (st.match != 0) j["match"] = st.match;
  if (st.other != 0) j[st.kind == StepKind::kReplaced ? "replaced_by" : "replaces"] = st.other;
  if (st.kind == StepKind::kCanceled) j["reason"] = std::string(1, st.reason);
  return j;
}

std::string StepText(const Setup& s, const OrderStep& st) {
  std::string what;
  switch (st.kind) {
    case StepKind::kEntered:
      what = st.other != 0 ? fmt::format("entered   {} @ {} (replaces ref {})", st.qty, st.price, st.other)
                           : fmt::format("entered   {} @ {}", st.qty, st.price);
      break;
    case StepKind::kReplaced: what = fmt::format("replaced  by ref {} ({} open)", st.other, st.qty); break;
    case StepKind::kCanceled:
      what = fmt::format("canceled  {} ({}), leaves {}", st.qty, ToString(static_cast<CancelReason>(st.reason)),
                         st.leaves);
      break;
    case StepKind::kExecuted:
      what = fmt::format("executed  {} @ {} match {}, leaves {}", st.qty, st.price, st.match, st.leaves);
      break;
  }
  return fmt::format("  {}  {}  (journal record {})\n", Time(s, st.time), what, st.sequence);
}

}  // namespace

int RunOrders(const Setup& s) {
  Replayer r(s.market, s.participants, ReplayOptions{true, s.core});
  OrderHistory history;
  r.AddObserver(&history);
  auto sum = ReplayJournal(s.journal, &r, s.journal_options,
                           [&](const JournalRecord& rec) { return rec.timestamp_ns > s.to; });
  if (!sum.ok()) return Fail(std::string(sum.status().message()));
  auto wanted = [&](ParticipantId p, int category) {
    return (s.participant < 0 || p == s.participant) && (s.category < 0 || category == s.category);
  };
  nlohmann::json orders = nlohmann::json::array(), rejected = nlohmann::json::array();
  std::string text;
  size_t n = 0;
  for (const OrderLife& o : history.orders()) {
    if (!wanted(o.participant, o.category) || o.entered > s.to || (o.ended != 0 && o.ended < s.from)) continue;
    ++n;
    if (s.format == "json") {
      nlohmann::json steps = nlohmann::json::array();
      for (const OrderStep& st : history.Steps(o)) steps.push_back(StepJson(s, st));
      orders.push_back({{"ref", o.ref}, {"participant", r.Username(o.participant)},
                        {"category", r.CategoryCode(o.category)}, {"side", std::string(1, static_cast<char>(o.side))},
                        {"price", o.price}, {"qty", o.qty}, {"tif", o.tif == Tif::kDay ? "DAY" : "AUCTION"},
                        {"token", o.token}, {"open", o.open}, {"executed", o.executed}, {"steps", steps}});
      continue;
    }
    text += fmt::format("ref {}  {}  {}  {} {} @ {} {}  token {}{}\n", o.ref, r.Username(o.participant),
                        r.CategoryCode(o.category), o.side == Side::kBuy ? "buy" : "sell", o.qty, o.price,
                        o.tif == Tif::kDay ? "DAY" : "AUCTION", o.token.empty() ? "-" : o.token,
                        o.live() ? fmt::format("  (resting {})", o.open) : "");
    for (const OrderStep& st : history.Steps(o)) text += StepText(s, st);
  }
  size_t rejects = 0;
  for (const RejectedRequest& q : history.rejected()) {
    const int cat = s.market.FindCategory(q.category);
    if ((s.participant >= 0 && q.participant != s.participant) || (s.category >= 0 && cat != s.category) ||
        q.time < s.from || q.time > s.to) {
      continue;
    }
    ++rejects;
    const std::string why(ToString(static_cast<RejectReason>(q.reason)));
    if (s.format == "json") {
      rejected.push_back({{"time", Time(s, q.time)}, {"sequence", q.sequence}, {"participant", r.Username(q.participant)},
                          {"token", q.token}, {"request", q.request == 'O' ? "enter" : "replace"},
                          {"category", q.category}, {"qty", q.qty}, {"price", q.price},
                          {"reason", std::string(1, q.reason)}, {"reason_text", why}});
      continue;
    }
    if (rejects == 1) text += "rejected requests:\n";
    text += fmt::format("  {}  {} {} token {} {} {} @ {}: {} ({})  (journal record {})\n", Time(s, q.time),
                        r.Username(q.participant), q.request == 'O' ? "enter" : "replace", q.token,
                        q.category.empty() ? "-" : q.category, q.qty, q.price, why, q.reason, q.sequence);
  }
  if (s.format == "json") {
    Out(nlohmann::json({{"orders", orders}, {"rejected", rejected}}).dump(2) + "\n");
  } else {
    Out(text + fmt::format("{} orders, {} rejected requests\n", n, rejects));
  }
  return 0;
}

int RunExport(const Setup& s, const std::string& format) {
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!s.output.empty()) {
    file.open(s.output, std::ios::binary | std::ios::trunc);
    if (!file) return Fail(fmt::format("{}: cannot write", s.output));
    out = &file;
  }
  EventFilter f;
  f.category = s.category;
  f.participant = s.participant;
  f.from = s.from;
  f.to = s.to;
  Replayer r(s.market, s.participants, ReplayOptions{true, s.core});
  EventExporter ex(out, format == "csv" ? ExportFormat::kCsv : ExportFormat::kJsonLines, f);
  r.AddObserver(&ex);
  auto sum = ReplayJournal(s.journal, &r, s.journal_options,
                           [&](const JournalRecord& rec) { return rec.timestamp_ns > s.to; });
  out->flush();
  if (!sum.ok()) return Fail(std::string(sum.status().message()));
  if (!*out) return Fail(fmt::format("{}: write error", s.output.empty() ? "stdout" : s.output));
  if (!s.output.empty()) std::fprintf(stderr, "ccx-replay: %llu events written to %s\n",
                                      static_cast<unsigned long long>(ex.rows()), s.output.c_str());
  return 0;
}

int RunAlerts(const Setup& s, const std::string& alerts_dir) {
  Replayer r(s.market, s.participants, ReplayOptions{true, s.core});
  std::unique_ptr<DirectoryAlertSink> sink;
  if (!alerts_dir.empty()) sink = std::make_unique<DirectoryAlertSink>(alerts_dir);
  AlertDetector detector(s.thresholds, sink.get());
  r.AddObserver(&detector);
  auto sum = ReplayJournal(s.journal, &r, s.journal_options);
  if (!sum.ok()) return Fail(std::string(sum.status().message()));
  if (absl::Status st = detector.TakeStatus(); !st.ok()) return Fail(std::string(st.message()));
  if (s.format == "json") {
    nlohmann::json all = nlohmann::json::array();
    for (const Alert& a : detector.alerts()) all.push_back(a.json);
    Out(all.dump(2) + "\n");
    return 0;
  }
  for (const Alert& a : detector.alerts()) Out(fmt::format("{}\n  {}\n", a.id, a.summary));
  Out(fmt::format("{} alert{} over {} journal records\n", detector.alerts().size(),
                  detector.alerts().size() == 1 ? "" : "s", r.records()));
  return 0;
}

int RunReport(const Setup& s, const std::string& auction) {
  auto target = FindAuction(s.market, auction);
  if (!target.ok()) return Fail(std::string(target.status().message()));
  Replayer r(s.market, s.participants, ReplayOptions{true, s.core});
  OrderHistory history;
  AlertDetector detector(s.thresholds);
  ReportCollector collector(*target, &history);
  r.AddObserver(&history);
  r.AddObserver(&detector);
  r.AddObserver(&collector);
  auto sum = ReplayJournal(s.journal, &r, s.journal_options, [&](const JournalRecord&) { return collector.done(); });
  if (!sum.ok()) return Fail(std::string(sum.status().message()));
  if (!collector.done()) {
    return Fail(fmt::format("the journal (last record at {}) does not reach the {} auction at {}",
                            r.records() ? Time(s, r.core().now()) : std::string("-"),
                            s.market.categories[target->category].code, Time(s, target->time)));
  }
  const InvestigationData data = collector.Finish(r, detector.alerts());
  std::string path = s.output;
  if (path.empty()) {
    const std::string t = Time(s, target->time);
    path = fmt::format("investigation-{}-{}{}{}-{}{}.html", data.code, t.substr(0, 4), t.substr(5, 2),
                       t.substr(8, 2), t.substr(11, 2), t.substr(14, 2));
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << RenderInvestigationHtml(data);
  out.close();
  if (!out) return Fail(fmt::format("{}: cannot write", path));
  Out(fmt::format("{}: {} auction at {}: {}; {} alert{}\n", path, data.code, Time(s, target->time),
                  data.executed ? fmt::format("{} t at {}", data.volume, data.price) : "no execution",
                  data.alerts.size(), data.alerts.size() == 1 ? "" : "s"));
  return 0;
}

}  // namespace ccx::replay_tool
