// The gateway's pure parts: the participant tables of the configuration and the
// deterministic order-entry core (replaying the same inputs rebuilds identical streams).
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "gateway/core/order_entry.h"
#include "tools/lib/ouch_client.h"

using namespace ccx;

namespace {

std::string Shipped() { return std::string(CCX_SOURCE_ROOT) + "/config/market.toml"; }

std::string WriteConfig(const std::string& extra) {
  std::ifstream in(Shipped());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto cut = text.find("[exchange]");
  REQUIRE(cut != std::string::npos);
  text = text.substr(0, cut) + extra;
  const auto path = std::filesystem::temp_directory_path() /
                    ("ccx-participants-" + std::to_string(std::random_device{}()) + ".toml");
  std::ofstream(path) << text;
  return path.string();
}

std::string LoadError(const std::string& extra) {
  const std::string path = WriteConfig(extra);
  auto market = LoadMarketConfig(path);
  REQUIRE(market.ok());
  auto reg = LoadParticipants(path, *market);
  std::filesystem::remove(path);
  REQUIRE_FALSE(reg.ok());
  return std::string(reg.status().message());
}

std::vector<uint8_t> Ouch(ParticipantId who, const ouch::Inbound& m) {
  OuchInput in;
  in.participant = who;
  in.length = static_cast<uint8_t>(ouch::Encode(m, in.message));
  const auto* p = reinterpret_cast<const uint8_t*>(&in);
  return std::vector<uint8_t>(p, p + sizeof in);
}

}  // namespace

TEST_CASE("the shipped participants load and verify their demo passwords", "[gateway]") {
  auto market = LoadMarketConfig(Shipped());
  REQUIRE(market.ok());
  auto reg = LoadParticipants(Shipped(), *market);
  REQUIRE(reg.ok());
  REQUIRE(reg->participants.size() == 13);
  const Participant* p = reg->FindByUsername("PART01");
  REQUIRE(p != nullptr);
  CHECK(p->firm == "P001");
  CHECK(VerifyPassword(p->password_hash, "part01"));
  CHECK_FALSE(VerifyPassword(p->password_hash, "part02"));
  CHECK(reg->FindByUsername("MM0001")->market_maker_in.size() == 7);
}

TEST_CASE("broken participant tables name the line and the key", "[gateway]") {
  const std::string hash = "$argon2id$v=19$m=8192,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
  CHECK(LoadError("[[participant]]\nusername = \"TOOLONGNAME\"\npassword_hash = \"" + hash +
                  "\"\nfirm = \"F1\"\n")
            .find("username") != std::string::npos);
  const std::string e = LoadError("[[participant]]\nusername = \"U1\"\npassword_hash = \"" + hash +
                                  "\"\nfirm = \"F1\"\ncategories = [\"NOPE\"]\n");
  CHECK(e.find("unknown category \"NOPE\"") != std::string::npos);
  CHECK(e.find(".toml:") != std::string::npos);
  CHECK(LoadError("[[participant]]\nusername = \"U1\"\npassword_hash = \"plain\"\nfirm = \"F1\"\n")
            .find("password_hash") != std::string::npos);
  CHECK(LoadError("[exchange]\nmax_messages_per_secnd = 5\n").find("unknown key") != std::string::npos);
}

TEST_CASE("replaying the same inputs rebuilds identical outbound streams", "[gateway]") {
  auto market = LoadMarketConfig(Shipped());
  auto reg = LoadParticipants(Shipped(), *market);
  REQUIRE(reg.ok());
  struct Input {
    InputKind kind;
    Timestamp t;
    std::vector<uint8_t> payload;
  };
  std::vector<Input> inputs;
  std::mt19937_64 rng(9);
  Timestamp t = LocalToTimestamp(absl::CivilDay(2026, 11, 20), 8 * 60 + 30, 540);
  for (int i = 0; i < 3000; ++i) {
    t += static_cast<Timestamp>(rng() % 10'000'000'000ull);  // up to 10 s
    const auto who = static_cast<ParticipantId>(rng() % 10);
    const std::string tok = "T" + std::to_string(rng() % 2000);  // some duplicates
    if (rng() % 5 == 0) {
      ouch::CancelOrder x;
      x.token = ouch::MakeToken(tok);
      inputs.push_back({InputKind::kOuch, t, Ouch(who, x)});
    } else {
      const char* cats[] = {"JCEE", "JCRE", "JCOT", "XXXX"};
      inputs.push_back({InputKind::kOuch, t,
                        Ouch(who, MakeEnter(tok, rng() % 2 ? 'B' : 'S', 1 + rng() % 50,
                                            cats[rng() % 4], 1500 + rng() % 1500, rng() % 4 == 0))});
    }
    if (rng() % 50 == 0) inputs.push_back({InputKind::kClock, t, {}});
  }
  OrderEntry a(*market, *reg), b(*market, *reg);
  for (const auto& in : inputs) {
    REQUIRE(a.Apply(in.kind, in.t, in.payload));
    REQUIRE(b.Apply(in.kind, in.t, in.payload));
  }
  uint64_t total = 0;
  for (ParticipantId p = 0; p < 13; ++p) {
    REQUIRE(a.stream(p).size() == b.stream(p).size());
    for (uint64_t s = 1; s <= a.stream(p).size(); ++s) {
      const auto x = a.stream(p).message(s), y = b.stream(p).message(s);
      REQUIRE(std::equal(x.begin(), x.end(), y.begin(), y.end()));
    }
    total += a.stream(p).size();
  }
  CHECK(total > 3000);
  CHECK(a.engine().StateHash() == b.engine().StateHash());
}
