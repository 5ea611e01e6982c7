// Tests of the market configuration loader: the shipped config/market.toml, defaults and
// overrides, and broken configurations, each of which must be rejected with an error that
// names the key and the right line.
#include "engine/config/market_config.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

namespace ccx {
namespace {

constexpr const char* kSource = "t.toml";

// A valid one-category document, one key per line:
//
//    1 # test configuration          (edit key "#")
//    2 [market]
//    3 name = "test market"
//    4 utc_offset = "+09:00"
//    5 extra_closures = []
//    6 # market                      (edit key "# market": a free line in [market])
//    7 [market.defaults]
//    8 tick = 1
//    9 # defaults                    (edit key "# defaults": a free line in the defaults)
//   10 [[category]]
//   11 code = "AAAA"
//   12 name_en = "A credit"
//   13 name_ja = "エー"
//   14 program = "J-Credit"
//   15 reference_price = 1000
//   16 ... `extra` lines, inside the category table
//
// `edits` replace a whole line, found by its key (the text before " ="); replacing by a
// comment removes the key and keeps the line numbers.
std::string Doc(const std::map<std::string, std::string>& edits = {},
                const std::vector<std::string>& extra = {}) {
  const std::vector<std::pair<std::string, std::string>> base = {
      {"#", "# test configuration"},
      {"[market]", "[market]"},
      {"name", R"(name = "test market")"},
      {"utc_offset", R"(utc_offset = "+09:00")"},
      {"extra_closures", "extra_closures = []"},
      {"# market", "# market"},
      {"[market.defaults]", "[market.defaults]"},
      {"tick", "tick = 1"},
      {"# defaults", "# defaults"},
      {"[[category]]", "[[category]]"},
      {"code", R"(code = "AAAA")"},
      {"name_en", R"(name_en = "A credit")"},
      {"name_ja", R"(name_ja = "エー")"},
      {"program", R"(program = "J-Credit")"},
      {"reference_price", "reference_price = 1000"},
  };
  std::string text;
  for (const auto& [key, line] : base) {
    auto it = edits.find(key);
    text += (it == edits.end() ? line : it->second) + "\n";
  }
  for (const std::string& line : extra) text += line + "\n";
  return text;
}

// Parses `text` and checks that it fails with InvalidArgument "t.toml:<line>:" and a
// message holding each of `parts`.
void ExpectError(const std::string& text, int line, const std::vector<std::string>& parts) {
  const absl::StatusOr<MarketConfig> r = ParseMarketConfig(text, kSource);
  INFO("document:\n" << text);
  REQUIRE_FALSE(r.ok());
  const std::string msg(r.status().message());
  INFO("error: " << msg);
  CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(msg.rfind(std::string(kSource) + ":" + std::to_string(line) + ":", 0) == 0);
  for (const std::string& part : parts) CHECK(msg.find(part) != std::string::npos);
}

MarketConfig MustParse(const std::string& text) {
  absl::StatusOr<MarketConfig> r = ParseMarketConfig(text, kSource);
  INFO("document:\n" << text << "\nerror: " << r.status().ToString());
  REQUIRE(r.ok());
  return *std::move(r);
}

const std::vector<Session> kTwoSessions = {{8 * 60, 11 * 60 + 30}, {12 * 60 + 30, 15 * 60}};
const std::array<bool, 7> kMonToFri = {true, true, true, true, true, false, false};

}  // namespace

TEST_CASE("the shipped config/market.toml loads with the eight categories of §1", "[config]") {
  const auto r = LoadMarketConfig(std::string(CCX_SOURCE_ROOT) + "/config/market.toml");
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  const MarketConfig& m = *r;
  CHECK(m.name == "ccx carbon credit market");
  CHECK(m.utc_offset_minutes == 540);
  CHECK(m.extra_closures.empty());

  struct Expected {
    const char* code;
    const char* name_en;
    const char* name_ja;
    const char* program;
    Price reference_price;
  };
  const Expected expected[] = {
      {"JCEE", "J-Credit energy saving", "省エネルギー", "J-Credit", 1655},
      {"JCRE", "J-Credit renewable energy (electricity)", "再生可能エネルギー（電力）", "J-Credit",
       3019},
      {"JCRH", "J-Credit renewable energy (heat)", "再生可能エネルギー（熱）", "J-Credit", 2282},
      {"JCRM", "J-Credit renewable energy (electricity and heat mixed)",
       "再生可能エネルギー（電力・熱混合）", "J-Credit", 2500},
      {"JCFO", "J-Credit forest sink", "森林", "J-Credit", 8095},
      {"JCOT", "J-Credit other", "その他", "J-Credit", 2000},
      {"JVFO", "J-VER (not yet transferred) forest sink", "J-VER（未移行）森林", "J-VER", 8450},
      {"GXCR", "GX credit (excess reduction allowance)", "GX クレジット（超過削減枠）", "GX", 3000},
  };
  REQUIRE(m.categories.size() == 8);
  for (size_t i = 0; i < 8; ++i) {
    const CategoryConfig& c = m.categories[i];
    INFO("category " << expected[i].code);
    CHECK(c.code == expected[i].code);
    CHECK(c.name_en == expected[i].name_en);
    CHECK(c.name_ja == expected[i].name_ja);
    CHECK(c.program == expected[i].program);
    CHECK(c.reference_price == expected[i].reference_price);
    CHECK(m.FindCategory(expected[i].code) == static_cast<int>(i));
    CHECK(c.tick == 1);
    CHECK(c.unit == 1);
    CHECK(c.band_percent == 90);
    CHECK(c.max_order_qty == 1'000'000);
    CHECK(c.allocation == AllocationRule::kTse);
    CHECK(c.max_resting_orders == 262'144);
    CHECK(c.market_makers.empty());
    if (c.code == "GXCR") continue;
    CHECK(c.floor == 0);
    CHECK(c.ceiling == 0);
    CHECK(c.weekdays == kMonToFri);
    REQUIRE(c.sessions.size() == 2);
    CHECK(c.sessions[0].open == 8 * 60);
    CHECK(c.sessions[0].auction == 11 * 60 + 30);
    CHECK(c.sessions[1].open == 12 * 60 + 30);
    CHECK(c.sessions[1].auction == 15 * 60);
  }
  const CategoryConfig& gx = m.categories[7];
  CHECK(gx.floor == 1700);
  CHECK(gx.ceiling == 4300);
  CHECK(gx.weekdays == std::array<bool, 7>{false, false, false, false, true, false, false});
  REQUIRE(gx.sessions.size() == 1);
  CHECK(gx.sessions[0].open == 8 * 60);
  CHECK(gx.sessions[0].auction == 15 * 60);
  CHECK(m.FindCategory("NONE") == -1);
  CHECK(m.FindCategory("") == -1);
  CHECK(m.FindCategory("jcee") == -1);
}

TEST_CASE("built-in defaults apply when the file sets nothing else", "[config]") {
  const MarketConfig m = MustParse(
      "[[category]]\ncode = \"X\"\nname_en = \"x\"\nname_ja = \"x\"\nprogram = \"VCS\"\n"
      "reference_price = 5\n");
  CHECK(m.name == "ccx");
  CHECK(m.utc_offset_minutes == 540);
  REQUIRE(m.categories.size() == 1);
  const CategoryConfig& c = m.categories[0];
  CHECK(c.sessions == kTwoSessions);
  CHECK(c.weekdays == kMonToFri);
  CHECK(c.band_percent == 90);
  CHECK(c.tick == 1);
  CHECK(c.unit == 1);
  CHECK(c.max_order_qty == 1'000'000);
  CHECK(c.allocation == AllocationRule::kTse);
  CHECK(c.max_resting_orders == 262'144);
  CHECK(c.floor == 0);
  CHECK(c.ceiling == 0);
}

TEST_CASE("[market.defaults] apply to every category, which may override them", "[config]") {
  const MarketConfig m = MustParse(R"(
[market]
name = "defaults test"
utc_offset = "-05:30"
extra_closures = ["2026-05-07", "2030-12-30"]
[market.defaults]
sessions = [{ open = "09:00", auction = "10:00" }, { open = "13:00", auction = "14:30" }]
weekdays = ["Tue", "Thu"]
band_percent = 50
tick = 5
unit = 5
max_order_qty = 5000
allocation = "time"
max_resting_orders = 1024
[[category]]
code = "INH"
name_en = "inherits"
name_ja = "継承"
program = "JCM"
reference_price = 1000
[[category]]
code = "OVR"
name_en = "overrides"
name_ja = "上書き"
program = "Gold Standard"
reference_price = 7
sessions = [{ open = "08:00", auction = "15:00" }]
weekdays = ["Sun", "Sat"]
band_percent = 100
tick = 1
unit = 1
max_order_qty = 7
allocation = "pro-rata"
max_resting_orders = 67108864
floor = 0
ceiling = 7
market_makers = ["mm01", "mm0002"]
)");
  CHECK(m.name == "defaults test");
  CHECK(m.utc_offset_minutes == -330);
  CHECK(m.extra_closures ==
        std::vector<absl::CivilDay>{absl::CivilDay(2026, 5, 7), absl::CivilDay(2030, 12, 30)});
  REQUIRE(m.categories.size() == 2);
  const CategoryConfig& inh = m.categories[0];
  CHECK(inh.sessions == std::vector<Session>{{540, 600}, {780, 870}});
  CHECK(inh.weekdays == std::array<bool, 7>{false, true, false, true, false, false, false});
  CHECK(inh.band_percent == 50);
  CHECK(inh.tick == 5);
  CHECK(inh.unit == 5);
  CHECK(inh.max_order_qty == 5000);
  CHECK(inh.allocation == AllocationRule::kTime);
  CHECK(inh.max_resting_orders == 1024);
  CHECK(inh.market_makers.empty());
  const CategoryConfig& ovr = m.categories[1];
  CHECK(ovr.sessions == std::vector<Session>{{480, 900}});
  CHECK(ovr.weekdays == std::array<bool, 7>{false, false, false, false, false, true, true});
  CHECK(ovr.band_percent == 100);
  CHECK(ovr.tick == 1);
  CHECK(ovr.unit == 1);
  CHECK(ovr.max_order_qty == 7);
  CHECK(ovr.allocation == AllocationRule::kProRata);
  CHECK(ovr.max_resting_orders == 1u << 26);
  CHECK(ovr.floor == 0);
  CHECK(ovr.ceiling == 7);
  CHECK(ovr.market_makers == std::vector<std::string>{"mm01", "mm0002"});
  CHECK(m.FindCategory("OVR") == 1);
}

struct BrokenCase {
  std::map<std::string, std::string> edits;  // see Doc()
  std::vector<std::string> extra;            // lines 16... of Doc()
  int line;                                  // the line the error must name
  std::vector<std::string> parts;            // what the message must contain
};

TEST_CASE("broken configurations name the key and the line", "[config]") {
  // clang-format off
  const std::vector<BrokenCase> cases = {
      // TOML syntax: toml++'s line (and column) and description.
      {{}, {"tick = = 2"}, 16, {"TOML syntax error"}},
      {{}, {R"(code = "BBBB")"}, 16, {"TOML syntax error", "code"}},
      // Unknown keys, wherever they are.
      {{{"#", "version = 1"}}, {}, 1, {": version: unknown key"}},
      {{{"# market", R"(nmae = "x")"}}, {}, 6, {"market: nmae: unknown key"}},
      {{{"# defaults", "reference_price = 5"}}, {}, 9,
       {"market.defaults: reference_price: unknown key"}},
      {{}, {"", "tikc = 2"}, 17, {"category AAAA: tikc: unknown key", "expected one of: code"}},
      // The code.
      {{{"code", "# no code"}}, {}, 10, {"category #1: code: missing"}},
      {{{"code", "code = 12"}}, {}, 11, {"code: must be a string (got integer)"}},
      {{{"code", R"(code = "")"}}, {}, 11, {"code: must not be empty"}},
      {{{"code", R"(code = "ABCDEFGHI")"}}, {}, 11, {"code: must be 1 to 8 printable ASCII"}},
      {{{"code", R"(code = "AB C")"}}, {}, 11, {"code: must be 1 to 8 printable ASCII"}},
      {{{"code", R"(code = "ＡＢ")"}}, {}, 11, {"code: must be 1 to 8 printable ASCII"}},
      {{},
       {"[[category]]", R"(code = "AAAA")"},
       17,
       {"category #2: code: duplicate category code \"AAAA\" (first at line 11)"}},
      // Names and program.
      {{{"name_en", "# none"}}, {}, 10, {"category AAAA: name_en: missing"}},
      {{{"name_ja", R"(name_ja = "a\tb")"}}, {}, 13, {"name_ja: must not contain control"}},
      {{{"program", R"(program = "")"}}, {}, 14, {"category AAAA: program: must not be empty"}},
      // Prices.
      {{{"reference_price", "reference_price = 0"}}, {}, 15,
       {"category AAAA: reference_price: must be a positive multiple of tick (got 0)"}},
      {{{"reference_price", "# none"}}, {}, 10, {"category AAAA: reference_price: missing"}},
      {{{"reference_price", "reference_price = 1000.0"}}, {}, 15,
       {"reference_price: must be an integer (got float)"}},
      {{{"reference_price", "reference_price = 1001"}, {"tick", "tick = 5"}}, {}, 15,
       {"reference_price: must be a positive multiple of tick (got 1001, tick 5)"}},
      {{{"reference_price", "reference_price = 500000"}}, {}, 15,
       {"reference_price: must be at most 429496"}},
      {{}, {"floor = -1"}, 16, {"category AAAA: floor: must be 0 (none) or a positive multiple"}},
      {{{"tick", "tick = 5"}}, {"floor = 7"}, 16, {"floor: must be 0 (none)", "tick 5"}},
      {{}, {"floor = 1500"}, 15, {"reference_price: must not be below floor 1500 (got 1000)"}},
      {{}, {"ceiling = 900"}, 15, {"reference_price: must not be above ceiling 900 (got 1000)"}},
      {{}, {"floor = 2000", "ceiling = 1500"}, 17, {"ceiling: must be above floor 2000"}},
      {{}, {"floor = 1000", "ceiling = 1000"}, 17, {"ceiling: must be above floor 1000"}},
      // Shared keys, in the defaults and in a category.
      {{{"tick", "tick = 0"}}, {}, 8, {"market.defaults: tick: must be from 1 to 429496 (got 0)"}},
      {{}, {"tick = 0"}, 16, {"category AAAA: tick: must be from 1"}},
      {{}, {"unit = 0"}, 16, {"category AAAA: unit: must be from 1 to 4294967295 (got 0)"}},
      {{}, {"band_percent = 0"}, 16, {"band_percent: must be from 1 to 100 (got 0)"}},
      {{{"# defaults", "band_percent = 101"}}, {}, 9, {"market.defaults: band_percent"}},
      {{}, {"band_percent = 90.5"}, 16, {"band_percent: must be an integer (got float)"}},
      {{}, {"max_order_qty = 0"}, 16, {"max_order_qty: must be from 1 to 4294967295"}},
      {{}, {"max_order_qty = 4294967296"}, 16, {"max_order_qty: must be from 1 to 4294967295"}},
      {{}, {"unit = 3", "max_order_qty = 10"}, 17, {"max_order_qty: max_order_qty (10) must be"}},
      {{{"# defaults", "max_order_qty = 10"}}, {"unit = 3"}, 16,
       {"category AAAA: unit: max_order_qty (10) must be a multiple of unit (3)"}},
      {{}, {R"(allocation = "fifo")"}, 16, {R"(allocation: must be "tse", "time" or "pro-rata")"}},
      {{}, {"allocation = 1"}, 16, {"allocation: must be a string (got integer)"}},
      {{}, {"max_resting_orders = 0"}, 16, {"max_resting_orders: must be from 1 to 67108864"}},
      {{}, {"max_resting_orders = 67108865"}, 16, {"max_resting_orders: must be from 1"}},
      // Sessions.
      {{}, {"sessions = []"}, 16, {"category AAAA: sessions: must not be empty"}},
      {{}, {R"(sessions = { open = "08:00", auction = "15:00" })"}, 16,
       {"sessions: must be an array (got table)"}},
      {{}, {R"(sessions = ["08:00"])"}, 16, {"sessions[0]: must be a table"}},
      {{}, {R"(sessions = [{ open = "8:00", auction = "11:30" }])"}, 16,
       {R"(sessions[0].open: must be a time "HH:MM" from 00:00 to 23:59 (got "8:00"))"}},
      {{}, {R"(sessions = [{ open = "08:00", auction = "24:00" }])"}, 16,
       {"sessions[0].auction: must be a time"}},
      {{}, {R"(sessions = [{ open = "08:00", auction = "11:60" }])"}, 16,
       {"sessions[0].auction: must be a time"}},
      {{}, {R"(sessions = [{ open = 800, auction = "11:30" }])"}, 16,
       {"sessions[0].open: must be a string"}},
      {{}, {R"(sessions = [{ open = "08:00" }])"}, 16, {"sessions[0].auction: missing"}},
      {{}, {R"(sessions = [{ open = "08:00", auction = "11:30", close = "12:00" }])"}, 16,
       {"sessions[0].close: unknown key"}},
      {{}, {R"(sessions = [{ open = "11:30", auction = "11:30" }])"}, 16,
       {"sessions[0].auction: must be after open 11:30 (got 11:30)"}},
      {{},
       {"sessions = [", R"(  { open = "08:00", auction = "11:30" },)",
        R"(  { open = "11:00", auction = "15:00" },)", "]"},
       18,
       {"sessions[1].open: must be after the previous session's auction 11:30 (got 11:00)"}},
      {{{"# defaults", R"(sessions = [{ open = "12:00", auction = "15:00" }, )"
                       R"({ open = "12:30", auction = "11:30" }])"}},
       {},
       9,
       {"market.defaults: sessions[1].auction: must be after open 12:30 (got 11:30)"}},
      // Weekdays.
      {{}, {"weekdays = []"}, 16, {"weekdays: must not be empty"}},
      {{}, {R"(weekdays = ["Mon", "Fry"])"}, 16, {R"(weekdays[1]: must be one of Mon)"}},
      {{}, {R"(weekdays = ["mon"])"}, 16, {R"(weekdays[0]: must be one of Mon)", "\"mon\""}},
      {{}, {R"(weekdays = ["Mon", "Tue", "Mon"])"}, 16,
       {R"(weekdays[2]: duplicate weekday "Mon")"}},
      {{}, {R"(weekdays = "Mon")"}, 16, {"weekdays: must be an array (got string)"}},
      // Market makers.
      {{}, {R"(market_makers = ["toolong"])"}, 16, {"market_makers[0]: must be a username"}},
      {{}, {R"(market_makers = ["mm01", "mm01"])"}, 16, {"market_makers[1]: duplicate"}},
      {{}, {"market_makers = [1]"}, 16, {"market_makers[0]: must be a string (got integer)"}},
      // [market].
      {{{"name", R"(name = "")"}}, {}, 3, {"market: name: must not be empty"}},
      {{{"utc_offset", R"(utc_offset = "9:00")"}}, {}, 4,
       {"market: utc_offset: must be \"+HH:MM\""}},
      {{{"utc_offset", R"(utc_offset = "+9:00")"}}, {}, 4, {"utc_offset: must be"}},
      {{{"utc_offset", R"(utc_offset = "+15:00")"}}, {}, 4, {"utc_offset: must be"}},
      {{{"utc_offset", R"(utc_offset = "+09:60")"}}, {}, 4, {"utc_offset: must be"}},
      {{{"utc_offset", "utc_offset = 540"}}, {}, 4, {"utc_offset: must be a string"}},
      {{{"extra_closures", R"(extra_closures = ["2025-02-30"])"}}, {}, 5,
       {R"(market: extra_closures[0]: must be a date "YYYY-MM-DD")"}},
      {{{"extra_closures", R"(extra_closures = ["2025-12-30", "2025/12/31"])"}}, {}, 5,
       {"extra_closures[1]: must be a date"}},
      {{{"extra_closures", R"(extra_closures = ["1979-12-31"])"}}, {}, 5,
       {"extra_closures[0]: must be a date"}},
      {{{"extra_closures", "extra_closures = [2025-12-30]"}}, {}, 5,
       {"extra_closures[0]: must be a string \"YYYY-MM-DD\" (got date)"}},
      {{{"extra_closures", R"(extra_closures = ["2025-12-30", "2025-12-30"])"}}, {}, 5,
       {"extra_closures[1]: duplicate date 2025-12-30"}},
  };
  // clang-format on
  for (size_t i = 0; i < cases.size(); ++i) {
    INFO("case " << i);
    ExpectError(Doc(cases[i].edits, cases[i].extra), cases[i].line, cases[i].parts);
  }
}

TEST_CASE("the document's structure is checked", "[config]") {
  ExpectError("[market]\nname = \"x\"\n", 1, {"category: at least one [[category]]"});
  ExpectError("category = []\n", 1, {"category: at least one [[category]]"});
  ExpectError("\n[category]\ncode = \"A\"\n", 2, {"category: must be an array of tables"});
  ExpectError("category = [1]\n", 1, {"category #1: must be a table"});
  ExpectError("market = 1\n", 1, {"market: must be a table"});
  ExpectError("[market]\ndefaults = 1\n", 2, {"market: defaults: must be a table"});
}

TEST_CASE("LoadMarketConfig reports a missing file as NotFound", "[config]") {
  const auto r = LoadMarketConfig("/nonexistent/ccx/market.toml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == absl::StatusCode::kNotFound);
  CHECK(r.status().message().find("/nonexistent/ccx/market.toml") != absl::string_view::npos);
}

TEST_CASE("FormatMinuteOfDay writes HH:MM", "[config]") {
  CHECK(FormatMinuteOfDay(0) == "00:00");
  CHECK(FormatMinuteOfDay(8 * 60) == "08:00");
  CHECK(FormatMinuteOfDay(11 * 60 + 30) == "11:30");
  CHECK(FormatMinuteOfDay(23 * 60 + 59) == "23:59");
  CHECK(FormatMinuteOfDay(-90) == "-01:30");
}

}  // namespace ccx
