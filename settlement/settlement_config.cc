// Loader of `[settlement]` and `[[deposit]]` (toml++), with the engine's line-numbered
// error style (engine/config/toml_reader.h). Schema: docs/CONFIGURATION.md.
//
//   [settlement]
//   time = "09:00"          # local time of the daily settlement run
//   credit_check = true     # sell orders need available credits (reject 'u')
//   cash_check = true       # buy orders need available buying power (reject 'n')
//
//   [[deposit]]             # credits: a serial block per participant
//   participants = ["PART01", "PART02"]   # or participant = "PART01"
//   category = "JCRE"
//   quantity = 10000        # t-CO2 each; participant i gets the next `quantity` serials
//   project = "JPN-RE-0001"
//   vintage = 2024
//   first_serial = 1000001
//   program = "J-Credit"    # optional: must be the category's program
//   reason = "demo holdings"  # optional
//
//   [[deposit]]             # cash
//   participants = ["PART01"]
//   cash = 100000000        # yen each
#include "settlement/settlement_config.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "engine/config/toml_reader.h"
#include "fmt/format.h"

namespace ccx::settlement {
namespace {

using config_internal::GetArray;
using config_internal::GetString;
using config_internal::ReadInt;
using config_internal::ReadText;
using config_internal::Scope;

#define CCX_SETTLE_TRY(expr)                              \
  do {                                                    \
    if (absl::Status _st = (expr); !_st.ok()) return _st; \
  } while (0)

absl::Status ReadBool(const Scope& s, std::string_view key, bool* out) {
  const toml::node* node = s.Get(key);
  if (node == nullptr) return absl::OkStatus();
  const auto* v = node->as_boolean();
  if (v == nullptr) return s.WrongType(*node, key, "true or false");
  *out = v->get();
  return absl::OkStatus();
}

absl::Status ReadSettlement(const Scope& top, SettlementConfig* out) {
  const toml::node* node = top.Get("settlement");
  if (node == nullptr) return absl::OkStatus();
  if (!node->is_table()) return top.WrongType(*node, "settlement", "a table ([settlement])");
  const Scope s = top.Child("settlement", *node->as_table());
  CCX_SETTLE_TRY(s.CheckKeys({"time", "credit_check", "cash_check"}));
  if (const toml::node* t = s.Get("time"); t != nullptr) {
    const std::string* text = nullptr;
    CCX_SETTLE_TRY(GetString(s, *t, "time", R"(a string "HH:MM")", &text));
    if (!config_internal::ParseClock(*text, &out->time)) {
      return s.Error(t, "time",
                     fmt::format(R"(must be a time "HH:MM" from 00:00 to 23:59 (got "{}"))", *text));
    }
  }
  CCX_SETTLE_TRY(ReadBool(s, "credit_check", &out->checks.credit_check));
  CCX_SETTLE_TRY(ReadBool(s, "cash_check", &out->checks.cash_check));
  return absl::OkStatus();
}

// The participants of one [[deposit]]: `participant = "X"` or `participants = ["X", ...]`.
absl::Status ReadWho(const Scope& s, const ParticipantRegistry& reg,
                     std::vector<const Participant*>* out) {
  const toml::node* one = s.Get("participant");
  const toml::array* many = nullptr;
  CCX_SETTLE_TRY(GetArray(s, "participants", &many));
  if ((one == nullptr) == (many == nullptr)) {
    return s.Error(one, "participant", "give exactly one of participant or participants");
  }
  auto add = [&](const toml::node& n, const std::string& key) -> absl::Status {
    const std::string* name = nullptr;
    CCX_SETTLE_TRY(GetString(s, n, key, "a string (a username)", &name));
    const Participant* p = reg.FindByUsername(*name);
    if (p == nullptr) return s.Error(&n, key, fmt::format(R"(unknown participant "{}")", *name));
    out->push_back(p);
    return absl::OkStatus();
  };
  if (one != nullptr) return add(*one, "participant");
  if (many->empty()) return s.Error(s.Get("participants"), "participants", "must not be empty");
  for (size_t i = 0; i < many->size(); ++i) {
    CCX_SETTLE_TRY(add(*many->get(i), fmt::format("participants[{}]", i)));
  }
  return absl::OkStatus();
}

// One [[deposit]] into `ops` (one LedgerOp per participant), each applied to `check` so
// that overlaps between deposits are reported at the deposit that causes them.
absl::Status ReadDeposit(const Scope& s, const MarketConfig& market,
                         const ParticipantRegistry& reg, Registry* check,
                         std::vector<LedgerOp>* ops) {
  CCX_SETTLE_TRY(s.CheckKeys({"participant", "participants", "cash", "category", "quantity",
                              "project", "vintage", "first_serial", "program", "reason"}));
  std::vector<const Participant*> who;
  CCX_SETTLE_TRY(ReadWho(s, reg, &who));
  std::string reason = "configured deposit";
  CCX_SETTLE_TRY(ReadText(s, "reason", false, &reason));
  LedgerOp base;
  SetField(base.actor, "config");
  if (!SetField(base.reason, reason)) {
    return s.Error(s.Get("reason"), "reason", "must be at most 127 bytes");
  }
  const bool cash = s.Get("cash") != nullptr;
  if (cash) {
    for (std::string_view k : {"category", "quantity", "project", "vintage", "first_serial",
                               "program"}) {
      if (s.Get(k) != nullptr) {
        return s.Error(s.Get(k), k, "a cash deposit takes only participant(s), cash and reason");
      }
    }
    base.type = LedgerOpType::kDepositCash;
    CCX_SETTLE_TRY(ReadInt(s, "cash", 1, int64_t{1} << 50, &base.amount_yen));
  } else {
    base.type = LedgerOpType::kDepositCredits;
    std::string code, project, program;
    CCX_SETTLE_TRY(ReadText(s, "category", true, &code));
    const int c = market.FindCategory(code);
    if (c < 0) return s.Error(s.Get("category"), "category", fmt::format(R"(unknown category "{}")", code));
    base.category = static_cast<CategoryId>(c);
    program = market.categories[c].program;
    CCX_SETTLE_TRY(ReadText(s, "program", false, &program));
    if (program != market.categories[c].program) {
      return s.Error(s.Get("program"), "program",
                     fmt::format(R"(category {} holds "{}" credits (got "{}"))", code,
                                 market.categories[c].program, program));
    }
    SetField(base.program, program);
    CCX_SETTLE_TRY(ReadText(s, "project", true, &project));
    if (!SetField(base.project, project)) {
      return s.Error(s.Get("project"), "project", "must be at most 31 bytes");
    }
    if (s.Get("quantity") == nullptr) return s.Missing("quantity");
    if (s.Get("vintage") == nullptr) return s.Missing("vintage");
    if (s.Get("first_serial") == nullptr) return s.Missing("first_serial");
    CCX_SETTLE_TRY(ReadInt(s, "quantity", 1, int64_t{1} << 40, &base.quantity));
    CCX_SETTLE_TRY(ReadInt(s, "vintage", 1990, 2100, &base.vintage));
    int64_t first = 0;
    CCX_SETTLE_TRY(ReadInt(s, "first_serial", 1, int64_t{1} << 62, &first));
    base.first_serial = static_cast<uint64_t>(first);
  }
  for (const Participant* p : who) {
    LedgerOp op = base;
    op.participant = p->id;
    if (!cash) {
      op.last_serial = op.first_serial + static_cast<uint64_t>(op.quantity) - 1;
      base.first_serial = op.last_serial + 1;  // the next participant's block follows
    }
    if (absl::Status st = check->Apply(op, 0, ops->size() + 1); !st.ok()) {
      return s.Error(nullptr, cash ? "cash" : "first_serial",
                     fmt::format("{}: {}", p->username, std::string(st.message())));
    }
    ops->push_back(op);
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<std::string> Usernames(const ParticipantRegistry& participants) {
  std::vector<std::string> out;
  for (const Participant& p : participants.participants) out.push_back(p.username);
  return out;
}

absl::StatusOr<SettlementConfig> ParseSettlementConfig(std::string_view toml_text,
                                                       std::string_view source_name,
                                                       const MarketConfig& market,
                                                       const ParticipantRegistry& participants) {
  auto parsed = config_internal::ParseToml(toml_text, source_name);
  if (!parsed.ok()) return parsed.status();
  const toml::table& root = *parsed;
  const Scope top(source_name, "", root);
  SettlementConfig config;
  CCX_SETTLE_TRY(ReadSettlement(top, &config));
  const toml::node* node = top.Get("deposit");
  if (node == nullptr) return config;
  const toml::array* list = node->as_array();
  if (list == nullptr) return top.WrongType(*node, "deposit", "an array of tables ([[deposit]])");
  Registry check(market, Usernames(participants), CheckOptions{});
  check.set_record_changes(false);
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string label = fmt::format("deposit #{}", i + 1);
    const toml::table* t = list->get(i)->as_table();
    if (t == nullptr) return top.WrongType(*list->get(i), label, "a table ([[deposit]])");
    CCX_SETTLE_TRY(ReadDeposit(top.Child(label, *t), market, participants, &check,
                               &config.deposits));
  }
  return config;
}

absl::StatusOr<SettlementConfig> LoadSettlementConfig(const std::string& path,
                                                      const MarketConfig& market,
                                                      const ParticipantRegistry& participants) {
  auto text = ReadConfigText(path);
  if (!text.ok()) return text.status();
  return ParseSettlementConfig(*text, path, market, participants);
}

#undef CCX_SETTLE_TRY

}  // namespace ccx::settlement
