// The [surveillance] table: defaults, values, and errors that name the line and the key.
#include <catch2/catch.hpp>

#include "surveillance/config.h"
#include "tests/surveillance/session_script.h"

using namespace ccx::surveillance;

namespace {

std::string Error(const std::string& toml) {
  auto c = ParseSurveillanceConfig(toml, "test.toml");
  REQUIRE_FALSE(c.ok());
  return std::string(c.status().message());
}

}  // namespace

TEST_CASE("no [surveillance] table gives the defaults", "[surveillance][config]") {
  auto c = ParseSurveillanceConfig("[market]\nname = \"x\"\n", "test.toml");
  REQUIRE(c.ok());
  CHECK(c->spoofing.enabled);
  CHECK(c->spoofing.min_qty == 1000);
  CHECK(c->spoofing.window_seconds == 300);
  CHECK(c->marking.min_move_bps == 100);
  CHECK(c->concentration.max_share_percent == 50);
  CHECK(c->quote_pull.min_quote_qty == 0);  // the category's mm_min_size
}

TEST_CASE("[surveillance] values are read", "[surveillance][config]") {
  auto c = ParseSurveillanceConfig(R"(
[surveillance.spoofing]
min_qty = 250
window_seconds = 60
min_move_bps = 30
[surveillance.marking]
enabled = false
[surveillance.wash_trade]
min_qty = 10
[surveillance.concentration]
max_share_percent = 70
min_volume = 5000
[surveillance.quote_pull]
window_seconds = 30
min_quote_qty = 50
)",
                                   "test.toml");
  REQUIRE(c.ok());
  CHECK(c->spoofing.min_qty == 250);
  CHECK(c->spoofing.window_seconds == 60);
  CHECK(c->spoofing.min_move_bps == 30);
  CHECK_FALSE(c->marking.enabled);
  CHECK(c->marking.window_seconds == 180);
  CHECK(c->wash_trade.min_qty == 10);
  CHECK(c->concentration.max_share_percent == 70);
  CHECK(c->concentration.min_volume == 5000);
  CHECK(c->quote_pull.window_seconds == 30);
  CHECK(c->quote_pull.min_quote_qty == 50);
}

TEST_CASE("broken [surveillance] tables name the line and the key", "[surveillance][config]") {
  CHECK(Error("[surveillance.spoofing]\nmin_qty = 0\n") ==
        "test.toml:2: surveillance.spoofing.min_qty: must be from 1 to 4294967295 (got 0)");
  CHECK(Error("[surveillance.marking]\n\nwindow_secnds = 5\n") ==
        "test.toml:3: surveillance.marking.window_secnds: unknown key (expected one of: enabled, "
        "window_seconds, min_move_bps)");
  CHECK(Error("[surveillance.wash_trade]\nenabled = \"yes\"\n") ==
        "test.toml:2: surveillance.wash_trade.enabled: must be true or false");
  CHECK(Error("[surveillance.concentration]\nmax_share_percent = 50.5\n") ==
        "test.toml:2: surveillance.concentration.max_share_percent: must be an integer");
  CHECK(Error("[surveillance]\nspoofng = 1\n").find("test.toml:2: surveillance.spoofng: unknown key") == 0);
  CHECK(Error("[surveillance]\nquote_pull = 3\n") ==
        "test.toml:2: surveillance.quote_pull: must be a table ([surveillance.quote_pull])");
  CHECK(Error("surveillance = 1\n") == "test.toml:1: surveillance: must be a table ([surveillance])");
  CHECK(Error("[surveillance\n").find("test.toml:1:") == 0);
}

TEST_CASE("the shipped configuration's [surveillance] table loads", "[surveillance][config]") {
  auto c = LoadSurveillanceConfig(ccx::test::ShippedConfig());
  REQUIRE(c.ok());
  CHECK(c->spoofing.min_qty == SurveillanceConfig{}.spoofing.min_qty);
  CHECK(LoadSurveillanceConfig("/nonexistent/market.toml").status().code() == absl::StatusCode::kNotFound);
}
