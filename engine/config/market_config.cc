// Loader of the market configuration: TOML (toml++) → MarketConfig, every value
// validated. The schema, the defaults and the rules are in docs/CONFIGURATION.md.
//
// Errors name the source, the line and the key, e.g.
//   config/market.toml:42: category JCRE: reference_price: must be a positive multiple
//   of tick (got 0)
// A missing key is reported at the line of the table that should hold it; a value that
// is wrong only together with another (reference price and tick, floor and ceiling) at
// the line of the category's own key.
//
// Precedence of a category key: the [[category]] table, else [market.defaults], else the
// built-in default (CategoryConfig's initializers; sessions 08:00→11:30, 12:30→15:00).
#include "engine/config/market_config.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "engine/config/toml_reader.h"
#include "fmt/format.h"

// Returns the status of `expr` from the enclosing function when it is an error.
#define CCX_CONFIG_TRY(expr)                              \
  do {                                                    \
    if (absl::Status _st = (expr); !_st.ok()) return _st; \
  } while (0)

// The keys that [market.defaults] and every [[category]] accept.
#define CCX_SHARED_KEYS                                                                  \
  "sessions", "weekdays", "band_percent", "tick", "unit", "max_order_qty", "allocation", \
      "max_resting_orders", "mm_min_size", "mm_max_spread_percent", "mm_max_spread_yen", \
      "mm_min_presence_percent"

namespace ccx {
namespace {

using config_internal::GetArray;
using config_internal::GetString;
using config_internal::IsToken;
using config_internal::ReadInt;
using config_internal::ReadText;
using config_internal::Scope;

// The largest price in whole yen that the 4-byte wire price field (four implied
// decimals, PROTOCOL.md) can carry: 4,294,967,295 / 10,000.
constexpr int64_t kMaxPrice = 429'496;
constexpr int64_t kMaxQty = std::numeric_limits<Qty>::max();
constexpr int64_t kMaxRestingOrders = int64_t{1} << 26;
// CategoryId is 16 bits, and so is the ITCH stock locate (1-based).
constexpr size_t kMaxCategories = std::numeric_limits<CategoryId>::max();
constexpr size_t kMaxCodeLength = 8;      // the OUCH/ITCH `Stock` field
constexpr size_t kMaxUsernameLength = 6;  // the SoupBinTCP login username field
constexpr std::string_view kWeekdayNames[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

// sessions = [ { open = "HH:MM", auction = "HH:MM" }, ... ]: non-empty, each open before
// its auction, each session opening after the previous session's auction.
absl::Status ReadSessions(const Scope& s, std::vector<Session>* out) {
  const toml::array* arr = nullptr;
  CCX_CONFIG_TRY(GetArray(s, "sessions", &arr));
  if (arr == nullptr) return absl::OkStatus();
  if (arr->empty()) return s.Error(s.Get("sessions"), "sessions", "must not be empty");
  std::vector<Session> sessions;
  for (size_t i = 0; i < arr->size(); ++i) {
    const std::string key = fmt::format("sessions[{}]", i);
    const toml::table* t = arr->get(i)->as_table();
    if (t == nullptr) {
      return s.WrongType(*arr->get(i), key, R"(a table { open = "HH:MM", auction = "HH:MM" })");
    }
    for (auto&& [k, v] : *t) {
      if (k.str() != "open" && k.str() != "auction") {
        return s.Error(&v, fmt::format("{}.{}", key, k.str()),
                       "unknown key (expected one of: open, auction)");
      }
    }
    Session session;
    for (std::string_view field : {"open", "auction"}) {
      const std::string fkey = fmt::format("{}.{}", key, field);
      const toml::node* node = t->get(field);
      if (node == nullptr) return s.Error(arr->get(i), fkey, "missing");
      const std::string* text = nullptr;
      CCX_CONFIG_TRY(GetString(s, *node, fkey, R"(a string "HH:MM")", &text));
      MinuteOfDay* dst = field == "open" ? &session.open : &session.auction;
      if (!config_internal::ParseClock(*text, dst)) {
        return s.Error(node, fkey,
                       fmt::format(R"(must be a time "HH:MM" from 00:00 to 23:59 )"
                                   R"((got "{}"))",
                                   *text));
      }
    }
    if (session.auction <= session.open) {
      return s.Error(t->get("auction"), key + ".auction",
                     fmt::format("must be after open {} (got {})", FormatMinuteOfDay(session.open),
                                 FormatMinuteOfDay(session.auction)));
    }
    if (!sessions.empty() && session.open <= sessions.back().auction) {
      return s.Error(
          t->get("open"), key + ".open",
          fmt::format("must be after the previous session's auction {} (got {})",
                      FormatMinuteOfDay(sessions.back().auction), FormatMinuteOfDay(session.open)));
    }
    sessions.push_back(session);
  }
  *out = std::move(sessions);
  return absl::OkStatus();
}

// weekdays = ["Mon", ...]: non-empty, names from kWeekdayNames, no duplicates.
absl::Status ReadWeekdays(const Scope& s, std::array<bool, 7>* out) {
  const toml::array* arr = nullptr;
  CCX_CONFIG_TRY(GetArray(s, "weekdays", &arr));
  if (arr == nullptr) return absl::OkStatus();
  if (arr->empty()) return s.Error(s.Get("weekdays"), "weekdays", "must not be empty");
  std::array<bool, 7> days{};
  for (size_t i = 0; i < arr->size(); ++i) {
    const std::string key = fmt::format("weekdays[{}]", i);
    const toml::node* node = arr->get(i);
    const std::string* text = nullptr;
    CCX_CONFIG_TRY(GetString(s, *node, key, "a string", &text));
    const auto* it = std::find(std::begin(kWeekdayNames), std::end(kWeekdayNames), *text);
    if (it == std::end(kWeekdayNames)) {
      return s.Error(node, key,
                     fmt::format("must be one of Mon, Tue, Wed, Thu, Fri, Sat, Sun "
                                 R"((got "{}"))",
                                 *text));
    }
    bool& day = days[it - std::begin(kWeekdayNames)];
    if (day) return s.Error(node, key, fmt::format(R"(duplicate weekday "{}")", *text));
    day = true;
  }
  *out = days;
  return absl::OkStatus();
}

// allocation = "tse" | "time" | "pro-rata".
absl::Status ReadAllocation(const Scope& s, AllocationRule* out) {
  const toml::node* node = s.Get("allocation");
  if (node == nullptr) return absl::OkStatus();
  const std::string* text = nullptr;
  CCX_CONFIG_TRY(GetString(s, *node, "allocation", "a string", &text));
  for (AllocationRule r : {AllocationRule::kTse, AllocationRule::kTime, AllocationRule::kProRata}) {
    if (*text == ToString(r)) {
      *out = r;
      return absl::OkStatus();
    }
  }
  return s.Error(node, "allocation",
                 fmt::format(R"(must be "tse", "time" or "pro-rata" (got "{}"))", *text));
}

// The keys that [market.defaults] and [[category]] share, each checked on its own, then
// max_order_qty against unit (reported at whichever of the two this table sets).
absl::Status ReadSharedKeys(const Scope& s, CategoryConfig* c) {
  CCX_CONFIG_TRY(ReadSessions(s, &c->sessions));
  CCX_CONFIG_TRY(ReadWeekdays(s, &c->weekdays));
  CCX_CONFIG_TRY(ReadInt(s, "band_percent", 1, 100, &c->band_percent));
  CCX_CONFIG_TRY(ReadInt(s, "tick", 1, kMaxPrice, &c->tick));
  CCX_CONFIG_TRY(ReadInt(s, "unit", 1, kMaxQty, &c->unit));
  CCX_CONFIG_TRY(ReadInt(s, "max_order_qty", 1, kMaxQty, &c->max_order_qty));
  CCX_CONFIG_TRY(ReadAllocation(s, &c->allocation));
  CCX_CONFIG_TRY(ReadInt(s, "max_resting_orders", 1, kMaxRestingOrders, &c->max_resting_orders));
  CCX_CONFIG_TRY(ReadInt(s, "mm_min_size", 1, kMaxQty, &c->mm_obligation.min_size));
  CCX_CONFIG_TRY(ReadInt(s, "mm_max_spread_percent", 0, 100, &c->mm_obligation.max_spread_percent));
  CCX_CONFIG_TRY(ReadInt(s, "mm_max_spread_yen", 0, kMaxPrice, &c->mm_obligation.max_spread_yen));
  CCX_CONFIG_TRY(ReadInt(s, "mm_min_presence_percent", 0, 100, &c->mm_obligation.min_presence_percent));
  if (c->max_order_qty % c->unit != 0) {
    const char* key = s.Get("max_order_qty") != nullptr ? "max_order_qty" : "unit";
    return s.Error(s.Get(key), key,
                   fmt::format("max_order_qty ({}) must be a multiple of unit ({})",
                               c->max_order_qty, c->unit));
  }
  return absl::OkStatus();
}

// reference_price (required), floor and ceiling (0 = none): on the tick grid, at most
// kMaxPrice, floor < ceiling, the reference price inside them.
absl::Status ReadPrices(const Scope& s, CategoryConfig* c) {
  auto read = [&](std::string_view key, bool zero_ok, Price* out) -> absl::Status {
    const toml::node* node = s.Get(key);
    if (node == nullptr) return zero_ok ? absl::OkStatus() : s.Missing(key);
    const auto* v = node->as_integer();
    if (v == nullptr) return s.WrongType(*node, key, "an integer");
    const int64_t p = v->get();
    if (p < 0 || (p == 0 && !zero_ok) || p % c->tick != 0) {
      return s.Error(node, key,
                     fmt::format("must be {}a positive multiple of tick (got {}{})",
                                 zero_ok ? "0 (none) or " : "", p,
                                 c->tick == 1 ? "" : fmt::format(", tick {}", c->tick)));
    }
    if (p > kMaxPrice) {
      return s.Error(node, key, fmt::format("must be at most {} (got {})", kMaxPrice, p));
    }
    *out = static_cast<Price>(p);
    return absl::OkStatus();
  };
  CCX_CONFIG_TRY(read("reference_price", false, &c->reference_price));
  CCX_CONFIG_TRY(read("floor", true, &c->floor));
  CCX_CONFIG_TRY(read("ceiling", true, &c->ceiling));
  if (c->floor > 0 && c->ceiling > 0 && c->floor >= c->ceiling) {
    return s.Error(s.Get("ceiling"), "ceiling",
                   fmt::format("must be above floor {} (got {})", c->floor, c->ceiling));
  }
  const toml::node* ref = s.Get("reference_price");
  if (c->floor > 0 && c->reference_price < c->floor) {
    return s.Error(
        ref, "reference_price",
        fmt::format("must not be below floor {} (got {})", c->floor, c->reference_price));
  }
  if (c->ceiling > 0 && c->reference_price > c->ceiling) {
    return s.Error(
        ref, "reference_price",
        fmt::format("must not be above ceiling {} (got {})", c->ceiling, c->reference_price));
  }
  return absl::OkStatus();
}

// market_makers = ["mm0001", ...]: SoupBinTCP usernames (1–6 characters), no duplicates.
absl::Status ReadMarketMakers(const Scope& s, std::vector<std::string>* out) {
  const toml::array* arr = nullptr;
  CCX_CONFIG_TRY(GetArray(s, "market_makers", &arr));
  for (size_t i = 0; arr != nullptr && i < arr->size(); ++i) {
    const std::string key = fmt::format("market_makers[{}]", i);
    const toml::node* node = arr->get(i);
    const std::string* text = nullptr;
    CCX_CONFIG_TRY(GetString(s, *node, key, "a string", &text));
    if (!IsToken(*text, kMaxUsernameLength)) {
      return s.Error(node, key,
                     fmt::format("must be a username of 1 to 6 printable ASCII "
                                 R"(characters without spaces (got "{}"))",
                                 *text));
    }
    if (std::find(out->begin(), out->end(), *text) != out->end()) {
      return s.Error(node, key, fmt::format(R"(duplicate market maker "{}")", *text));
    }
    out->push_back(*text);
  }
  return absl::OkStatus();
}

// One [[category]] table (scope labelled "category #N" until its code is known) on top of
// `defaults`. `codes` maps the codes seen so far to their line, to reject duplicates.
absl::StatusOr<CategoryConfig> ReadCategory(const Scope& s, const CategoryConfig& defaults,
                                            absl::flat_hash_map<std::string, uint32_t>* codes) {
  CategoryConfig c = defaults;
  CCX_CONFIG_TRY(ReadText(s, "code", true, &c.code));
  const toml::node* code = s.Get("code");
  if (!IsToken(c.code, kMaxCodeLength)) {
    return s.Error(code, "code",
                   fmt::format("must be 1 to 8 printable ASCII characters without "
                               R"(spaces (got "{}"))",
                               c.code));
  }
  if (auto [it, fresh] = codes->try_emplace(c.code, code->source().begin.line); !fresh) {
    return s.Error(
        code, "code",
        fmt::format(R"(duplicate category code "{}" (first at line {}))", c.code, it->second));
  }
  const Scope named = s.Relabel("category " + c.code);
  CCX_CONFIG_TRY(named.CheckKeys({"code", "name_en", "name_ja", "program", "reference_price",
                                  "floor", "ceiling", "market_makers", CCX_SHARED_KEYS}));
  CCX_CONFIG_TRY(ReadText(named, "name_en", true, &c.name_en));
  CCX_CONFIG_TRY(ReadText(named, "name_ja", true, &c.name_ja));
  CCX_CONFIG_TRY(ReadText(named, "program", true, &c.program));
  CCX_CONFIG_TRY(ReadSharedKeys(named, &c));
  CCX_CONFIG_TRY(ReadPrices(named, &c));
  c.market_makers.clear();
  CCX_CONFIG_TRY(ReadMarketMakers(named, &c.market_makers));
  return c;
}

// extra_closures = ["YYYY-MM-DD", ...]: real dates, no duplicates, kept in file order.
absl::Status ReadClosures(const Scope& s, std::vector<absl::CivilDay>* out) {
  const toml::array* arr = nullptr;
  CCX_CONFIG_TRY(GetArray(s, "extra_closures", &arr));
  for (size_t i = 0; arr != nullptr && i < arr->size(); ++i) {
    const std::string key = fmt::format("extra_closures[{}]", i);
    const toml::node* node = arr->get(i);
    const std::string* text = nullptr;
    CCX_CONFIG_TRY(GetString(s, *node, key, R"(a string "YYYY-MM-DD")", &text));
    absl::CivilDay day;
    if (!config_internal::ParseIsoDay(*text, &day)) {
      return s.Error(node, key,
                     fmt::format(R"(must be a date "YYYY-MM-DD" from 1980 to 2099 )"
                                 R"((got "{}"))",
                                 *text));
    }
    if (std::find(out->begin(), out->end(), day) != out->end()) {
      return s.Error(node, key, fmt::format("duplicate date {}", *text));
    }
    out->push_back(day);
  }
  return absl::OkStatus();
}

// The optional [market] table and its optional [market.defaults] into `config` and
// `defaults`. `top` is the scope of the document root.
absl::Status ReadMarket(const Scope& top, MarketConfig* config, CategoryConfig* defaults) {
  const toml::node* node = top.Get("market");
  if (node == nullptr) return absl::OkStatus();
  if (!node->is_table()) return top.WrongType(*node, "market", "a table ([market])");
  const Scope s = top.Child("market", *node->as_table());
  CCX_CONFIG_TRY(s.CheckKeys({"name", "utc_offset", "extra_closures", "defaults"}));
  CCX_CONFIG_TRY(ReadText(s, "name", false, &config->name));
  if (const toml::node* off = s.Get("utc_offset"); off != nullptr) {
    const std::string* text = nullptr;
    CCX_CONFIG_TRY(GetString(s, *off, "utc_offset", R"(a string "+HH:MM")", &text));
    if (!config_internal::ParseUtcOffset(*text, &config->utc_offset_minutes)) {
      return s.Error(off, "utc_offset",
                     fmt::format(R"(must be "+HH:MM" or "-HH:MM" from -12:00 )"
                                 R"(to +14:00 (got "{}"))",
                                 *text));
    }
  }
  CCX_CONFIG_TRY(ReadClosures(s, &config->extra_closures));
  const toml::node* d = s.Get("defaults");
  if (d == nullptr) return absl::OkStatus();
  if (!d->is_table()) return s.WrongType(*d, "defaults", "a table ([market.defaults])");
  const Scope ds = top.Child("market.defaults", *d->as_table());
  CCX_CONFIG_TRY(ds.CheckKeys({CCX_SHARED_KEYS}));
  return ReadSharedKeys(ds, defaults);
}

}  // namespace

int MarketConfig::FindCategory(std::string_view code) const {
  for (size_t i = 0; i < categories.size(); ++i) {
    if (categories[i].code == code) return static_cast<int>(i);
  }
  return -1;
}

std::string FormatMinuteOfDay(MinuteOfDay m) {
  const int64_t a = m < 0 ? -int64_t{m} : m;
  return fmt::format("{}{:02}:{:02}", m < 0 ? "-" : "", a / 60, a % 60);
}

absl::StatusOr<MarketConfig> ParseMarketConfig(std::string_view toml_text,
                                               std::string_view source_name) {
  auto parsed = config_internal::ParseToml(toml_text, source_name);
  if (!parsed.ok()) return parsed.status();
  const toml::table& root = *parsed;
  const Scope top(source_name, "", root);
  // [[participant]] and [exchange] belong to the gateway (gateway/core/participants.h),
  // [settlement] and [[deposit]] to settlement/, [surveillance] to surveillance/,
  // [market_data] to marketdata/.
  CCX_CONFIG_TRY(top.CheckKeys({"market", "category", "participant", "exchange", "settlement",
                                "deposit", "surveillance", "market_data"}));
  MarketConfig config;
  CategoryConfig defaults;
  defaults.sessions = {Session{8 * 60, 11 * 60 + 30}, Session{12 * 60 + 30, 15 * 60}};
  CCX_CONFIG_TRY(ReadMarket(top, &config, &defaults));

  const toml::node* node = top.Get("category");
  if (node == nullptr) {
    return top.Error(nullptr, "category", "at least one [[category]] is required");
  }
  const toml::array* cats = node->as_array();
  if (cats == nullptr) return top.WrongType(*node, "category", "an array of tables ([[category]])");
  if (cats->empty()) return top.Error(node, "category", "at least one [[category]] is required");
  if (cats->size() > kMaxCategories) {
    return top.Error(node, "category", fmt::format("at most {} categories", kMaxCategories));
  }
  absl::flat_hash_map<std::string, uint32_t> codes;
  for (size_t i = 0; i < cats->size(); ++i) {
    const std::string label = fmt::format("category #{}", i + 1);
    const toml::table* t = cats->get(i)->as_table();
    if (t == nullptr) return top.WrongType(*cats->get(i), label, "a table ([[category]])");
    absl::StatusOr<CategoryConfig> c = ReadCategory(top.Child(label, *t), defaults, &codes);
    if (!c.ok()) return c.status();
    config.categories.push_back(*std::move(c));
  }
  return config;
}

absl::StatusOr<std::string> ReadConfigText(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return absl::InvalidArgumentError(fmt::format("{}: cannot read: is a directory", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    const std::string msg = fmt::format("{}: cannot open: {}", path, std::strerror(err));
    return err == ENOENT ? absl::NotFoundError(msg) : absl::InvalidArgumentError(msg);
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return absl::InvalidArgumentError(fmt::format("{}: read error", path));
  return text.str();
}

absl::StatusOr<MarketConfig> LoadMarketConfig(const std::string& path) {
  auto text = ReadConfigText(path);
  if (!text.ok()) return text.status();
  return ParseMarketConfig(*text, path);
}

}  // namespace ccx

#undef CCX_SHARED_KEYS
#undef CCX_CONFIG_TRY
