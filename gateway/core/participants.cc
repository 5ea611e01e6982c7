#include "gateway/core/participants.h"

#include <algorithm>

#include <sodium.h>

#include <toml++/toml.h>

#include "fmt/format.h"

namespace ccx {
namespace {

std::string Where(const std::string& path, const toml::node& n, std::string_view key) {
  return fmt::format("{}:{}: {}", path, n.source().begin.line, key);
}

absl::Status Bad(const std::string& where, std::string_view what) {
  return absl::InvalidArgumentError(fmt::format("{}: {}", where, what));
}

bool SodiumReady() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

absl::StatusOr<std::string> String(const std::string& path, const toml::table& t,
                                   std::string_view key, bool required) {
  const toml::node* n = t.get(key);
  if (n == nullptr) {
    if (required) return Bad(Where(path, t, key), "missing");
    return std::string();
  }
  if (!n->is_string()) return Bad(Where(path, *n, key), "must be a string");
  return std::string(*n->value<std::string>());
}

}  // namespace

const Participant* ParticipantRegistry::FindByUsername(std::string_view username) const {
  while (!username.empty() && username.back() == ' ') username.remove_suffix(1);
  while (!username.empty() && username.front() == ' ') username.remove_prefix(1);
  for (const auto& p : participants) {
    if (p.username == username) return &p;
  }
  return nullptr;
}

absl::StatusOr<ParticipantRegistry> LoadParticipants(const std::string& path,
                                                     const MarketConfig& market) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Bad(fmt::format("{}{}{}", path, ":", e.source().begin.line), e.description());
  }
  ParticipantRegistry reg;
  if (const toml::node* ex = root.get("exchange")) {
    if (!ex->is_table()) return Bad(Where(path, *ex, "exchange"), "must be a table");
    for (const auto& [k, v] : *ex->as_table()) {
      if (k.str() == "max_messages_per_second") {
        const auto x = v.value<int64_t>();
        if (!x || *x < 0 || *x > 100'000'000) {
          return Bad(Where(path, v, "exchange.max_messages_per_second"),
                     "must be an integer from 0 (unlimited) to 100000000");
        }
        reg.gateway.max_messages_per_second = static_cast<uint32_t>(*x);
      } else {
        return Bad(Where(path, v, fmt::format("{}{}", "exchange.", k.str())),
                   "unknown key (expected one of: max_messages_per_second)");
      }
    }
  }
  const toml::node* list = root.get("participant");
  if (list == nullptr) return reg;
  if (!list->is_array_of_tables()) {
    return Bad(Where(path, *list, "participant"), "must be an array of tables [[participant]]");
  }
  for (const toml::node& node : *list->as_array()) {
    const toml::table& t = *node.as_table();
    Participant p;
    p.id = static_cast<ParticipantId>(reg.participants.size());
    for (const auto& [k, v] : t) {
      static const char* kKeys[] = {"username", "name", "password_hash", "firm",
                                    "categories", "market_maker"};
      bool known = false;
      for (const char* key : kKeys) known = known || k.str() == key;
      if (!known) {
        return Bad(Where(path, v, fmt::format("{}{}", "participant.", k.str())),
                   "unknown key (expected one of: username, name, password_hash, firm, "
                   "categories, market_maker)");
      }
    }
    auto user = String(path, t, "username", true);
    if (!user.ok()) return user.status();
    p.username = *user;
    const std::string w = Where(path, t, fmt::format("{}{}", "participant ", p.username));
    if (p.username.empty() || p.username.size() > 6 || p.username.find(' ') != std::string::npos) {
      return Bad(w, "username: must be 1 to 6 characters without spaces");
    }
    if (reg.FindByUsername(p.username) != nullptr) return Bad(w, "username: duplicate");
    auto name = String(path, t, "name", false);
    if (!name.ok()) return name.status();
    p.name = name->empty() ? p.username : *name;
    auto hash = String(path, t, "password_hash", true);
    if (!hash.ok()) return hash.status();
    p.password_hash = *hash;
    if (p.password_hash.rfind("$argon2", 0) != 0) {
      return Bad(w, "password_hash: must be a libsodium crypto_pwhash_str hash "
                    "(make one with `ccx-exchange hash-password`)");
    }
    auto firm = String(path, t, "firm", true);
    if (!firm.ok()) return firm.status();
    p.firm = *firm;
    if (p.firm.empty() || p.firm.size() > 4) return Bad(w, "firm: must be 1 to 4 characters");
    p.categories.assign(market.categories.size(), false);
    const toml::node* cats = t.get("categories");
    if (cats == nullptr) {
      p.categories.assign(market.categories.size(), true);
    } else {
      if (!cats->is_array()) return Bad(w, "categories: must be an array of category codes");
      for (const toml::node& c : *cats->as_array()) {
        const auto code = c.value<std::string>();
        if (!code) return Bad(w, "categories: must be an array of category codes");
        if (*code == "*") {
          p.categories.assign(market.categories.size(), true);
          continue;
        }
        const int idx = market.FindCategory(*code);
        if (idx < 0) return Bad(w, fmt::format("{}{}{}", "categories: unknown category \"", *code, "\""));
        p.categories[idx] = true;
      }
    }
    if (const toml::node* mm = t.get("market_maker")) {
      if (!mm->is_array()) return Bad(w, "market_maker: must be an array of category codes");
      for (const toml::node& c : *mm->as_array()) {
        const auto code = c.value<std::string>();
        if (!code || market.FindCategory(*code) < 0) {
          return Bad(w, "market_maker: must list known category codes");
        }
        p.market_maker_in.push_back(*code);
      }
    }
    reg.participants.push_back(std::move(p));
  }
  return reg;
}

bool IsDesignatedMaker(const CategoryConfig& category, std::string_view username,
                       const Participant* participant) {
  const auto& named = category.market_makers;
  if (std::find(named.begin(), named.end(), username) != named.end()) return true;
  return participant != nullptr &&
         std::find(participant->market_maker_in.begin(), participant->market_maker_in.end(),
                   category.code) != participant->market_maker_in.end();
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  if (!SodiumReady()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

absl::StatusOr<std::string> HashPassword(std::string_view password, bool demo_cost) {
  if (!SodiumReady()) return absl::InternalError("libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES];
  const unsigned long long ops = demo_cost ? 2 : crypto_pwhash_OPSLIMIT_INTERACTIVE;
  const size_t mem = demo_cost ? (8u << 20) : crypto_pwhash_MEMLIMIT_INTERACTIVE;
  if (crypto_pwhash_str(out, password.data(), password.size(), ops, mem) != 0) {
    return absl::ResourceExhaustedError("out of memory while hashing the password");
  }
  return std::string(out);
}

}  // namespace ccx
