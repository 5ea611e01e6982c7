// A small command-line parser shared by the ccx programs: `--name value`, `--name=value`,
// boolean `--flag`, positional arguments, and a generated --help text. Errors are values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace ccx {

class Args {
 public:
  /// Declares an option taking a value, with its default and help text.
  Args& Option(const std::string& name, const std::string& default_value, const std::string& help);
  /// Declares a boolean flag (false unless given).
  Args& Flag(const std::string& name, const std::string& help);
  /// Declares a repeatable option (all values kept, in order).
  Args& Multi(const std::string& name, const std::string& help);

  /// Parses argv[first..argc). Unknown options and missing values are errors.
  absl::Status Parse(int argc, char** argv, int first = 1);

  std::string Get(const std::string& name) const;
  /// The value as an integer; an error names the option when it is not one.
  absl::StatusOr<int64_t> GetInt(const std::string& name) const;
  absl::StatusOr<double> GetDouble(const std::string& name) const;
  bool Has(const std::string& name) const;  ///< given on the command line (or flag set)
  const std::vector<std::string>& GetMulti(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }
  bool help() const { return help_; }

  /// The options table for --help.
  std::string Usage() const;

 private:
  struct Spec {
    std::string default_value;
    std::string help;
    bool flag = false;
    bool multi = false;
  };
  std::vector<std::string> order_;
  std::map<std::string, Spec> specs_;
  std::map<std::string, std::string> values_;
  std::map<std::string, std::vector<std::string>> multi_;
  std::vector<std::string> positional_;
  bool help_ = false;
};

/// The shipped market configuration (config/market.toml of the source tree this build came
/// from): the default of every program's --config.
std::string DefaultConfigPath();

/// Prints "PROGRAM: MESSAGE (try --help)" to stderr and returns 2 (bad usage).
int UsageError(const std::string& program, const std::string& message);

/// Parses the command line of a program that takes options only: --help prints `usage` and
/// the options table (exit status 0); a parse error or a positional argument prints
/// "PROGRAM: WHAT (try --help)" (status 2). The exit status when the program should stop
/// now, nullopt to go on.
std::optional<int> ParseProgramOptions(Args& args, int argc, char** argv, const std::string& program,
                                       const char* usage);

}  // namespace ccx
