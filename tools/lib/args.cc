#include "tools/lib/args.h"

#include <cstdio>

#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace ccx {

Args& Args::Option(const std::string& name, const std::string& def, const std::string& help) {
  order_.push_back(name);
  specs_[name] = Spec{def, help, false, false};
  return *this;
}

Args& Args::Flag(const std::string& name, const std::string& help) {
  order_.push_back(name);
  specs_[name] = Spec{"", help, true, false};
  return *this;
}

Args& Args::Multi(const std::string& name, const std::string& help) {
  order_.push_back(name);
  specs_[name] = Spec{"", help, false, true};
  return *this;
}

absl::Status Args::Parse(int argc, char** argv, int first) {
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      help_ = true;
      continue;
    }
    if (a.rfind("--", 0) != 0 || a == "--") {
      positional_.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::string value;
    bool has_value = false;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    auto it = specs_.find(name);
    if (it == specs_.end()) return absl::InvalidArgumentError(absl::StrCat("unknown option --", name));
    if (it->second.flag) {
      if (has_value) return absl::InvalidArgumentError(absl::StrCat("--", name, " takes no value"));
      values_.insert_or_assign(name, std::string(1, '1'));  // (not = "1": GCC 12 -Wrestrict false positive)
      continue;
    }
    if (!has_value) {
      if (i + 1 >= argc) return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
      value = argv[++i];
    }
    if (it->second.multi) {
      multi_[name].push_back(value);
    } else {
      values_[name] = value;
    }
  }
  return absl::OkStatus();
}

std::string Args::Get(const std::string& name) const {
  auto v = values_.find(name);
  if (v != values_.end()) return v->second;
  auto s = specs_.find(name);
  return s == specs_.end() ? std::string() : s->second.default_value;
}

absl::StatusOr<int64_t> Args::GetInt(const std::string& name) const {
  int64_t x = 0;
  const std::string v = Get(name);
  if (!absl::SimpleAtoi(v, &x)) {
    return absl::InvalidArgumentError(absl::StrCat("--", name, ": not an integer: '", v, "'"));
  }
  return x;
}

absl::StatusOr<double> Args::GetDouble(const std::string& name) const {
  double x = 0;
  const std::string v = Get(name);
  if (!absl::SimpleAtod(v, &x)) {
    return absl::InvalidArgumentError(absl::StrCat("--", name, ": not a number: '", v, "'"));
  }
  return x;
}

bool Args::Has(const std::string& name) const {
  return values_.count(name) > 0 || multi_.count(name) > 0;
}

const std::vector<std::string>& Args::GetMulti(const std::string& name) const {
  static const std::vector<std::string> kEmpty;
  auto it = multi_.find(name);
  return it == multi_.end() ? kEmpty : it->second;
}

std::string Args::Usage() const {
  std::string out;
  for (const auto& name : order_) {
    const Spec& s = specs_.at(name);
    std::string left = absl::StrCat("  --", name, s.flag ? "" : " X");
    if (left.size() < 26) left.resize(26, ' ');
    absl::StrAppend(&out, left, " ", s.help);
    if (!s.flag && !s.default_value.empty()) absl::StrAppend(&out, " (default ", s.default_value, ")");
    if (s.multi) absl::StrAppend(&out, " (repeatable)");
    absl::StrAppend(&out, "\n");
  }
  return out;
}

std::string DefaultConfigPath() {
#ifdef CCX_DEFAULT_CONFIG
  return CCX_DEFAULT_CONFIG;
#else
  return "config/market.toml";
#endif
}

int UsageError(const std::string& program, const std::string& message) {
  std::fprintf(stderr, "%s: %s (try --help)\n", program.c_str(), message.c_str());
  return 2;
}

std::optional<int> ParseProgramOptions(Args& args, int argc, char** argv, const std::string& program,
                                       const char* usage) {
  if (auto st = args.Parse(argc, argv); !st.ok()) return UsageError(program, std::string(st.message()));
  if (args.help()) {
    std::fputs(usage, stdout);
    std::fputs(args.Usage().c_str(), stdout);
    return 0;
  }
  if (!args.positional().empty()) {
    return UsageError(program, "unexpected argument '" + args.positional()[0] + "'");
  }
  return std::nullopt;
}

}  // namespace ccx
