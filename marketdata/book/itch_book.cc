// ItchBook: applying ITCH messages (the views, texts and the snapshot are in
// itch_book_views.cc). Every handler checks first and changes the state only when the
// whole message is consistent, so an error leaves the book as it was.
#include "marketdata/book/itch_book.h"

#include <algorithm>

#include "fmt/format.h"

namespace ccx::md {
namespace {

std::string Code(const itch::Stock& stock) { return std::string(itch::StockView(stock)); }

}  // namespace

void ItchBook::Clear() {
  categories_.clear();
  orders_.clear();
  next_arrival_ = 1;
  system_event_ = ' ';
}

int ItchBook::FindCategory(std::string_view code) const {
  for (size_t i = 0; i < categories_.size(); ++i) {
    if (categories_[i].code == code) return static_cast<int>(i);
  }
  return -1;
}

const BookOrder* ItchBook::FindOrder(uint64_t ref) const {
  auto it = orders_.find(ref);
  return it == orders_.end() ? nullptr : &it->second;
}

absl::Status ItchBook::ApplyBytes(std::span<const uint8_t> bytes) {
  itch::Message m;
  const itch::DecodeStatus s = itch::DecodeMessage(bytes, &m);
  if (s != itch::DecodeStatus::kOk) {
    return absl::InvalidArgumentError(fmt::format(
        "cannot decode ITCH message ({} bytes, type '{}'): {}", bytes.size(),
        bytes.empty() ? std::string() : std::string(1, static_cast<char>(bytes[0])),
        itch::ToString(s)));
  }
  return Apply(m);
}

absl::Status ItchBook::Apply(const itch::Message& message) {
  absl::Status s = std::visit([this](const auto& m) { return On(m); }, message);
  if (s.ok()) {
    // The latest time seen today (snapshot messages carry their original times).
    const uint64_t t = std::visit([](const auto& m) { return m.header.timestamp; }, message);
    const auto* e = std::get_if<itch::SystemEvent>(&message);
    last_timestamp_ = e != nullptr && e->event_code == 'O' ? t : std::max(last_timestamp_, t);
  }
  return s;
}

ItchBook::Located ItchBook::Locate(const itch::Stock& stock, uint16_t locate) const {
  Located r;
  // The header's locate is the fast path; the stock field decides.
  if (locate >= 1 && locate <= categories_.size() && categories_[locate - 1].directory.stock == stock) {
    r.index = locate - 1;
    return r;
  }
  for (size_t i = 0; i < categories_.size(); ++i) {
    if (categories_[i].directory.stock == stock) r.index = static_cast<int>(i);
  }
  if (r.index < 0) {
    r.status = absl::NotFoundError(
        fmt::format("unknown category '{}' (no directory message for it)", Code(stock)));
  } else if (locate != 0) {
    r.status = absl::InvalidArgumentError(
        fmt::format("stock locate {} does not match category {} (locate {})", locate,
                    Code(stock), r.index + 1));
    r.index = -1;
  }
  return r;
}

absl::StatusOr<BookOrder*> ItchBook::OrderFor(uint64_t ref, uint16_t locate, char type) {
  auto it = orders_.find(ref);
  if (it == orders_.end()) {
    return absl::NotFoundError(fmt::format("'{}' for unknown order reference {}", type, ref));
  }
  if (locate != 0 && locate != it->second.category + 1) {
    return absl::InvalidArgumentError(
        fmt::format("'{}' for order {} has stock locate {} but the order is in category "
                    "locate {}", type, ref, locate, it->second.category + 1));
  }
  return &it->second;
}

void ItchBook::Insert(const BookOrder& o) {
  orders_.emplace(o.ref, o);
  CategoryState& c = categories_[o.category];
  PriceLevel& level = o.side == 'B' ? c.bids[o.price] : c.asks[o.price];
  level.price = o.price;
  level.shares += o.shares;
  ++level.orders;
  ++c.order_count;
}

void ItchBook::Reduce(BookOrder* o, uint32_t delta) {
  CategoryState& c = categories_[o->category];
  auto update = [&](auto& side) {
    auto it = side.find(o->price);
    it->second.shares -= delta;
    if (delta == o->shares && --it->second.orders == 0) side.erase(it);
  };
  if (o->side == 'B') {
    update(c.bids);
  } else {
    update(c.asks);
  }
  if (delta == o->shares) {
    --c.order_count;
    orders_.erase(o->ref);
  } else {
    o->shares -= delta;
  }
}

absl::Status ItchBook::On(const itch::SystemEvent& m) {
  if (m.event_code == 'O') Clear();
  system_event_ = m.event_code;
  return absl::OkStatus();
}

absl::Status ItchBook::On(const itch::StockDirectory& m) {
  const std::string code = Code(m.stock);
  if (code.empty()) return absl::InvalidArgumentError("directory message with a blank stock");
  const int existing = FindCategory(code);
  if (existing >= 0) {  // repeated directory: same locate, fields updated
    if (m.header.stock_locate != 0 && m.header.stock_locate != existing + 1) {
      return absl::InvalidArgumentError(
          fmt::format("directory for {} has stock locate {} but it was announced with locate {}",
                      code, m.header.stock_locate, existing + 1));
    }
    categories_[existing].directory = m;
    categories_[existing].directory.header.stock_locate = static_cast<uint16_t>(existing + 1);
    return absl::OkStatus();
  }
  const size_t next = categories_.size() + 1;
  if (m.header.stock_locate != 0 && m.header.stock_locate != next) {
    return absl::InvalidArgumentError(
        fmt::format("directory for {} has stock locate {}; the next category's locate is {}",
                    code, m.header.stock_locate, next));
  }
  CategoryState c;
  c.code = code;
  c.locate = static_cast<uint16_t>(next);
  c.directory = m;
  c.directory.header.stock_locate = c.locate;
  categories_.push_back(std::move(c));
  return absl::OkStatus();
}

absl::Status ItchBook::On(const itch::TradingAction& m) {
  const Located l = Locate(m.stock, m.header.stock_locate);
  if (l.index < 0) return l.status;
  categories_[l.index].action = m;
  return absl::OkStatus();
}

absl::Status ItchBook::On(const itch::AddOrder& m) {
  const Located l = Locate(m.stock, m.header.stock_locate);
  if (l.index < 0) return l.status;
  if (m.side != 'B' && m.side != 'S') {
    return absl::InvalidArgumentError(
        fmt::format("add order {}: side '{}' is not B or S", m.order_ref, m.side));
  }
  if (m.shares == 0) {
    return absl::InvalidArgumentError(fmt::format("add order {} with 0 shares", m.order_ref));
  }
  if (orders_.contains(m.order_ref)) {
    return absl::AlreadyExistsError(
        fmt::format("add order: reference {} is already resting", m.order_ref));
  }
  Insert(BookOrder{m.order_ref, next_arrival_++, m.header.timestamp, m.price, m.shares,
                   static_cast<uint16_t>(l.index), m.side});
  return absl::OkStatus();
}

absl::Status ItchBook::On(const itch::OrderCancel& m) {
  absl::StatusOr<BookOrder*> o = OrderFor(m.order_ref, m.header.stock_locate, 'X');
  if (!o.ok()) return o.status();
  if (m.cancelled_shares == 0 || m.cancelled_shares > (*o)->shares) {
    return absl::InvalidArgumentError(
        fmt::format("cancel of {} shares of order {}, which has {} open", m.cancelled_shares,
                    m.order_ref, (*o)->shares));
  }
  Reduce(*o, m.cancelled_shares);
  return absl::OkStatus();
}

absl::Status ItchBook::On(const itch::OrderDelete& m) {
  absl::StatusOr<BookOrder*> o = OrderFor(m.order_ref, m.header.stock_locate, 'D');
  if (!o.ok()) return o.status();
  Reduce(*o, (*o)->shares);
  return absl::OkStatus();
}

absl::Status ItchBook::On(const itch::OrderReplace& m) {
  absl::StatusOr<BookOrder*> o = OrderFor(m.original_ref, m.header.stock_locate, 'U');
  if (!o.ok()) return o.status();
  if (m.shares == 0) {
    return absl::InvalidArgumentError(
        fmt::format("replace of order {} with 0 shares", m.original_ref));
  }
  if (m.new_ref != m.original_ref && orders_.contains(m.new_ref)) {
    return absl::AlreadyExistsError(
        fmt::format("replace of order {}: new reference {} is already resting",
                    m.original_ref, m.new_ref));
  }
  // A new order: new reference, new place in time; side and category carry over.
  BookOrder next = **o;
  Reduce(*o, next.shares);
  next.ref = m.new_ref;
  next.arrival = next_arrival_++;
  next.timestamp = m.header.timestamp;
  next.price = m.price;
  next.shares = m.shares;
  Insert(next);
  return absl::OkStatus();
}

absl::Status ItchBook::On(const itch::OrderExecuted& m) {
  absl::StatusOr<BookOrder*> o = OrderFor(m.order_ref, m.header.stock_locate, 'E');
  if (!o.ok()) return o.status();
  if (m.executed_shares == 0 || m.executed_shares > (*o)->shares) {
    return absl::InvalidArgumentError(
        fmt::format("execution of {} shares of order {}, which has {} open",
                    m.executed_shares, m.order_ref, (*o)->shares));
  }
  Reduce(*o, m.executed_shares);
  return absl::OkStatus();
}

absl::Status ItchBook::On(const itch::CrossTrade& m) {
  const Located l = Locate(m.stock, m.header.stock_locate);
  if (l.index < 0) return l.status;
  categories_[l.index].crosses.push_back(m);
  return absl::OkStatus();
}

absl::Status ItchBook::On(const itch::Noii& m) {
  const Located l = Locate(m.stock, m.header.stock_locate);
  if (l.index < 0) return l.status;
  categories_[l.index].noii = m;
  return absl::OkStatus();
}

}  // namespace ccx::md
