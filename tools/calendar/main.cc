// ccx-calendar: prints the exchange's trading calendar (MARKET_RULES §2, §8).
//
//   ccx-calendar holidays YEAR
//   ccx-calendar business-days FROM TO
//   ccx-calendar settlement-date DATE...
//
// Options anywhere on the line: --closure YYYY-MM-DD (repeatable), --help / -h.
// Exit codes: 0 success, 1 output could not be written, 2 bad usage or bad input.
// Every input is checked before anything is printed, so a failing run prints nothing
// on stdout.
#include <iostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/calendar/calendar.h"

namespace {

constexpr int kMinYear = 1980;
constexpr int kMaxYear = 2099;
constexpr int kExitOk = 0;
constexpr int kExitOutput = 1;
constexpr int kExitUsage = 2;

constexpr char kUsage[] =
    "usage: ccx-calendar [--closure YYYY-MM-DD]... COMMAND ARGS\n"
    "\n"
    "The ccx trading calendar: Japanese national holidays, the year-end closure\n"
    "(Dec 31, Jan 2, Jan 3) and weekends are not business days. Valid for 1980-2099.\n"
    "\n"
    "commands:\n"
    "  holidays YEAR            national holidays of YEAR: YYYY-MM-DD<TAB>name\n"
    "  business-days FROM TO    business days from FROM to TO inclusive, one per line\n"
    "  settlement-date DATE...  T+5 settlement date of each trade date, one per line\n"
    "\n"
    "options:\n"
    "  --closure YYYY-MM-DD     extra exchange closure (repeatable)\n"
    "  -h, --help               print this help and exit\n"
    "\n"
    "exit codes: 0 success, 1 output error, 2 bad usage or bad input\n";

// Prints "ccx-calendar: MESSAGE" on stderr and returns the usage exit code.
int Fail(const std::string& message) {
  std::cerr << "ccx-calendar: " << message << "\n";
  return kExitUsage;
}

// Like Fail, with a pointer to --help for usage mistakes.
int UsageError(const std::string& message) { return Fail(message + " (see ccx-calendar --help)"); }

// Parses a date argument inside the supported years; on failure sets `error`.
bool ParseDateArg(std::string_view text, absl::CivilDay* day, std::string* error) {
  if (!ccx::ParseIsoDate(text, day)) {
    *error = "invalid date '" + std::string(text) + "' (expected YYYY-MM-DD)";
    return false;
  }
  if (day->year() < kMinYear || day->year() > kMaxYear) {
    *error = "date " + std::string(text) + " is outside the supported years 1980-2099";
    return false;
  }
  return true;
}

// Parses YEAR: 1 to 4 decimal digits within the supported years.
bool ParseYearArg(std::string_view text, int* year, std::string* error) {
  int value = 0;
  bool ok = !text.empty() && text.size() <= 4;
  for (char c : text) {
    if (c < '0' || c > '9') ok = false;
    if (ok) value = value * 10 + (c - '0');
  }
  if (!ok) {
    *error = "invalid year '" + std::string(text) + "'";
    return false;
  }
  if (value < kMinYear || value > kMaxYear) {
    *error = "year " + std::string(text) + " is outside the supported years 1980-2099";
    return false;
  }
  *year = value;
  return true;
}

int Holidays(const std::vector<std::string>& args, std::string* out) {
  if (args.size() != 1) return UsageError("holidays takes exactly one argument: YEAR");
  int year = 0;
  std::string error;
  if (!ParseYearArg(args[0], &year, &error)) return Fail(error);
  for (const ccx::Holiday& h : ccx::JapaneseHolidays(year)) {
    *out += ccx::FormatIsoDate(h.day) + "\t" + h.name_ja + "\n";
  }
  return kExitOk;
}

int BusinessDays(const ccx::TradingCalendar& calendar, const std::vector<std::string>& args,
                 std::string* out) {
  if (args.size() != 2) return UsageError("business-days takes exactly two arguments: FROM TO");
  absl::CivilDay from, to;
  std::string error;
  if (!ParseDateArg(args[0], &from, &error) || !ParseDateArg(args[1], &to, &error)) {
    return Fail(error);
  }
  if (from > to) return Fail("FROM " + args[0] + " is after TO " + args[1]);
  for (absl::CivilDay day : calendar.BusinessDays(from, to)) {
    *out += ccx::FormatIsoDate(day) + "\n";
  }
  return kExitOk;
}

int SettlementDates(const ccx::TradingCalendar& calendar, const std::vector<std::string>& args,
                    std::string* out) {
  if (args.empty()) return UsageError("settlement-date takes one or more trade dates");
  std::string error;
  for (const std::string& arg : args) {
    absl::CivilDay trade;
    if (!ParseDateArg(arg, &trade, &error)) return Fail(error);
    if (!calendar.IsBusinessDay(trade)) {
      return Fail(arg + " is not a business day (" + calendar.NonBusinessReason(trade) + ")");
    }
    const absl::CivilDay settlement = calendar.SettlementDate(trade);
    if (settlement.year() > kMaxYear) {
      return Fail("settlement date of " + arg + " is past the supported years 1980-2099");
    }
    *out += ccx::FormatIsoDate(settlement) + "\n";
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> positional;
  std::vector<absl::CivilDay> closures;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      return std::cout.flush() ? kExitOk : kExitOutput;
    }
    if (arg == "--closure" || arg.substr(0, 10) == "--closure=") {
      std::string_view value;
      if (arg == "--closure") {
        if (i + 1 >= argc) return UsageError("--closure needs a date YYYY-MM-DD");
        value = argv[++i];
      } else {
        value = arg.substr(10);
      }
      absl::CivilDay day;
      std::string error;
      if (!ParseDateArg(value, &day, &error)) return Fail("--closure: " + error);
      closures.push_back(day);
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-') {
      return UsageError("unknown option '" + std::string(arg) + "'");
    }
    positional.emplace_back(arg);
  }
  if (positional.empty()) return UsageError("missing command");

  const std::string command = positional.front();
  const std::vector<std::string> args(positional.begin() + 1, positional.end());
  const ccx::TradingCalendar calendar(std::move(closures));
  std::string out;
  int rc;
  if (command == "holidays") {
    rc = Holidays(args, &out);
  } else if (command == "business-days") {
    rc = BusinessDays(calendar, args, &out);
  } else if (command == "settlement-date") {
    rc = SettlementDates(calendar, args, &out);
  } else {
    return UsageError("unknown command '" + command + "'");
  }
  if (rc != kExitOk) return rc;
  std::cout << out;
  if (!std::cout.flush()) {
    std::cerr << "ccx-calendar: could not write output\n";
    return kExitOutput;
  }
  return kExitOk;
}
