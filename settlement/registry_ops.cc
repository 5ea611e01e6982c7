// Registry: ledger operations (deposits, withdrawals, retirements), validated before
// anything changes. Serial numbers are identified by (program, project, serial): the serial
// index holds every serial present in the ledger (held or retired), so a deposit that
// overlaps any of them is refused; withdrawn serials leave the index and may come back.
#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "fmt/format.h"
#include "settlement/registry.h"

namespace ccx::settlement {
namespace {

constexpr int64_t kMaxQuantity = int64_t{1} << 40;  // t-CO2 in one operation
constexpr int64_t kMaxYen = int64_t{1} << 50;       // ~1.1e15 yen in one operation
constexpr int32_t kMinVintage = 1990;
constexpr int32_t kMaxVintage = 2100;

absl::string_view AbslView(std::string_view s) { return absl::string_view(s.data(), s.size()); }
absl::Status Refuse(std::string_view what) { return absl::FailedPreconditionError(AbslView(what)); }
absl::Status Invalid(std::string_view what) { return absl::InvalidArgumentError(AbslView(what)); }

std::string SerialText(uint64_t first, uint64_t last) {
  return first == last ? std::to_string(first) : fmt::format("{}-{}", first, last);
}

}  // namespace

std::string_view ToString(LedgerOpType t) {
  switch (t) {
    case LedgerOpType::kDepositCredits: return "deposit-credits";
    case LedgerOpType::kWithdrawCredits: return "withdraw-credits";
    case LedgerOpType::kDepositCash: return "deposit-cash";
    case LedgerOpType::kWithdrawCash: return "withdraw-cash";
    case LedgerOpType::kRetire: return "retire";
  }
  return "?";
}

std::string_view ToString(FailKind k) {
  switch (k) {
    case FailKind::kDeliverCredits: return "deliver-credits";
    case FailKind::kReceiveCredits: return "receive-credits";
    case FailKind::kPayCash: return "pay-cash";
    case FailKind::kCollectCash: return "collect-cash";
  }
  return "?";
}

uint32_t Registry::Intern(std::string_view name) {
  auto it = name_ids_.find(AbslView(name));
  if (it != name_ids_.end()) return it->second;
  const auto id = static_cast<uint32_t>(names_.size());
  names_.emplace_back(name);
  name_ids_.emplace(std::string(name), id);
  return id;
}

std::string Registry::Describe(const LedgerOp& op) const {
  switch (op.type) {
    case LedgerOpType::kDepositCash:
    case LedgerOpType::kWithdrawCash:
      return fmt::format("{} yen", op.amount_yen);
    case LedgerOpType::kDepositCredits:
      return fmt::format("{} {} t-CO2 {} {} vintage {} serials {}", categories_[op.category].code,
                         op.quantity, categories_[op.category].program, FieldView(op.project),
                         op.vintage,
                         SerialText(op.first_serial, op.last_serial));
    case LedgerOpType::kWithdrawCredits:
    case LedgerOpType::kRetire:
      if (op.first_serial == 0) {
        return fmt::format("{} {} t-CO2 oldest first", categories_[op.category].code, op.quantity);
      }
      return fmt::format("{} {} t-CO2 {} {} serials {}", categories_[op.category].code,
                         op.quantity, categories_[op.category].program, FieldView(op.project),
                         SerialText(op.first_serial, op.last_serial));
  }
  return "";
}

absl::Status Registry::Validate(const LedgerOp& op) const {
  if (op.participant >= usernames_.size()) {
    return Invalid(fmt::format("unknown participant id {} ({} participants)", op.participant,
                               usernames_.size()));
  }
  if (FieldView(op.actor).empty()) return Invalid("actor: required (who asks for the change)");
  for (auto [name, text] : {std::pair{"program", FieldView(op.program)},
                            {"project", FieldView(op.project)},
                            {"actor", FieldView(op.actor)},
                            {"reason", FieldView(op.reason)}}) {
    for (unsigned char ch : text) {
      if (ch < 0x20 || ch == 0x7F) {
        return Invalid(fmt::format("{}: must not contain control characters", name));
      }
    }
  }
  const std::string& who = usernames_[op.participant];
  switch (op.type) {
    case LedgerOpType::kDepositCash:
    case LedgerOpType::kWithdrawCash:
      if (op.amount_yen <= 0 || op.amount_yen > kMaxYen) {
        return Invalid(fmt::format("amount must be from 1 to {} yen (got {})", kMaxYen,
                                   op.amount_yen));
      }
      if (op.type == LedgerOpType::kWithdrawCash && op.amount_yen > CashAvailable(op.participant)) {
        return Refuse(fmt::format(
            "{} has {} yen available (balance {}, reserved {} by open buy orders and "
            "unsettled purchases); cannot withdraw {} yen",
            who, CashAvailable(op.participant), CashBalance(op.participant),
            CashReserved(op.participant), op.amount_yen));
      }
      return absl::OkStatus();
    case LedgerOpType::kDepositCredits:
    case LedgerOpType::kWithdrawCredits:
    case LedgerOpType::kRetire:
      return ValidateCredits(op);
  }
  return Invalid(fmt::format("unknown ledger operation type {}", static_cast<int>(op.type)));
}

absl::Status Registry::ValidateCredits(const LedgerOp& op) const {
  if (op.category >= categories_.size()) {
    return Invalid(fmt::format("unknown category id {}", op.category));
  }
  const CategoryInfo& cat = categories_[op.category];
  const std::string& who = usernames_[op.participant];
  if (op.quantity <= 0 || op.quantity > kMaxQuantity) {
    return Invalid(fmt::format("quantity must be from 1 to {} t-CO2 (got {})", kMaxQuantity,
                               op.quantity));
  }
  if (!FieldView(op.program).empty() && FieldView(op.program) != cat.program) {
    return Invalid(fmt::format("category {} holds {} credits, not {}", cat.code, cat.program,
                               FieldView(op.program)));
  }
  if (op.type == LedgerOpType::kRetire && FieldView(op.reason).empty()) {
    return Invalid("retire: a purpose is required (what the credits offset)");
  }
  const bool by_serial = op.type == LedgerOpType::kDepositCredits || op.first_serial != 0;
  if (by_serial) {
    if (FieldView(op.project).empty()) return Invalid("project: required with serial numbers");
    if (op.first_serial == 0 || op.last_serial < op.first_serial ||
        op.last_serial - op.first_serial + 1 != static_cast<uint64_t>(op.quantity)) {
      return Invalid(fmt::format("serials {}-{} do not make {} t-CO2 (first >= 1, "
                                 "last = first + quantity - 1)",
                                 op.first_serial, op.last_serial, op.quantity));
    }
    if (op.last_serial > static_cast<uint64_t>(INT64_MAX)) {
      return Invalid(fmt::format("serials must be below 2^63 (got last {})", op.last_serial));
    }
  }
  if (op.type == LedgerOpType::kDepositCredits) {
    if (op.vintage < kMinVintage || op.vintage > kMaxVintage) {
      return Invalid(fmt::format("vintage must be a year from {} to {} (got {})", kMinVintage,
                                 kMaxVintage, op.vintage));
    }
    return ValidateSerials(op);
  }
  const int64_t avail = AvailableCredits(op.participant, op.category);
  if (op.quantity > avail) {
    return Refuse(fmt::format(
        "{} has {} t-CO2 of {} available (held {}, reserved {} by open sell orders and "
        "unsettled sales); cannot {} {}",
        who, avail, cat.code, HeldCredits(op.participant, op.category),
        ReservedCredits(op.participant, op.category),
        op.type == LedgerOpType::kRetire ? "retire" : "withdraw", op.quantity));
  }
  return by_serial ? ValidateSerials(op) : absl::OkStatus();
}

// Deposits: no serial of the new block may be in the ledger already. Withdrawals and
// retirements of given serials: every serial must be in a held block of the participant in
// the category (the message says where the others are).
absl::Status Registry::ValidateSerials(const LedgerOp& op) const {
  const std::string_view program = categories_[op.category].program;
  const std::string_view project = FieldView(op.project);
  const std::string range = fmt::format("{} {} serials {}", program, project,
                                        SerialText(op.first_serial, op.last_serial));
  auto pid = name_ids_.find(AbslView(program));
  auto jid = name_ids_.find(AbslView(project));
  const bool known = pid != name_ids_.end() && jid != name_ids_.end();
  if (!known) {
    if (op.type == LedgerOpType::kDepositCredits) return absl::OkStatus();
    return Refuse(fmt::format("{}: none of them are in the ledger", range));
  }
  // Fast paths (no scan of every block): a deposit that meets no serial of the index, a
  // withdrawal or retirement covered by the participant's own held blocks.
  if (op.type == LedgerOpType::kDepositCredits) {
    auto it = serials_.find((uint64_t{pid->second} << 32) | jid->second);
    if (it == serials_.end()) return absl::OkStatus();
    auto next = it->second.upper_bound(op.last_serial);  // first range starting after last
    if (next == it->second.begin() || std::prev(next)->second < op.first_serial) {
      return absl::OkStatus();
    }
  } else {
    uint64_t own = 0;
    for (uint32_t id : held_list(op.participant, op.category)) {
      const Block& b = blocks_[id];
      if (b.project == jid->second && b.first <= op.last_serial && b.last >= op.first_serial) {
        own += std::min(b.last, op.last_serial) - std::max(b.first, op.first_serial) + 1;
      }
    }
    if (own == static_cast<uint64_t>(op.quantity)) return absl::OkStatus();
  }
  // Otherwise find out where the serials are, to say so: the blocks (held or retired, any
  // owner) that overlap the range, in serial order.
  std::vector<uint32_t> overlapping;
  {
    for (uint32_t id = 1; id < blocks_.size(); ++id) {
      const Block& b = blocks_[id];
      if (b.live && b.program == pid->second && b.project == jid->second &&
          b.first <= op.last_serial && b.last >= op.first_serial) {
        overlapping.push_back(id);
      }
    }
    std::sort(overlapping.begin(), overlapping.end(),
              [this](uint32_t a, uint32_t b) { return blocks_[a].first < blocks_[b].first; });
  }
  auto where = [this](const Block& b) {
    return fmt::format("{} by {} in {}", b.retired ? "retired" : "held", usernames_[b.owner],
                       categories_[b.category].code);
  };
  if (op.type == LedgerOpType::kDepositCredits) {
    if (overlapping.empty()) return absl::OkStatus();
    const Block& b = blocks_[overlapping.front()];
    return Refuse(fmt::format("{} overlap serials {} already in the ledger ({})", range,
                              SerialText(b.first, b.last), where(b)));
  }
  uint64_t covered = 0;
  for (uint32_t id : overlapping) {
    const Block& b = blocks_[id];
    const uint64_t f = std::max(b.first, op.first_serial);
    const uint64_t l = std::min(b.last, op.last_serial);
    if (b.retired) {
      return Refuse(fmt::format("{}: serials {} are retired (by {}) and can never move again",
                                range, SerialText(f, l), usernames_[b.owner]));
    }
    if (b.owner != op.participant || b.category != op.category) {
      return Refuse(fmt::format("{}: serials {} are {}", range, SerialText(f, l), where(b)));
    }
    covered += l - f + 1;
  }
  if (covered != static_cast<uint64_t>(op.quantity)) {
    return Refuse(fmt::format("{}: {} of them are not in the ledger", range,
                              static_cast<uint64_t>(op.quantity) - covered));
  }
  return absl::OkStatus();
}

absl::Status Registry::Apply(const LedgerOp& op, Timestamp time, uint64_t journal_seq) {
  BeginInput(journal_seq, time);
  if (absl::Status st = Validate(op); !st.ok()) return st;
  const ParticipantId p = op.participant;
  switch (op.type) {
    case LedgerOpType::kDepositCash:
      acct_[p].balance += op.amount_yen;
      cash_in_ += op.amount_yen;
      TouchCash(p);
      break;
    case LedgerOpType::kWithdrawCash:
      acct_[p].balance -= op.amount_yen;
      cash_in_ -= op.amount_yen;
      TouchCash(p);
      break;
    case LedgerOpType::kDepositCredits:
      DepositCredits(op, time);
      break;
    case LedgerOpType::kWithdrawCredits:
    case LedgerOpType::kRetire: {
      std::vector<uint32_t> pieces;
      TakeCredits(op, &pieces);
      const bool retire = op.type == LedgerOpType::kRetire;
      const uint32_t purpose = retire ? Intern(FieldView(op.reason)) : 0;
      for (uint32_t id : pieces) {
        Block& b = blocks_[id];
        pos(p, op.category).held -= b.quantity();
        if (retire) {
          b.retired = true;
          b.purpose = purpose;
          pos(p, op.category).retired += b.quantity();
          retired_[static_cast<size_t>(p) * categories_.size() + op.category].push_back(id);
        } else {
          RemoveFromIndex(b);
          b.live = false;
        }
        TouchBlock(id);
      }
      break;
    }
  }
  Audit(time, std::string(FieldView(op.actor)), std::string(ToString(op.type)), p, Describe(op),
        std::string(FieldView(op.reason)));
  return absl::OkStatus();
}

void Registry::DepositCredits(const LedgerOp& op, Timestamp time) {
  Block b;
  b.first = op.first_serial;
  b.last = op.last_serial;
  b.acquired = next_acquired_++;
  b.acquired_at = time;
  b.owner = op.participant;
  b.program = Intern(categories_[op.category].program);
  b.project = Intern(FieldView(op.project));
  b.vintage = op.vintage;
  b.category = op.category;
  b.live = true;
  const auto id = static_cast<uint32_t>(blocks_.size());
  blocks_.push_back(b);
  held_list(op.participant, op.category).push_back(id);
  pos(op.participant, op.category).held += b.quantity();
  serials_[(uint64_t{b.program} << 32) | b.project].emplace(b.first, b.last);
  TouchBlock(id);
}

// Splits block `id` (quantity > qty > 0): the block keeps its first `qty` serials and a new
// block (same owner, category, acquisition) gets the rest. Returns the new block's id; the
// caller puts it into the right list.
uint32_t Registry::SplitFront(uint32_t id, int64_t qty) {
  Block back = blocks_[id];
  back.first = blocks_[id].first + static_cast<uint64_t>(qty);
  back.dirty = false;
  blocks_[id].last = back.first - 1;
  const auto nid = static_cast<uint32_t>(blocks_.size());
  blocks_.push_back(back);
  TouchBlock(id);
  TouchBlock(nid);
  return nid;
}

void Registry::TakeCredits(const LedgerOp& op, std::vector<uint32_t>* pieces) {
  std::deque<uint32_t>& list = held_list(op.participant, op.category);
  if (op.first_serial == 0) {  // oldest first
    int64_t need = op.quantity;
    while (need > 0) {
      const uint32_t id = list.front();
      list.pop_front();
      if (blocks_[id].quantity() > need) list.push_front(SplitFront(id, need));
      need -= blocks_[id].quantity();
      pieces->push_back(id);
    }
    return;
  }
  // Exactly [first_serial, last_serial]: carve the range out of every held block it meets;
  // what is left of a block stays in the list at the block's place.
  const uint32_t project = name_ids_.at(AbslView(FieldView(op.project)));
  for (size_t i = 0; i < list.size(); ++i) {
    const uint32_t id = list[i];
    const Block& b = blocks_[id];
    if (b.project != project || b.first > op.last_serial || b.last < op.first_serial) continue;
    uint32_t taken = id;
    if (b.first < op.first_serial) {  // keep the front, take from first_serial on
      taken = SplitFront(id, static_cast<int64_t>(op.first_serial - b.first));
      list.insert(list.begin() + static_cast<std::ptrdiff_t>(++i), taken);
    }
    if (blocks_[taken].last > op.last_serial) {  // keep the back
      const uint32_t rest =
          SplitFront(taken, static_cast<int64_t>(op.last_serial - blocks_[taken].first + 1));
      list.insert(list.begin() + static_cast<std::ptrdiff_t>(i + 1), rest);
    }
    list.erase(list.begin() + static_cast<std::ptrdiff_t>(i--));
    pieces->push_back(taken);
  }
}

void Registry::RemoveFromIndex(const Block& b) {
  RangeIndex& index = serials_[(uint64_t{b.program} << 32) | b.project];
  auto it = index.upper_bound(b.first);
  --it;  // the range holding b.first (blocks never straddle index ranges)
  const uint64_t f = it->first, l = it->second;
  index.erase(it);
  if (f < b.first) index.emplace(f, b.first - 1);
  if (b.last < l) index.emplace(b.last + 1, l);
}

void Registry::Audit(Timestamp time, std::string actor, std::string action, ParticipantId p,
                     std::string detail, std::string reason) {
  if (!record_) return;
  pending_.audit.push_back(AuditRow{time, std::move(actor), std::move(action),
                                    p < usernames_.size() ? usernames_[p] : std::string(),
                                    std::move(detail), std::move(reason)});
  pending_dirty_ = true;
}

}  // namespace ccx::settlement
