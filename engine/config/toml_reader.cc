#include "engine/config/toml_reader.h"

#include <algorithm>
#include <limits>

#include "fmt/ranges.h"

namespace ccx::config_internal {

absl::StatusOr<toml::table> ParseToml(std::string_view text, std::string_view source_name) {
  try {
    return toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    return absl::InvalidArgumentError(fmt::format("{}:{}:{}: TOML syntax error: {}", source_name,
                                                  e.source().begin.line, e.source().begin.column,
                                                  e.description()));
  }
}

std::string_view TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "table";
    case toml::node_type::array:
      return "array";
    case toml::node_type::string:
      return "string";
    case toml::node_type::integer:
      return "integer";
    case toml::node_type::floating_point:
      return "float";
    case toml::node_type::boolean:
      return "boolean";
    case toml::node_type::date:
      return "date";
    case toml::node_type::time:
      return "time";
    case toml::node_type::date_time:
      return "date-time";
    default:
      return "nothing";
  }
}

absl::Status Scope::Error(const toml::node* at, std::string_view key, std::string_view msg) const {
  const uint32_t line = (at != nullptr ? at : &table_)->source().begin.line;
  std::string text(source_);
  if (line > 0) text += fmt::format(":{}", line);
  text += ": ";
  if (!label_.empty()) text += fmt::format("{}: ", label_);
  text += fmt::format("{}: {}", key, msg);
  return absl::InvalidArgumentError(text);
}

absl::Status Scope::WrongType(const toml::node& at, std::string_view key,
                              std::string_view expected) const {
  return Error(&at, key, fmt::format("must be {} (got {})", expected, TypeName(at)));
}

absl::Status Scope::CheckKeys(std::initializer_list<std::string_view> allowed) const {
  // toml::table iterates in key order; report the unknown key that comes first in the file.
  const toml::node* first = nullptr;
  std::string_view first_key;
  uint32_t first_line = std::numeric_limits<uint32_t>::max();
  for (auto&& [key, value] : table_) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
    const uint32_t line = key.source().begin.line;
    if (first == nullptr || line < first_line) {
      first = &value;
      first_key = key.str();
      first_line = line;
    }
  }
  if (first == nullptr) return absl::OkStatus();
  return Error(first, first_key,
               fmt::format("unknown key (expected one of: {})", fmt::join(allowed, ", ")));
}

absl::Status ReadText(const Scope& s, std::string_view key, bool required, std::string* out) {
  const toml::node* node = s.Get(key);
  if (node == nullptr) return required ? s.Missing(key) : absl::OkStatus();
  const std::string* text = nullptr;
  if (absl::Status st = GetString(s, *node, key, "a string", &text); !st.ok()) return st;
  if (text->empty()) return s.Error(node, key, "must not be empty");
  for (unsigned char c : *text) {
    if (c < 0x20 || c == 0x7f) return s.Error(node, key, "must not contain control characters");
  }
  *out = *text;
  return absl::OkStatus();
}

absl::Status GetArray(const Scope& s, std::string_view key, const toml::array** out) {
  const toml::node* node = s.Get(key);
  *out = nullptr;
  if (node == nullptr) return absl::OkStatus();
  *out = node->as_array();
  return *out == nullptr ? s.WrongType(*node, key, "an array") : absl::OkStatus();
}

absl::Status GetString(const Scope& s, const toml::node& node, std::string_view key,
                       std::string_view expected, const std::string** out) {
  const auto* v = node.as_string();
  if (v == nullptr) return s.WrongType(node, key, expected);
  *out = &v->get();
  return absl::OkStatus();
}

bool IsToken(std::string_view text, size_t max_len) {
  if (text.empty() || text.size() > max_len) return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

namespace {

// Reads `n` decimal digits at text[pos...] into *out; false on any non-digit.
bool Digits(std::string_view text, size_t pos, size_t n, int* out) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
    v = v * 10 + (text[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

bool ParseClock(std::string_view text, MinuteOfDay* out) {
  int h = 0, m = 0;
  if (text.size() != 5 || text[2] != ':' || !Digits(text, 0, 2, &h) || !Digits(text, 3, 2, &m)) {
    return false;
  }
  if (h > 23 || m > 59) return false;
  *out = h * 60 + m;
  return true;
}

bool ParseUtcOffset(std::string_view text, int32_t* out) {
  MinuteOfDay m = 0;
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-')) return false;
  if (!ParseClock(text.substr(1), &m)) return false;
  if (text[0] == '-') m = -m;
  if (m < -12 * 60 || m > 14 * 60) return false;
  *out = m;
  return true;
}

bool ParseIsoDay(std::string_view text, absl::CivilDay* out) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !Digits(text, 0, 4, &y) ||
      !Digits(text, 5, 2, &m) || !Digits(text, 8, 2, &d)) {
    return false;
  }
  const absl::CivilDay day(y, m, d);  // normalizes, e.g. 2025-02-30 → 2025-03-02
  if (y < 1980 || y > 2099 || day.month() != m || day.day() != d) return false;
  *out = day;
  return true;
}

}  // namespace ccx::config_internal
