// ccx-replay: replays an exchange data directory's journal for surveillance — verify that
// the replay reproduces every message sent, show the book at any moment, the life of
// orders, step through events, export them, raise alerts and write the investigation
// report of an auction. docs/SURVEILLANCE.md.
#include <cstdio>
#include <string>
#include <vector>

#include "engine/market/schedule.h"
#include "tools/lib/args.h"
#include "tools/replay/commands.h"

namespace {

constexpr const char* kUsage =
    "usage: ccx-replay [--data-dir DIR | --journal FILE] [--config FILE] MODE [OPTIONS]\n"
    "\n"
    "Modes (exactly one):\n"
    "  --verify                      replay and compare with DATA_DIR/output/*.out byte for byte\n"
    "  --at TIME [--category C]      the book, indicative auction and base price at TIME\n"
    "  --orders [--participant P] [--category C] [--from T] [--to T]\n"
    "                                the life of every order (entered, replaced, cancelled, executed)\n"
    "  --step [--from T --to T]      step event by event (interactive in a terminal)\n"
    "  --export csv|json             every engine event (json = JSON Lines); filters as for --orders\n"
    "  --alerts [--alerts-dir DIR]   surveillance alerts (thresholds: [surveillance] of --config)\n"
    "  --report CAT@TIME             investigation report of an auction (HTML), e.g. JCRE@2026-11-20T11:30\n"
    "\n"
    "TIME is Tokyo (market) time YYYY-MM-DDTHH:MM[:SS]. Participants are usernames (PART01).\n"
    "Exit status: 0 ok, 1 a difference (--verify) or a data error, 2 bad usage.\n\nOptions:\n";

int Usage(const std::string& msg) { return ccx::UsageError("ccx-replay", msg); }

}  // namespace

int main(int argc, char** argv) {
  using ccx::replay_tool::Fail;
  ccx::Args a;
  a.Option("data-dir", "data", "the exchange's data directory (journal/ccx.journal, output/)")
      .Option("journal", "", "a journal file (instead of DATA_DIR/journal/ccx.journal)")
      .Option("config", ccx::DefaultConfigPath(), "the market configuration the exchange ran with")
      .Flag("verify", "verify the recorded output against the replay")
      .Option("at", "", "show the market at this time")
      .Flag("orders", "the life of every order")
      .Flag("step", "step through the journal event by event")
      .Option("export", "", "export events: csv | json")
      .Flag("alerts", "raise surveillance alerts")
      .Option("report", "", "investigation report of the auction CAT@TIME")
      .Option("category", "", "only this category (code)")
      .Option("participant", "", "only this participant (username)")
      .Option("from", "", "from this time (--orders, --step, --export)")
      .Option("to", "", "up to this time (--orders, --step, --export)")
      .Option("format", "text", "text | json (--at, --orders, --alerts)")
      .Option("output", "", "write to this file (--export, --report; default stdout / a report name)")
      .Option("alerts-dir", "", "also write each alert as DIR/ID.json (--alerts)")
      .Option("noii-interval-ms", "100", "the exchange's --noii-interval-ms, for journals that do not record it")
      .Option("max-messages-per-second", "", "the exchange's --max-messages-per-second, if it was given")
      .Flag("allow-torn-tail", "replay a journal that ends in a partial record up to it");
  if (auto exit = ccx::ParseProgramOptions(a, argc, argv, "ccx-replay", kUsage)) return *exit;
  std::vector<std::string> modes;
  for (const char* m : {"verify", "at", "orders", "step", "export", "alerts", "report"}) {
    if (a.Has(m)) modes.push_back(std::string("--") + m);
  }
  if (modes.size() != 1) {
    return Usage(modes.empty() ? "no mode given: --verify, --at, --orders, --step, --export, --alerts or --report"
                               : "give one mode only (got " + modes[0] + " and " + modes[1] + ")");
  }

  ccx::replay_tool::Setup s;
  auto market = ccx::LoadMarketConfig(a.Get("config"));
  if (!market.ok()) return Fail(std::string(market.status().message()));
  s.market = *std::move(market);
  auto reg = ccx::LoadParticipants(a.Get("config"), s.market);
  if (!reg.ok()) return Fail(std::string(reg.status().message()));
  s.participants = *std::move(reg);
  if (!a.Get("max-messages-per-second").empty()) {
    auto m = a.GetInt("max-messages-per-second");
    if (!m.ok() || *m < 0 || *m > 100'000'000) return Usage("--max-messages-per-second: 0..100000000");
    s.participants.gateway.max_messages_per_second = static_cast<uint32_t>(*m);
  }
  auto thresholds = ccx::surveillance::LoadSurveillanceConfig(a.Get("config"));
  if (!thresholds.ok()) return Fail(std::string(thresholds.status().message()));
  s.thresholds = *thresholds;
  s.data_dir = a.Get("data-dir");
  s.journal = a.Has("journal") ? a.Get("journal") : ccx::surveillance::JournalPathFor(s.data_dir);
  s.journal_options.allow_torn_tail = a.Has("allow-torn-tail");
  s.format = a.Get("format");
  if (s.format != "text" && s.format != "json") return Usage("--format: must be text or json");
  s.output = a.Get("output");
  if (a.Has("category")) {
    s.category = s.market.FindCategory(a.Get("category"));
    if (s.category < 0) return Usage("--category: unknown category '" + a.Get("category") + "'");
  }
  if (a.Has("participant")) {
    const ccx::Participant* p = s.participants.FindByUsername(a.Get("participant"));
    if (p == nullptr) return Usage("--participant: unknown participant '" + a.Get("participant") + "'");
    s.participant = p->id;
  }
  auto time = [&](const std::string& opt, ccx::Timestamp* out) {
    return ccx::ParseLocalDateTime(a.Get(opt), s.offset(), out);
  };
  if (a.Has("from") && !time("from", &s.from)) return Usage("--from: expected YYYY-MM-DDTHH:MM[:SS], got '" + a.Get("from") + "'");
  if (a.Has("to") && !time("to", &s.to)) return Usage("--to: expected YYYY-MM-DDTHH:MM[:SS], got '" + a.Get("to") + "'");
  auto noii = a.GetInt("noii-interval-ms");
  if (!noii.ok() || *noii < 0) return Usage("--noii-interval-ms: must be an integer >= 0");
  auto core = ccx::surveillance::CoreOptionsFromConfig(a.Get("config"), s.market, s.participants, *noii);
  if (!core.ok()) return Fail(std::string(core.status().message()));
  s.core = *std::move(core);

  const std::string mode = modes[0];
  if (mode == "--verify") return ccx::replay_tool::RunVerify(s);
  if (mode == "--at") {
    ccx::Timestamp at = 0;
    if (!time("at", &at)) return Usage("--at: expected Tokyo time YYYY-MM-DDTHH:MM[:SS], got '" + a.Get("at") + "'");
    return ccx::replay_tool::RunAt(s, at);
  }
  if (mode == "--orders") return ccx::replay_tool::RunOrders(s);
  if (mode == "--step") return ccx::replay_tool::RunStep(s, !a.Has("from") && !a.Has("to"));
  if (mode == "--export") {
    const std::string f = a.Get("export");
    if (f != "csv" && f != "json") return Usage("--export: must be csv or json");
    return ccx::replay_tool::RunExport(s, f);
  }
  if (mode == "--alerts") return ccx::replay_tool::RunAlerts(s, a.Get("alerts-dir"));
  return ccx::replay_tool::RunReport(s, a.Get("report"));
}
