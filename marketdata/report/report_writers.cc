// DailyReport: the JSON and CSV forms. Prices are yen (integers when whole), VWAP rounded
// to 2 decimals, volumes t-CO2. A missing figure (no execution) is null in JSON and an
// empty field in CSV.
#include <cmath>
#include <iterator>

#include "fmt/format.h"
#include "marketdata/report/daily_report.h"
#include "nlohmann/json.hpp"

namespace ccx::md {
namespace {

// Keys in the order written (code and names first), not sorted.
using json = nlohmann::ordered_json;

json Yen(uint32_t wire) {
  if (wire % itch::kPriceScale == 0) return json(wire / itch::kPriceScale);
  return json(static_cast<double>(wire) / itch::kPriceScale);
}

double Round2(double v) { return std::round(v * 100.0) / 100.0; }

json AuctionJson(const std::optional<AuctionFigures>& a) {
  if (!a) return json(nullptr);  // the category has no such auction today
  json j;
  j["time"] = a->time;
  j["cross_type"] = std::string(1, a->cross_type);
  j["executed"] = a->executed;
  j["price"] = a->executed ? Yen(a->price) : json(nullptr);
  j["volume"] = a->volume;
  return j;
}

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string YenText(uint32_t wire) { return FormatWirePrice(wire); }

}  // namespace

std::string DailyReport::Json() const {
  json doc;
  doc["date"] = date_;
  doc["market"] = config_.name;
  doc["currency"] = "JPY";
  doc["unit"] = "t-CO2";
  json cats = json::array();
  for (const CategoryFigures& f : Figures()) {
    json c;
    c["code"] = f.code;
    c["name_en"] = f.name_en;
    c["name_ja"] = f.name_ja;
    c["morning"] = AuctionJson(f.morning);
    c["closing"] = AuctionJson(f.closing);
    json all = json::array();
    for (const AuctionFigures& a : f.auctions) all.push_back(AuctionJson(a));
    c["auctions"] = all;
    c["volume"] = f.volume;
    c["vwap"] = f.vwap ? json(Round2(*f.vwap)) : json(nullptr);
    c["high"] = f.high ? Yen(*f.high) : json(nullptr);
    c["low"] = f.low ? Yen(*f.low) : json(nullptr);
    c["next_base_price"] = Yen(f.next_base_price);
    c["next_base_source"] = f.next_base_source;
    cats.push_back(std::move(c));
  }
  doc["categories"] = std::move(cats);
  return doc.dump(2) + "\n";
}

std::string DailyReport::Csv() const {
  std::string out =
      "date,code,name_en,name_ja,price_1130,volume_1130,price_1500,volume_1500,vwap,high,low,"
      "volume,next_base_price\n";
  auto put = std::back_inserter(out);
  auto auction = [](const std::optional<AuctionFigures>& a) {
    if (!a) return std::string(",");
    return fmt::format("{},{}", a->executed ? YenText(a->price) : "", a->volume);
  };
  for (const CategoryFigures& f : Figures()) {
    fmt::format_to(put, "{},{},{},{},{},{},{},{},{},{},{}\n", date_, CsvField(f.code),
                   CsvField(f.name_en), CsvField(f.name_ja), auction(f.morning),
                   auction(f.closing), f.vwap ? fmt::format("{:.2f}", *f.vwap) : "",
                   f.high ? YenText(*f.high) : "", f.low ? YenText(*f.low) : "", f.volume,
                   YenText(f.next_base_price));
  }
  return out;
}

}  // namespace ccx::md
