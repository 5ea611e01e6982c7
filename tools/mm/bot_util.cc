#include "tools/mm/bot_util.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "fmt/format.h"
#include "gateway/core/participants.h"

namespace ccx::bots {

absl::StatusOr<std::pair<std::string, uint16_t>> ParseHostPort(std::string_view text,
                                                               std::string_view option) {
  const size_t colon = text.rfind(':');
  uint32_t port = 0;
  if (colon == std::string_view::npos || colon == 0 ||
      !absl::SimpleAtoi(std::string(text.substr(colon + 1)), &port) || port > 65535) {
    return absl::InvalidArgumentError(
        fmt::format("{}: expected HOST:PORT, e.g. 127.0.0.1:26402 (got '{}')", option, text));
  }
  return std::pair<std::string, uint16_t>(std::string(text.substr(0, colon)),
                                          static_cast<uint16_t>(port));
}

absl::StatusOr<uint64_t> ParseTimeOfDay(std::string_view text) {
  std::vector<std::string> parts = absl::StrSplit(std::string(text), ':');
  uint32_t v[3] = {0, 0, 0};
  bool ok = parts.size() == 2 || parts.size() == 3;
  for (size_t i = 0; ok && i < parts.size(); ++i) {
    ok = parts[i].size() == 2 && absl::SimpleAtoi(parts[i], &v[i]);
  }
  if (!ok || v[0] > 23 || v[1] > 59 || v[2] > 59) {
    return absl::InvalidArgumentError(
        fmt::format("expected a time of day HH:MM or HH:MM:SS (got '{}')", text));
  }
  return (uint64_t{v[0]} * 3600 + v[1] * 60 + v[2]) * 1'000'000'000ULL;
}

std::string FormatTimeOfDay(uint64_t ns) {
  const uint64_t s = ns / 1'000'000'000ULL;
  return fmt::format("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
}

std::string Thousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

absl::StatusOr<std::vector<std::string>> DesignatedCategories(const std::string& config_path,
                                                              const MarketConfig& market,
                                                              const std::string& user) {
  auto reg = LoadParticipants(config_path, market);
  if (!reg.ok()) return reg.status();
  const Participant* p = reg->FindByUsername(user);
  std::vector<std::string> out;
  for (const CategoryConfig& c : market.categories) {
    if (IsDesignatedMaker(c, user, p)) out.push_back(c.code);
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> ParseCategoryList(std::string_view text,
                                                           const MarketConfig& market) {
  std::vector<std::string> out;
  const std::vector<std::string> codes = absl::StrSplit(std::string(text), ',', absl::SkipWhitespace());
  for (std::string code : codes) {
    absl::StripAsciiWhitespace(&code);
    if (market.FindCategory(code) < 0) {
      std::string known;
      for (const auto& c : market.categories) known += (known.empty() ? "" : ", ") + c.code;
      return absl::InvalidArgumentError(
          fmt::format("--categories: unknown category '{}' (known: {})", code, known));
    }
    if (std::find(out.begin(), out.end(), code) == out.end()) out.push_back(code);
  }
  if (out.empty()) return absl::InvalidArgumentError("--categories: no category named");
  return out;
}

absl::StatusOr<md::FeedSubscriberOptions> FeedOptions(const std::string& md_listen, const std::string& md_group,
                                                      const std::string& retrans, const std::string& snapshot) {
  if (!md_listen.empty() && !md_group.empty()) {
    return absl::InvalidArgumentError("give --md-listen or --md-group, not both");
  }
  const std::pair<const char*, const std::string*> given[] = {
      {"--md-listen", &md_listen}, {"--md-group", &md_group}, {"--retrans", &retrans}, {"--snapshot", &snapshot}};
  for (const auto& [name, value] : given) {
    if (value->empty()) continue;
    if (auto hp = ParseHostPort(*value, name); !hp.ok()) return hp.status();
  }
  md::FeedSubscriberOptions o;
  o.listen = md_listen;
  o.group = md_listen.empty() ? (md_group.empty() ? "239.255.42.1:30001" : md_group) : "";
  o.retrans = retrans;
  o.snapshot = snapshot;
  return o;
}

}  // namespace ccx::bots
