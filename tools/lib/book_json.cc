#include "tools/lib/book_json.h"

#include <limits>
#include <map>

#include "absl/strings/str_cat.h"
#include "engine/auction/allocator.h"
#include "engine/auction/pricer.h"
#include "engine/book/book.h"

namespace ccx {
namespace {

absl::Status Bad(const std::string& where, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
}

// Reads a positive integer field no larger than `max`.
absl::StatusOr<int64_t> PositiveInt(const nlohmann::json& obj, const char* key,
                                    const std::string& where, int64_t max) {
  const std::string path = absl::StrCat(where, ".", key);
  if (!obj.contains(key)) return Bad(path, "missing");
  const auto& v = obj.at(key);
  if (!v.is_number_integer()) return Bad(path, "must be a positive integer");
  if (v.is_number_unsigned() ? v.get<uint64_t>() > static_cast<uint64_t>(max)
                             : (v.get<int64_t>() <= 0 || v.get<int64_t>() > max)) {
    return Bad(path, absl::StrCat("must be a positive integer no larger than ", max));
  }
  const int64_t x = v.get<int64_t>();
  if (x <= 0) return Bad(path, "must be a positive integer");
  return x;
}

}  // namespace

absl::StatusOr<JsonBook> ParseJsonBook(const nlohmann::json& doc) {
  if (!doc.is_object()) return Bad("input", "must be a JSON object (a book or an example file)");
  std::string where = "book";
  const nlohmann::json* b = &doc;
  if (doc.contains("book")) {
    b = &doc.at("book");
    if (!b->is_object()) return Bad("book", "must be an object");
  }
  JsonBook out;
  constexpr int64_t kMaxPrice = 100'000'000;
  auto base = PositiveInt(*b, "base_price", where, kMaxPrice);
  if (!base.ok()) return base.status();
  out.base_price = static_cast<Price>(*base);
  if (b->contains("tick")) {
    auto t = PositiveInt(*b, "tick", where, kMaxPrice);
    if (!t.ok()) return t.status();
    out.tick = static_cast<Price>(*t);
    if (out.base_price % out.tick != 0) return Bad("book.base_price", "must be a multiple of tick");
  }
  if (b->contains("band_percent")) {
    auto bp = PositiveInt(*b, "band_percent", where, 100);
    if (!bp.ok()) return bp.status();
    out.band_percent = static_cast<int>(*bp);
  }
  if (b->contains("allocation")) {
    const auto& a = b->at("allocation");
    const std::string s = a.is_string() ? a.get<std::string>() : "";
    if (s == "tse") out.allocation = AllocationRule::kTse;
    else if (s == "time") out.allocation = AllocationRule::kTime;
    else if (s == "pro-rata") out.allocation = AllocationRule::kProRata;
    else return Bad("book.allocation", "must be \"tse\", \"time\" or \"pro-rata\"");
  }
  if (!b->contains("orders") || !b->at("orders").is_array()) {
    return Bad("book.orders", "missing or not an array");
  }
  std::map<std::string, ParticipantId> pid;
  std::map<std::string, size_t> seen;
  const auto& orders = b->at("orders");
  for (size_t i = 0; i < orders.size(); ++i) {
    const std::string w = absl::StrCat("book.orders[", i, "]");
    const auto& o = orders[i];
    if (!o.is_object()) return Bad(w, "must be an object");
    if (!o.contains("id") || !(o["id"].is_string() || o["id"].is_number_integer())) {
      return Bad(w + ".id", "missing (a string)");
    }
    const std::string id = o["id"].is_string() ? o["id"].get<std::string>() : o["id"].dump();
    if (seen.count(id)) return Bad(w + ".id", absl::StrCat("duplicate id \"", id, "\""));
    seen[id] = i;
    RefOrder r;
    r.ref = i + 1;
    if (!o.contains("side") || !o["side"].is_string() ||
        (o["side"] != "B" && o["side"] != "S")) {
      return Bad(w + ".side", "must be \"B\" or \"S\"");
    }
    r.side = o["side"] == "B" ? Side::kBuy : Side::kSell;
    auto price = PositiveInt(o, "price", w, kMaxPrice);
    if (!price.ok()) return price.status();
    r.price = static_cast<Price>(*price);
    if (r.price % out.tick != 0) return Bad(w + ".price", "not a multiple of the tick");
    auto qty = PositiveInt(o, "qty", w, std::numeric_limits<Qty>::max());
    if (!qty.ok()) return qty.status();
    r.qty = static_cast<Qty>(*qty);
    std::string part = "?";
    if (o.contains("participant")) {
      if (!o["participant"].is_string()) return Bad(w + ".participant", "must be a string");
      part = o["participant"].get<std::string>();
    }
    auto [it, inserted] = pid.emplace(part, static_cast<ParticipantId>(out.participants.size()));
    if (inserted) out.participants.push_back(part);
    r.participant = it->second;
    out.ids.push_back(id);
    out.orders.push_back(r);
  }
  return out;
}

BookOutcome RunJsonBook(const JsonBook& jb) {
  BookOutcome out;
  out.band = ComputeBand(jb.base_price, jb.band_percent, jb.tick, 0, 0);
  Book book(jb.tick, static_cast<uint32_t>(jb.orders.size() + 1), out.band);
  for (const auto& o : jb.orders) {
    book.Add(o.ref, o.participant, o.side, o.price, o.qty, Tif::kDay);
  }
  out.clearing = PriceBook(book, jb.base_price);
  Allocator alloc;
  MatchNumber next = 1;
  alloc.Execute(book, out.clearing, jb.allocation, 1, &next, &out.executions, &out.trades);
  return out;
}

nlohmann::json OutcomeToJson(const JsonBook& jb, const BookOutcome& out) {
  nlohmann::json j = nlohmann::json::object();
  const Clearing& c = out.clearing;
  j["price"] = c.executes ? nlohmann::json(c.price) : nlohmann::json(nullptr);
  j["volume"] = c.volume;
  std::map<OrderRef, Qty> filled;
  for (const auto& e : out.executions) filled[e.ref] += e.qty;
  nlohmann::json fills = nlohmann::json::object();
  for (const auto& o : jb.orders) {
    auto it = filled.find(o.ref);
    if (it != filled.end() && it->second > 0) fills[jb.ids[o.ref - 1]] = it->second;
  }
  j["fills"] = fills;
  j["surplus"] = c.executes ? (c.surplus() < 0 ? -c.surplus() : c.surplus()) : 0;
  j["side"] = !c.executes || c.surplus() == 0 ? "N" : (c.surplus() > 0 ? "B" : "S");
  j["band"] = {out.band.lower, out.band.upper};
  nlohmann::json ex = nlohmann::json::array();
  for (const auto& e : out.executions) {
    ex.push_back({{"id", jb.ids[e.ref - 1]}, {"side", std::string(1, static_cast<char>(e.side))},
                  {"qty", e.qty}, {"leaves", e.leaves}, {"match", e.match}});
  }
  j["executions"] = ex;
  nlohmann::json tr = nlohmann::json::array();
  for (const auto& t : out.trades) {
    tr.push_back({{"buy", jb.ids[t.buy_ref - 1]}, {"sell", jb.ids[t.sell_ref - 1]},
                  {"buyer", jb.participants[t.buyer]}, {"seller", jb.participants[t.seller]},
                  {"qty", t.qty}, {"price", t.price}});
  }
  j["trades"] = tr;
  return j;
}

}  // namespace ccx
