// Participants of the exchange (who may log in over SoupBinTCP, as which firm, in which
// categories), read from the `[[participant]]` tables of the market configuration file.
// Passwords are stored only as libsodium password hashes (crypto_pwhash_str, Argon2id).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/config/market_config.h"
#include "engine/core/types.h"

namespace ccx {

struct Participant {
  ParticipantId id = 0;       ///< dense index, the engine's ParticipantId
  std::string username;       ///< SoupBinTCP username, 1–6 characters
  std::string name;           ///< display name
  std::string password_hash;  ///< crypto_pwhash_str string ("$argon2id$...")
  std::string firm;           ///< firm code, 1–4 characters (OUCH `Firm`)
  /// Permitted categories by CategoryId (all true when the file says ["*"]).
  std::vector<bool> categories;
  /// Categories in which this participant is a designated market maker.
  std::vector<std::string> market_maker_in;
};

/// Exchange-level settings of the gateway (the `[exchange]` table).
struct GatewaySettings {
  /// Inbound OUCH messages per second per session before reject `q` (0 = unlimited).
  uint32_t max_messages_per_second = 5000;
};

struct ParticipantRegistry {
  std::vector<Participant> participants;
  GatewaySettings gateway;

  /// The participant with this username (exact match after trimming spaces), or nullptr.
  const Participant* FindByUsername(std::string_view username) const;
};

/// Reads `[[participant]]` and `[exchange]` from the configuration file at `path`;
/// category names are checked against `market`. Errors name the file, line and key.
absl::StatusOr<ParticipantRegistry> LoadParticipants(const std::string& path,
                                                     const MarketConfig& market);

/// Whether `username` is a designated market maker in `category` (MARKET_RULES §7): named
/// in the category's `market_makers`, or the category is in the participant's own
/// `market_maker` list (`participant` may be null, e.g. for a username not configured).
bool IsDesignatedMaker(const CategoryConfig& category, std::string_view username,
                       const Participant* participant);

/// True when `password` matches the stored `hash` (constant time, libsodium).
bool VerifyPassword(const std::string& hash, std::string_view password);

/// A new crypto_pwhash_str hash of `password` (Argon2id, interactive limits). Slow on
/// purpose (~0.1 s); for the `ccx-exchange hash-password` command, not for the hot path.
/// `demo_cost` uses small limits (8 MiB, 2 passes): for the shipped demo participants only.
absl::StatusOr<std::string> HashPassword(std::string_view password, bool demo_cost = false);

}  // namespace ccx
