// The worked auction books of ../shared/spec/examples/ (MARKET_RULES §5–§6): each must give
// exactly the expected price, volume and fills through the fast engine path, and the
// reference twin must agree.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "engine/auction/reference.h"
#include "tools/lib/book_json.h"

namespace fs = std::filesystem;

namespace {
fs::path ExamplesDir() { return fs::path(CCX_SOURCE_ROOT) / ".." / "shared" / "spec" / "examples"; }
}  // namespace

TEST_CASE("every worked example book gives the expected result", "[auction][examples]") {
  const fs::path dir = ExamplesDir();
  REQUIRE(fs::is_directory(dir));
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    const auto doc = nlohmann::json::parse(in);
    INFO("example " << entry.path().filename().string());
    auto book = ccx::ParseJsonBook(doc);
    REQUIRE(book.ok());
    const auto out = ccx::RunJsonBook(*book);
    const auto got = ccx::OutcomeToJson(*book, out);
    const auto& want = doc.at("expected");
    CHECK(got.at("price") == want.at("price"));
    CHECK(got.at("volume") == want.at("volume"));
    CHECK(got.at("fills") == want.at("fills"));

    // The reference twin agrees on everything, executions and trades included.
    const auto ref = ccx::ReferenceAuction(book->orders, book->base_price, out.band, book->tick,
                                           book->allocation, 1, 1);
    CHECK(ref.clearing == out.clearing);
    CHECK(ref.executions == out.executions);
    CHECK(ref.trades == out.trades);
    ++checked;
  }
  CHECK(checked >= 8);
}

TEST_CASE("ccx-auction input errors name the field", "[auction][json]") {
  auto err = [](const char* text) {
    auto r = ccx::ParseJsonBook(nlohmann::json::parse(text));
    REQUIRE_FALSE(r.ok());
    return std::string(r.status().message());
  };
  CHECK(err(R"({"orders": []})").find("base_price") != std::string::npos);
  CHECK(err(R"({"base_price": 100, "orders": [{"id":"a","side":"X","price":1,"qty":1}]})")
            .find("orders[0].side") != std::string::npos);
  CHECK(err(R"({"base_price": 100, "orders": [{"id":"a","side":"B","price":-5,"qty":1}]})")
            .find("orders[0].price") != std::string::npos);
  CHECK(err(R"({"base_price": 100, "orders": [{"id":"a","side":"B","price":5,"qty":0}]})")
            .find("orders[0].qty") != std::string::npos);
  CHECK(err(R"({"base_price": 100, "allocation": "fifo", "orders": []})").find("allocation") !=
        std::string::npos);
  CHECK(err(R"({"base_price": 100, "orders": [{"id":"a","side":"B","price":5,"qty":1},
                {"id":"a","side":"S","price":5,"qty":1}]})")
            .find("duplicate") != std::string::npos);
}
