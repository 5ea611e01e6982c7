// DailyReport: collecting the day's auctions from the feed and computing the figures. The
// JSON and CSV writers are in report_writers.cc, the HTML page and its SVG in report_html.cc.
#include "marketdata/report/daily_report.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

#include "fmt/format.h"

namespace ccx::md {
namespace {

// The configured time of a category's k-th auction of the day with cross type `type`.
std::string AuctionTime(const CategoryConfig* cfg, size_t k, char type) {
  if (cfg == nullptr || cfg->sessions.empty()) return type == 'C' ? "15:00" : "11:30";
  if (type == 'C') return FormatMinuteOfDay(cfg->sessions.back().auction);
  if (k + 1 < cfg->sessions.size()) return FormatMinuteOfDay(cfg->sessions[k].auction);
  return FormatMinuteOfDay(cfg->sessions.front().auction);
}

}  // namespace

DailyReport::DailyReport(MarketConfig config, std::string date)
    : config_(std::move(config)), date_(std::move(date)) {}

void DailyReport::SetSession(std::string_view session) {
  std::string digits;
  for (char c : session) {
    if (c != ' ') digits += c;
  }
  if (digits.size() != 8 || !std::all_of(digits.begin(), digits.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
      })) {
    return;
  }
  date_ = fmt::format("{}-{}-{}", digits.substr(0, 4), digits.substr(4, 2), digits.substr(6, 2));
}

void DailyReport::BeginAuction(size_t index) {
  if (in_auction_.size() <= index) in_auction_.resize(index + 1);
  if (!in_auction_[index]) in_auction_[index] = book_.Curves(index);
}

absl::Status DailyReport::ApplyBytes(std::span<const uint8_t> bytes, bool snapshot) {
  itch::Message m;
  const itch::DecodeStatus s = itch::DecodeMessage(bytes, &m);
  if (s != itch::DecodeStatus::kOk) {
    return absl::InvalidArgumentError(
        fmt::format("cannot decode ITCH message: {}", itch::ToString(s)));
  }
  return Apply(m, snapshot);
}

absl::Status DailyReport::Apply(const itch::Message& message, bool snapshot) {
  if (const auto* e = std::get_if<itch::SystemEvent>(&message); e && e->event_code == 'O') {
    auctions_.clear();
    in_auction_.clear();
  }
  // The curves are the book as it stood before the auction's first execution or result.
  if (const auto* e = std::get_if<itch::OrderExecuted>(&message); e && !snapshot) {
    if (const BookOrder* o = book_.FindOrder(e->order_ref)) BeginAuction(o->category);
  }
  const auto* q = std::get_if<itch::CrossTrade>(&message);
  int qi = -1;
  if (q != nullptr) {
    qi = book_.FindCategory(itch::StockView(q->stock));
    if (qi >= 0 && !snapshot) BeginAuction(static_cast<size_t>(qi));
  }
  absl::Status s = book_.Apply(message);
  if (!s.ok() || q == nullptr || qi < 0) return s;
  Captured c;
  c.code = std::string(itch::StockView(q->stock));
  c.cross_type = q->cross_type;
  c.cross = *q;
  if (static_cast<size_t>(qi) < in_auction_.size() && in_auction_[qi]) {
    c.curves = std::move(*in_auction_[qi]);
    in_auction_[qi].reset();
  }
  auctions_.push_back(std::move(c));
  return s;
}

std::vector<CategoryFigures> DailyReport::Figures() const {
  std::vector<std::string> codes;
  for (const CategoryConfig& c : config_.categories) codes.push_back(c.code);
  for (size_t i = 0; i < book_.num_categories(); ++i) {
    const std::string& code = book_.category(i).code;
    if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
  }
  std::vector<CategoryFigures> out;
  for (const std::string& code : codes) {
    const int ci = config_.FindCategory(code);
    const CategoryConfig* cfg = ci >= 0 ? &config_.categories[ci] : nullptr;
    CategoryFigures f;
    f.code = code;
    if (cfg != nullptr) {
      f.name_en = cfg->name_en;
      f.name_ja = cfg->name_ja;
    }
    unsigned __int128 turnover = 0;  // Σ wire price × volume: exact
    for (const Captured& c : auctions_) {
      if (c.code != code) continue;
      AuctionFigures a;
      a.cross_type = c.cross_type;
      a.time = AuctionTime(cfg, f.auctions.size(), c.cross_type);
      a.executed = c.cross.shares > 0;
      a.price = a.executed ? c.cross.cross_price : 0;
      a.volume = c.cross.shares;
      a.curves = c.curves;
      if (a.executed) {
        f.volume += a.volume;
        turnover += static_cast<unsigned __int128>(a.price) * a.volume;
        f.high = f.high ? std::max(*f.high, a.price) : a.price;
        f.low = f.low ? std::min(*f.low, a.price) : a.price;
        f.next_base_price = a.price;
        f.next_base_source = "auction";
      }
      if (a.cross_type == 'I' && !f.morning) f.morning = a;
      if (a.cross_type == 'C') f.closing = a;
      f.auctions.push_back(std::move(a));
    }
    if (f.volume > 0) {
      f.vwap = static_cast<double>(turnover / f.volume) / itch::kPriceScale +
               static_cast<double>(turnover % f.volume) / static_cast<double>(f.volume) /
                   itch::kPriceScale;
    }
    if (f.next_base_source.empty()) {
      const int bi = book_.FindCategory(code);
      if (bi >= 0 && book_.category(bi).noii) {
        f.next_base_price = book_.category(bi).noii->far_price;
        f.next_base_source = "noii";
      } else if (cfg != nullptr) {
        f.next_base_price = static_cast<uint32_t>(cfg->reference_price) * itch::kPriceScale;
        f.next_base_source = "reference";
      } else {
        f.next_base_source = "none";
      }
    }
    out.push_back(std::move(f));
  }
  return out;
}

absl::Status DailyReport::Write(const std::string& dir) const {
  if (date_.empty()) return absl::FailedPreconditionError("daily report: the date is unknown");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return absl::UnavailableError(
        fmt::format("daily report: cannot create directory {}: {}", dir, ec.message()));
  }
  const std::string base = (std::filesystem::path(dir) / date_).string();
  for (const auto& [ext, text] : {std::pair<std::string, std::string>{".json", Json()},
                                  {".csv", Csv()},
                                  {".html", Html()}}) {
    // Write to a temporary name and rename, so a reader never sees half a file.
    const std::string path = base + ext, tmp = path + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << text;
      out.close();
      if (!out) return absl::UnavailableError(fmt::format("daily report: cannot write {}", tmp));
    }
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
      return absl::UnavailableError(
          fmt::format("daily report: cannot rename {} to {}: {}", tmp, path, ec.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace ccx::md
