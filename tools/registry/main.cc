// ccx-registry: the operator's and back office's tool against an exchange data directory
// (docs/SETTLEMENT.md). Changes (deposits, withdrawals, retirements) go to the running
// exchange over its admin socket as `ledger ...` commands, so that they are journaled and
// applied in order with trading; queries read the ledger database (SQLite, WAL: fine while
// the exchange runs), except holdings and cash, which the running exchange answers live
// (with the reservations of open orders).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "engine/calendar/calendar.h"
#include "gateway/server/exchange_server.h"
#include "nlohmann/json.hpp"
#include "settlement/ledger_command.h"
#include "settlement/ledger_reader.h"
#include "tools/lib/args.h"

namespace {

using Json = nlohmann::ordered_json;
using ccx::settlement::EncodeWord;
using ccx::settlement::LedgerReader;

constexpr const char* kUsage =
    "usage: ccx-registry COMMAND --data-dir DIR [--participant USERNAME] [OPTIONS] [--json]\n"
    "\n"
    "Changes (sent to the running exchange, which journals them; refused when it is not "
    "running):\n"
    "  deposit-credits   --participant P --category C --quantity Q --project ID --vintage YEAR\n"
    "                    --first-serial N [--program NAME]   a serial block arrives (t-CO2)\n"
    "  withdraw-credits  --participant P --category C --quantity Q [--project ID --serials F-L]\n"
    "                    credits leave (oldest deposits first, or exactly those serials)\n"
    "  retire            --participant P --category C --quantity Q --purpose TEXT\n"
    "                    [--project ID --serials F-L]   cancel credits for offsetting, for ever\n"
    "  deposit-cash      --participant P --yen N\n"
    "  withdraw-cash     --participant P --yen N   (only what open orders and unsettled\n"
    "                    purchases do not reserve)\n"
    "  Every change takes --actor NAME (default $USER) and --reason TEXT.\n"
    "\n"
    "Queries:\n"
    "  holdings     --participant P   credits per category: available, reserved, serial blocks\n"
    "  cash         --participant P   cash balance and reserved yen\n"
    "  obligations  --participant P   unsettled trades netted per settlement date, and fails\n"
    "  statements   --participant P [--date YYYY-MM-DD [--csv]]   settlement statements\n"
    "  audit        [--participant P] [--limit N]   the append-only audit trail\n"
    "holdings and cash come from the running exchange (live reservations) or, when it is not\n"
    "running, from DIR/ledger.sqlite (reserved = unsettled sales / purchases only).\n"
    "Exit status: 0 ok, 1 refused or failed, 2 bad usage.\n\nOptions:\n";

int Fail(const std::string& msg, int code = 1) {
  std::fprintf(stderr, "ccx-registry: %s\n", msg.c_str());
  return code;
}

struct Ctx {
  ccx::Args args;
  std::string dir;
  bool json = false;
  std::string Opt(const std::string& name) const { return args.Get(name); }
};

// The participant option, required for most commands.
bool Need(const Ctx& c, std::initializer_list<const char*> names, std::string* missing) {
  for (const char* n : names) {
    if (c.Opt(n).empty()) {
      *missing = std::string("--") + n;
      return false;
    }
  }
  return true;
}

// Sends a `ledger ...` change to the exchange of c.dir.
int SendChange(const Ctx& c, const std::vector<std::string>& words) {
  const std::string line = absl::StrJoin(words, " ");
  absl::StatusOr<std::string> reply = ccx::SendAdminCommand(c.dir, line);
  if (!reply.ok()) {
    if (reply.status().code() == absl::StatusCode::kUnavailable) {
      return Fail("the exchange is not running on " + c.dir +
                  ": start it; ledger changes are journaled by the exchange");
    }
    return Fail(std::string(reply.status().message()));
  }
  const bool ok = reply->rfind("ok", 0) == 0;
  if (c.json) {
    std::puts(Json{{"ok", ok}, {"reply", *reply}}.dump(-1, ' ', false, Json::error_handler_t::replace).c_str());
  } else {
    std::puts(reply->c_str());
  }
  if (!ok && !c.json) return 1;
  return ok ? 0 : 1;
}

int Change(const Ctx& c, const std::string& cmd) {
  std::string missing;
  const bool cash = cmd == "deposit-cash" || cmd == "withdraw-cash";
  if (cash ? !Need(c, {"participant", "yen"}, &missing)
           : !Need(c, {"participant", "category", "quantity"}, &missing)) {
    return Fail(cmd + ": " + missing + " is required (try --help)", 2);
  }
  std::vector<std::string> w = {"ledger", cmd, c.Opt("participant")};
  if (cash) {
    w.push_back(c.Opt("yen"));
  } else {
    w.push_back(c.Opt("category"));
    w.push_back(c.Opt("quantity"));
  }
  if (cmd == "deposit-credits") {
    if (!Need(c, {"project", "vintage", "first-serial"}, &missing)) {
      return Fail(cmd + ": " + missing + " is required (try --help)", 2);
    }
    std::string program = c.Opt("program");
    if (program.empty()) {  // the category's program, from the ledger database
      absl::StatusOr<std::unique_ptr<LedgerReader>> r = LedgerReader::Open(c.dir);
      if (r.ok()) {
        const auto& codes = (*r)->category_codes();
        for (size_t i = 0; i < codes.size(); ++i) {
          if (codes[i] == c.Opt("category")) program = (*r)->category_programs()[i];
        }
      }
      if (program.empty()) return Fail(cmd + ": give --program (the category's credit program)", 2);
    }
    w.insert(w.end(), {EncodeWord(program), EncodeWord(c.Opt("project")), c.Opt("vintage"),
                       c.Opt("first-serial")});
  } else if (!cash && (c.args.Has("serials") || c.args.Has("project"))) {
    if (!Need(c, {"project", "serials"}, &missing)) {
      return Fail(cmd + ": --project and --serials go together", 2);
    }
    w.insert(w.end(), {"--project", EncodeWord(c.Opt("project")), "--serials", c.Opt("serials")});
  }
  w.insert(w.end(), {"--actor", EncodeWord(c.Opt("actor"))});
  if (cmd == "retire") {
    if (c.Opt("purpose").empty()) return Fail("retire: --purpose is required (what the credits offset)", 2);
    w.insert(w.end(), {"--purpose", EncodeWord(c.Opt("purpose"))});
  } else if (!c.Opt("reason").empty()) {
    w.insert(w.end(), {"--reason", EncodeWord(c.Opt("reason"))});
  }
  return SendChange(c, w);
}

void PrintHoldings(const Json& h, bool live) {
  std::printf("%s holdings (%s)\n", h["participant"].get<std::string>().c_str(),
              live ? "live from the exchange" : "from the ledger database; no open orders");
  for (const auto& [code, cat] : h["categories"].items()) {
    if (cat["blocks"].empty() && cat["reserved"].get<int64_t>() == 0) continue;
    std::printf("%-8s available %lld  reserved %lld\n", code.c_str(),
                static_cast<long long>(cat["available"].get<int64_t>()),
                static_cast<long long>(cat["reserved"].get<int64_t>()));
    for (const auto& b : cat["blocks"]) {
      std::printf("  %-7s %s %s vintage %lld serials %s-%s (%lld t-CO2)\n",
                  b["status"].get<std::string>().c_str(), b["program"].get<std::string>().c_str(),
                  b["project"].get<std::string>().c_str(),
                  static_cast<long long>(b["vintage"].get<int64_t>()),
                  b["first"].get<std::string>().c_str(), b["last"].get<std::string>().c_str(),
                  static_cast<long long>(b["quantity"].get<int64_t>()));
    }
  }
}

// holdings / cash: live from the exchange when it runs, else from SQLite.
int LiveOrStored(const Ctx& c, const std::string& cmd) {
  const std::string who = c.Opt("participant");
  if (who.empty()) return Fail(cmd + ": --participant is required", 2);
  Json out;
  bool live = false;
  absl::StatusOr<std::string> reply = ccx::SendAdminCommand(c.dir, "ledger-" + cmd + " " + who);
  if (reply.ok() && !reply->empty() && (*reply)[0] == '{') {
    out = Json::parse(*reply, nullptr, false);
    live = !out.is_discarded();
  } else if (reply.ok() && reply->rfind("error: unknown command", 0) != 0) {
    return Fail(reply->rfind("error: ", 0) == 0 ? reply->substr(7) : *reply);
  }
  if (!live) {
    absl::StatusOr<std::unique_ptr<LedgerReader>> r = LedgerReader::Open(c.dir);
    if (!r.ok()) return Fail(std::string(r.status().message()));
    absl::StatusOr<Json> j = cmd == "holdings" ? (*r)->Holdings(who) : (*r)->Cash(who);
    if (!j.ok()) return Fail(std::string(j.status().message()));
    out = *std::move(j);
  }
  if (c.json) {
    std::puts(out.dump(-1, ' ', false, Json::error_handler_t::replace).c_str());
  } else if (cmd == "holdings") {
    PrintHoldings(out, live);
  } else {
    std::printf("%s cash: balance %lld yen, reserved %lld yen, available %lld yen (%s)\n",
                who.c_str(), static_cast<long long>(out["balance"].get<int64_t>()),
                static_cast<long long>(out["reserved"].get<int64_t>()),
                static_cast<long long>(out["balance"].get<int64_t>() - out["reserved"].get<int64_t>()),
                live ? "live" : "from the ledger database");
  }
  return 0;
}

int Query(const Ctx& c, const std::string& cmd) {
  absl::StatusOr<std::unique_ptr<LedgerReader>> r = LedgerReader::Open(c.dir);
  if (!r.ok()) return Fail(std::string(r.status().message()));
  const std::string who = c.Opt("participant");
  if (cmd != "audit" && who.empty()) return Fail(cmd + ": --participant is required", 2);
  if (cmd == "statements" && !c.Opt("date").empty()) {
    absl::CivilDay day;
    if (!ccx::ParseIsoDate(c.Opt("date"), &day)) return Fail("--date must be YYYY-MM-DD", 2);
    absl::StatusOr<std::string> s = (*r)->Statement(who, day, c.args.Has("csv"));
    if (!s.ok()) return Fail(std::string(s.status().message()));
    std::fputs(s->c_str(), stdout);
    return 0;
  }
  absl::StatusOr<Json> j;
  if (cmd == "obligations") j = (*r)->Obligations(who);
  if (cmd == "statements") j = (*r)->StatementList(who);
  if (cmd == "audit") {
    absl::StatusOr<int64_t> limit = c.args.GetInt("limit");
    if (!limit.ok() || *limit <= 0) return Fail("--limit must be a positive number", 2);
    j = (*r)->Audit(who, *limit);
  }
  if (!j.ok()) return Fail(std::string(j.status().message()));
  if (c.json) {
    std::puts(j->dump(-1, ' ', false, Json::error_handler_t::replace).c_str());
    return 0;
  }
  if (cmd == "audit") {
    for (const auto& a : *j) {
      std::printf("%lld %s %s %s %s %s%s%s\n", static_cast<long long>(a["id"].get<int64_t>()),
                  a["time"].get<std::string>().c_str(), a["actor"].get<std::string>().c_str(),
                  a["action"].get<std::string>().c_str(), a["participant"].get<std::string>().c_str(),
                  a["detail"].get<std::string>().c_str(),
                  a["reason"].get<std::string>().empty() ? "" : " -- ",
                  a["reason"].get<std::string>().c_str());
    }
  } else if (cmd == "statements") {
    for (const auto& s : (*j)["statements"]) {
      std::printf("%s %s %s\n", s["settlement_date"].get<std::string>().c_str(),
                  s["json"].get<std::string>().c_str(), s["csv"].get<std::string>().c_str());
    }
  } else {
    std::puts(j->dump(2, ' ', false, Json::error_handler_t::replace).c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Ctx c;
  const char* user = std::getenv("USER");
  c.args.Option("data-dir", "data", "the exchange's data directory")
      .Option("participant", "", "participant username, e.g. PART01")
      .Option("category", "", "trading category code, e.g. JCRE")
      .Option("quantity", "", "t-CO2 (one serial number each)")
      .Option("program", "", "credit program (default: the category's)")
      .Option("project", "", "project id of the serial numbers")
      .Option("vintage", "", "vintage year")
      .Option("first-serial", "", "first serial number of the deposited block")
      .Option("serials", "", "FIRST-LAST: exactly these serials (withdraw, retire)")
      .Option("yen", "", "amount of cash in whole yen")
      .Option("purpose", "", "retire: what the credits offset")
      .Option("reason", "", "why (recorded in the audit trail)")
      .Option("actor", user != nullptr && *user != '\0' ? user : "ccx-registry",
              "who asks (recorded in the audit trail)")
      .Option("date", "", "statements: settlement date YYYY-MM-DD")
      .Option("limit", "100", "audit: the last N rows")
      .Flag("csv", "statements --date: print the CSV statement")
      .Flag("json", "print JSON");
  if (auto st = c.args.Parse(argc, argv); !st.ok()) {
    return Fail(std::string(st.message()) + " (try --help)", 2);
  }
  if (c.args.help()) {
    std::fputs(kUsage, stdout);
    std::fputs(c.args.Usage().c_str(), stdout);
    return 0;
  }
  if (c.args.positional().size() != 1) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  c.dir = c.Opt("data-dir");
  c.json = c.args.Has("json");
  const std::string cmd = c.args.positional()[0];
  if (cmd == "deposit-credits" || cmd == "withdraw-credits" || cmd == "retire" ||
      cmd == "deposit-cash" || cmd == "withdraw-cash") {
    return Change(c, cmd);
  }
  if (cmd == "holdings" || cmd == "cash") return LiveOrStored(c, cmd);
  if (cmd == "obligations" || cmd == "statements" || cmd == "audit") return Query(c, cmd);
  return Fail("unknown command \"" + cmd + "\" (try --help)", 2);
}
