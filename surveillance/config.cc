#include "surveillance/config.h"

#include "engine/config/toml_reader.h"

#include <toml++/toml.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <sstream>

#include "fmt/format.h"
#include "fmt/ranges.h"

namespace ccx::surveillance {
namespace {

// One table being read: errors say "source:line: surveillance.<table>.<key>: what".
class Reader {
 public:
  Reader(std::string_view source, std::string prefix, const toml::table& table)
      : source_(source), prefix_(std::move(prefix)), table_(table) {}

  absl::Status Error(const toml::node& at, std::string_view key, std::string_view what) const {
    const uint32_t line = at.source().begin.line;
    return absl::InvalidArgumentError(
        line > 0 ? fmt::format("{}:{}: {}{}: {}", source_, line, prefix_, key, what)
                 : fmt::format("{}: {}{}: {}", source_, prefix_, key, what));
  }

  // Rejects the first key (in file order) that is not allowed, so a typo never passes.
  absl::Status CheckKeys(std::initializer_list<std::string_view> allowed) const {
    const toml::node* bad = nullptr;
    std::string_view bad_key;
    uint32_t bad_line = std::numeric_limits<uint32_t>::max();
    for (auto&& [key, value] : table_) {
      bool known = false;
      for (std::string_view a : allowed) known |= a == key.str();
      if (known || key.source().begin.line >= bad_line) continue;
      bad = &value;
      bad_key = key.str();
      bad_line = key.source().begin.line;
    }
    if (bad == nullptr) return absl::OkStatus();
    return Error(*bad, bad_key, fmt::format("unknown key (expected one of: {})", fmt::join(allowed, ", ")));
  }

  template <typename T>
  absl::Status Int(std::string_view key, int64_t lo, int64_t hi, T* out) const {
    const toml::node* n = table_.get(key);
    if (n == nullptr) return absl::OkStatus();
    const auto* v = n->as_integer();
    if (v == nullptr) return Error(*n, key, "must be an integer");
    if (v->get() < lo || v->get() > hi) {
      return Error(*n, key, fmt::format("must be from {} to {} (got {})", lo, hi, v->get()));
    }
    *out = static_cast<T>(v->get());
    return absl::OkStatus();
  }

  absl::Status Bool(std::string_view key, bool* out) const {
    const toml::node* n = table_.get(key);
    if (n == nullptr) return absl::OkStatus();
    const auto* v = n->as_boolean();
    if (v == nullptr) return Error(*n, key, "must be true or false");
    *out = v->get();
    return absl::OkStatus();
  }

 private:
  std::string_view source_;
  std::string prefix_;
  const toml::table& table_;
};

#define CCX_TRY(expr)                      \
  do {                                     \
    if (absl::Status _st = (expr); !_st.ok()) return _st; \
  } while (0)

constexpr int64_t kMaxQty = std::numeric_limits<uint32_t>::max();
constexpr int64_t kDaySeconds = 86400;
constexpr int64_t kMaxBps = 100'000;  // a move of 1,000 %

absl::Status ReadRule(const Reader& r, std::string_view name, SurveillanceConfig* c) {
  if (name == "spoofing") {
    SpoofingRule& x = c->spoofing;
    CCX_TRY(r.CheckKeys({"enabled", "min_qty", "window_seconds", "min_move_bps"}));
    CCX_TRY(r.Bool("enabled", &x.enabled));
    CCX_TRY(r.Int("min_qty", 1, kMaxQty, &x.min_qty));
    CCX_TRY(r.Int("window_seconds", 1, kDaySeconds, &x.window_seconds));
    return r.Int("min_move_bps", 1, kMaxBps, &x.min_move_bps);
  }
  if (name == "marking") {
    MarkingRule& x = c->marking;
    CCX_TRY(r.CheckKeys({"enabled", "window_seconds", "min_move_bps"}));
    CCX_TRY(r.Bool("enabled", &x.enabled));
    CCX_TRY(r.Int("window_seconds", 1, kDaySeconds, &x.window_seconds));
    return r.Int("min_move_bps", 1, kMaxBps, &x.min_move_bps);
  }
  if (name == "wash_trade") {
    WashTradeRule& x = c->wash_trade;
    CCX_TRY(r.CheckKeys({"enabled", "min_qty"}));
    CCX_TRY(r.Bool("enabled", &x.enabled));
    return r.Int("min_qty", 1, kMaxQty, &x.min_qty);
  }
  if (name == "concentration") {
    ConcentrationRule& x = c->concentration;
    CCX_TRY(r.CheckKeys({"enabled", "max_share_percent", "min_volume"}));
    CCX_TRY(r.Bool("enabled", &x.enabled));
    CCX_TRY(r.Int("max_share_percent", 1, 99, &x.max_share_percent));
    return r.Int("min_volume", 1, std::numeric_limits<int64_t>::max(), &x.min_volume);
  }
  QuotePullRule& x = c->quote_pull;  // "quote_pull" (the caller checked the name)
  CCX_TRY(r.CheckKeys({"enabled", "window_seconds", "min_quote_qty"}));
  CCX_TRY(r.Bool("enabled", &x.enabled));
  CCX_TRY(r.Int("window_seconds", 1, kDaySeconds, &x.window_seconds));
  return r.Int("min_quote_qty", 0, kMaxQty, &x.min_quote_qty);
}

}  // namespace

absl::StatusOr<SurveillanceConfig> ParseSurveillanceConfig(std::string_view toml_text,
                                                           std::string_view source_name) {
  auto parsed = ccx::config_internal::ParseToml(toml_text, source_name);
  if (!parsed.ok()) return parsed.status();
  const toml::table& root = *parsed;
  SurveillanceConfig config;
  const toml::node* node = root.get("surveillance");
  if (node == nullptr) return config;
  const toml::table* top = node->as_table();
  if (top == nullptr) {
    return Reader(source_name, "", root).Error(*node, "surveillance", "must be a table ([surveillance])");
  }
  const Reader r(source_name, "surveillance.", *top);
  CCX_TRY(r.CheckKeys({"spoofing", "marking", "wash_trade", "concentration", "quote_pull"}));
  for (std::string_view name : {"spoofing", "marking", "wash_trade", "concentration", "quote_pull"}) {
    const toml::node* sub = top->get(name);
    if (sub == nullptr) continue;
    if (!sub->is_table()) {
      return r.Error(*sub, name, fmt::format("must be a table ([surveillance.{}])", name));
    }
    CCX_TRY(ReadRule(Reader(source_name, fmt::format("surveillance.{}.", name), *sub->as_table()),
                     name, &config));
  }
  return config;
}

absl::StatusOr<SurveillanceConfig> LoadSurveillanceConfig(const std::string& path) {
  auto text = ccx::ReadConfigText(path);
  if (!text.ok()) return text.status();
  return ParseSurveillanceConfig(*text, path);
}

#undef CCX_TRY

}  // namespace ccx::surveillance
