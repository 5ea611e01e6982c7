#include "surveillance/alert.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "fmt/format.h"

namespace ccx::surveillance {

std::string_view ToString(AlertKind kind) {
  switch (kind) {
    case AlertKind::kSpoofing: return "spoofing";
    case AlertKind::kMarking: return "marking";
    case AlertKind::kWashTrade: return "wash_trade";
    case AlertKind::kConcentration: return "concentration";
    case AlertKind::kQuotePull: return "quote_pull";
  }
  return "?";
}

std::string DefaultAlertDir(std::string_view data_dir) { return fmt::format("{}/alerts", data_dir); }

std::string AlertFileName(std::string_view id) {
  std::string out(id);
  for (char& c : out) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) c = '_';
  }
  return out + ".json";
}

absl::Status DirectoryAlertSink::Write(const Alert& alert) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return absl::InternalError(fmt::format("alerts directory {}: {}", dir_, ec.message()));
  const std::string path = fmt::format("{}/{}", dir_, AlertFileName(alert.id));
  const std::string tmp = path + ".tmp";
  const std::string text = alert.json.dump(2) + "\n";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return absl::InternalError(fmt::format("{}: open: {}", tmp, std::strerror(errno)));
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      return absl::InternalError(fmt::format("{}: write: {}", tmp, std::strerror(err)));
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) return absl::InternalError(fmt::format("{}: close: {}", tmp, std::strerror(errno)));
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::InternalError(fmt::format("{}: rename: {}", path, std::strerror(errno)));
  }
  return absl::OkStatus();
}

nlohmann::json IndicativeEvidence(const Indicative& c) {
  return {{"price", c.executes ? nlohmann::json(c.price) : nlohmann::json(nullptr)},
          {"volume", c.executes ? c.volume : 0}};
}

int64_t MoveBps(const Indicative& before, const Indicative& after) {
  if (!before.executes || !after.executes || before.price <= 0) return -1;
  const int64_t d = static_cast<int64_t>(after.price) - before.price;
  return (d < 0 ? -d : d) * 10'000 / before.price;
}

}  // namespace ccx::surveillance
