// Internal to engine/config (includes toml++, which ccx_engine links privately): typed,
// validating reads of TOML tables whose errors name the source, the line and the key,
// and the small text parsers of the configuration ("HH:MM", "+09:00", "YYYY-MM-DD").
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "engine/config/market_config.h"
#include "fmt/format.h"

namespace ccx::config_internal {

/// Parses TOML `text`; a syntax error reads "SOURCE:LINE:COLUMN: TOML syntax error: WHAT".
absl::StatusOr<toml::table> ParseToml(std::string_view text, std::string_view source_name);

/// "integer", "string", "table", ... for messages such as "must be an integer (got string)".
std::string_view TypeName(const toml::node& node);

/// One TOML table being read, with the words that locate it in error messages. Holds
/// references: `source` and `table` must outlive the Scope.
class Scope {
 public:
  Scope(std::string_view source, std::string label, const toml::table& table)
      : source_(source), label_(std::move(label)), table_(table) {}

  /// The table read.
  const toml::table& table() const { return table_; }
  /// This scope with another label (e.g. "category JCEE" once the code is known).
  Scope Relabel(std::string label) const { return Scope(source_, std::move(label), table_); }
  /// A scope for `table` (nested in this one) in the same source.
  Scope Child(std::string label, const toml::table& table) const {
    return Scope(source_, std::move(label), table);
  }
  /// The value of `key`, or nullptr when absent.
  const toml::node* Get(std::string_view key) const { return table_.get(key); }

  /// InvalidArgument "source:line: label: key: message" at the line of `at`, or at the line
  /// of this table when `at` is null (the line is left out when unknown).
  absl::Status Error(const toml::node* at, std::string_view key, std::string_view msg) const;
  /// "key: missing", at the line of this table.
  absl::Status Missing(std::string_view key) const { return Error(nullptr, key, "missing"); }
  /// "key: must be <expected> (got <type>)", at the line of `at`.
  absl::Status WrongType(const toml::node& at, std::string_view key,
                         std::string_view expected) const;
  /// Rejects the first key (in file order) not in `allowed`, so that typos do not pass.
  absl::Status CheckKeys(std::initializer_list<std::string_view> allowed) const;

 private:
  std::string_view source_;
  std::string label_;
  const toml::table& table_;
};

/// Reads the optional integer `key` within [lo, hi] into *out; *out is untouched when the
/// key is absent. `T` must hold every value of [lo, hi].
template <typename T>
absl::Status ReadInt(const Scope& s, std::string_view key, int64_t lo, int64_t hi, T* out) {
  const toml::node* node = s.Get(key);
  if (node == nullptr) return absl::OkStatus();
  const auto* v = node->as_integer();
  if (v == nullptr) return s.WrongType(*node, key, "an integer");
  if (v->get() < lo || v->get() > hi) {
    return s.Error(node, key, fmt::format("must be from {} to {} (got {})", lo, hi, v->get()));
  }
  *out = static_cast<T>(v->get());
  return absl::OkStatus();
}

/// Reads the string `key` into *out (untouched when absent and not `required`). The text
/// must be non-empty and free of control characters (it goes into reports).
absl::Status ReadText(const Scope& s, std::string_view key, bool required, std::string* out);

/// Sets *out to the array `key`, or to nullptr when absent; an error when not an array.
absl::Status GetArray(const Scope& s, std::string_view key, const toml::array** out);

/// Sets *out to the string at `node`; an error naming `key` when it is not a string.
absl::Status GetString(const Scope& s, const toml::node& node, std::string_view key,
                       std::string_view expected, const std::string** out);

/// True for 1 to `max_len` printable ASCII characters without spaces.
bool IsToken(std::string_view text, size_t max_len);

/// Parses exactly "HH:MM" (00:00 to 23:59) into minutes after midnight.
bool ParseClock(std::string_view text, MinuteOfDay* out);

/// Parses "+HH:MM" or "-HH:MM", from -12:00 to +14:00, into minutes east of UTC.
bool ParseUtcOffset(std::string_view text, int32_t* out);

/// Parses "YYYY-MM-DD": a real calendar date of 1980–2099 (the holiday calendar's range).
bool ParseIsoDay(std::string_view text, absl::CivilDay* out);

}  // namespace ccx::config_internal
