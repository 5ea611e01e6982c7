#include "settlement/ledger_command.h"

#include <charconv>

#include "fmt/format.h"

namespace ccx::settlement {
namespace {

constexpr std::string_view kUsage =
    "ledger deposit-credits USER CATEGORY QUANTITY PROGRAM PROJECT VINTAGE FIRST_SERIAL "
    "[--actor A] [--reason R] | ledger withdraw-credits USER CATEGORY QUANTITY "
    "[--project P --serials FIRST-LAST] [--actor A] [--reason R] | ledger retire USER "
    "CATEGORY QUANTITY [--project P --serials FIRST-LAST] --purpose P [--actor A] | "
    "ledger deposit-cash USER YEN [--actor A] [--reason R] | ledger withdraw-cash USER YEN "
    "[--actor A] [--reason R]";

absl::Status Bad(std::string_view what) {
  return absl::InvalidArgumentError(fmt::format("{} (usage: {})", what, kUsage));
}

template <typename T>
bool ParseNumber(std::string_view s, T* out) {
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes `word` into the fixed field `field`, naming `what` in the error.
template <size_t N>
absl::Status SetText(char (&field)[N], std::string_view word, std::string_view what) {
  std::string text;
  if (!DecodeWord(word, &text)) return Bad(fmt::format("{}: malformed %-escape in \"{}\"", what, word));
  if (text.empty()) return Bad(fmt::format("{}: must not be empty", what));
  if (!SetField(field, text)) return Bad(fmt::format("{}: at most {} bytes", what, N - 1));
  return absl::OkStatus();
}

}  // namespace

std::string_view LedgerCommandUsage() { return kUsage; }

std::string EncodeWord(std::string_view text) {
  std::string out;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '%' || c == ' ' || c < 0x20 || c == 0x7F) {
      out += fmt::format("%{:02X}", c);
    } else {
      out += ch;
    }
  }
  return out;
}

bool DecodeWord(std::string_view word, std::string* out) {
  out->clear();
  for (size_t i = 0; i < word.size(); ++i) {
    if (word[i] != '%') {
      *out += word[i];
      continue;
    }
    if (i + 2 >= word.size()) return false;  // needs two hex digits
    const int hi = Hex(word[i + 1]), lo = Hex(word[i + 2]);
    if (hi < 0 || lo < 0) return false;
    *out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

absl::StatusOr<LedgerOp> ParseLedgerCommand(const std::vector<std::string>& words,
                                            const MarketConfig& market,
                                            const ParticipantRegistry& participants) {
  if (words.size() < 2 || words[0] != "ledger") return Bad("not a ledger command");
  LedgerOp op;
  const std::string& verb = words[1];
  size_t npos = 0;  // positional words after the verb
  if (verb == "deposit-credits") {
    op.type = LedgerOpType::kDepositCredits;
    npos = 7;
  } else if (verb == "withdraw-credits" || verb == "retire") {
    op.type = verb == "retire" ? LedgerOpType::kRetire : LedgerOpType::kWithdrawCredits;
    npos = 3;
  } else if (verb == "deposit-cash" || verb == "withdraw-cash") {
    op.type = verb == "deposit-cash" ? LedgerOpType::kDepositCash : LedgerOpType::kWithdrawCash;
    npos = 2;
  } else {
    return Bad(fmt::format("unknown ledger command \"{}\"", verb));
  }
  std::vector<std::string_view> pos;
  std::string_view actor = "admin", reason, purpose, project, serials;
  for (size_t i = 2; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.rfind("--", 0) != 0) {
      pos.push_back(w);
      continue;
    }
    if (i + 1 >= words.size()) return Bad(fmt::format("{} needs a value", w));
    const std::string& v = words[++i];
    if (w == "--actor") {
      actor = v;
    } else if (w == "--reason" && op.type != LedgerOpType::kRetire) {
      reason = v;
    } else if (w == "--purpose" && op.type == LedgerOpType::kRetire) {
      purpose = v;
    } else if (w == "--project" && (op.type == LedgerOpType::kWithdrawCredits ||
                                    op.type == LedgerOpType::kRetire)) {
      project = v;
    } else if (w == "--serials" && (op.type == LedgerOpType::kWithdrawCredits ||
                                    op.type == LedgerOpType::kRetire)) {
      serials = v;
    } else {
      return Bad(fmt::format("{}: unknown option {}", verb, w));
    }
  }
  if (pos.size() != npos) {
    return Bad(fmt::format("{}: expected {} arguments, got {}", verb, npos, pos.size()));
  }
  const Participant* p = participants.FindByUsername(pos[0]);
  if (p == nullptr) return Bad(fmt::format("unknown participant \"{}\"", pos[0]));
  op.participant = p->id;
  if (absl::Status st = SetText(op.actor, actor, "actor"); !st.ok()) return st;
  if (op.type == LedgerOpType::kRetire) {
    if (purpose.empty()) return Bad("retire: --purpose is required (what the credits offset)");
    if (absl::Status st = SetText(op.reason, purpose, "purpose"); !st.ok()) return st;
  } else if (!reason.empty()) {
    if (absl::Status st = SetText(op.reason, reason, "reason"); !st.ok()) return st;
  }
  if (op.type == LedgerOpType::kDepositCash || op.type == LedgerOpType::kWithdrawCash) {
    if (!ParseNumber(pos[1], &op.amount_yen) || op.amount_yen <= 0) {
      return Bad(fmt::format("amount must be a positive whole number of yen (got \"{}\")", pos[1]));
    }
    return op;
  }
  const int c = market.FindCategory(pos[1]);
  if (c < 0) return Bad(fmt::format("unknown category \"{}\"", pos[1]));
  op.category = static_cast<CategoryId>(c);
  if (!ParseNumber(pos[2], &op.quantity) || op.quantity <= 0) {
    return Bad(fmt::format("quantity must be a positive whole number of t-CO2 (got \"{}\")", pos[2]));
  }
  SetField(op.program, market.categories[c].program);
  if (op.type == LedgerOpType::kDepositCredits) {
    if (absl::Status st = SetText(op.program, pos[3], "program"); !st.ok()) return st;
    if (absl::Status st = SetText(op.project, pos[4], "project"); !st.ok()) return st;
    if (!ParseNumber(pos[5], &op.vintage)) {
      return Bad(fmt::format("vintage must be a year (got \"{}\")", pos[5]));
    }
    if (!ParseNumber(pos[6], &op.first_serial) || op.first_serial == 0) {
      return Bad(fmt::format("first serial must be a positive whole number (got \"{}\")", pos[6]));
    }
    op.last_serial = op.first_serial + static_cast<uint64_t>(op.quantity) - 1;
    if (op.last_serial < op.first_serial) return Bad("serials overflow");
    return op;
  }
  if (project.empty() != serials.empty()) return Bad("--project and --serials go together");
  if (!serials.empty()) {
    if (absl::Status st = SetText(op.project, project, "project"); !st.ok()) return st;
    const size_t dash = serials.find('-');
    if (dash == std::string_view::npos || !ParseNumber(serials.substr(0, dash), &op.first_serial) ||
        !ParseNumber(serials.substr(dash + 1), &op.last_serial) || op.first_serial == 0 ||
        op.last_serial < op.first_serial) {
      return Bad(fmt::format("--serials must be FIRST-LAST with 1 <= FIRST <= LAST (got \"{}\")",
                             serials));
    }
    if (op.last_serial - op.first_serial + 1 != static_cast<uint64_t>(op.quantity)) {
      return Bad(fmt::format("--serials {} are {} t-CO2, not the quantity {}", serials,
                             op.last_serial - op.first_serial + 1, op.quantity));
    }
  }
  return op;
}

std::string FormatLedgerCommand(const LedgerOp& op, const MarketConfig& market,
                                const ParticipantRegistry& participants) {
  std::string line = fmt::format("ledger {} {}", ToString(op.type),
                                 participants.participants.at(op.participant).username);
  const bool cash = op.type == LedgerOpType::kDepositCash || op.type == LedgerOpType::kWithdrawCash;
  if (cash) {
    line += fmt::format(" {}", op.amount_yen);
  } else {
    line += fmt::format(" {} {}", market.categories.at(op.category).code, op.quantity);
  }
  if (op.type == LedgerOpType::kDepositCredits) {
    line += fmt::format(" {} {} {} {}", EncodeWord(FieldView(op.program)),
                        EncodeWord(FieldView(op.project)), op.vintage, op.first_serial);
  } else if (!cash && op.first_serial != 0) {
    line += fmt::format(" --project {} --serials {}-{}", EncodeWord(FieldView(op.project)),
                        op.first_serial, op.last_serial);
  }
  line += fmt::format(" --actor {}", EncodeWord(FieldView(op.actor)));
  if (!FieldView(op.reason).empty()) {
    line += fmt::format(" --{} {}", op.type == LedgerOpType::kRetire ? "purpose" : "reason",
                        EncodeWord(FieldView(op.reason)));
  }
  return line;
}

bool IsLedgerQuery(const std::vector<std::string>& words) {
  return !words.empty() && (words[0] == "ledger-holdings" || words[0] == "ledger-cash");
}

std::string AnswerLedgerQuery(const std::vector<std::string>& words, const Registry& registry) {
  if (words.size() != 2 || !IsLedgerQuery(words)) {
    return "error: usage: ledger-holdings USER | ledger-cash USER";
  }
  const int p = registry.FindParticipant(words[1]);
  if (p < 0) return fmt::format("error: unknown participant \"{}\"", words[1]);
  return words[0] == "ledger-holdings" ? registry.HoldingsJson(static_cast<ParticipantId>(p))
                                       : registry.CashJson(static_cast<ParticipantId>(p));
}

}  // namespace ccx::settlement
