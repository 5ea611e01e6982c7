// Alerts: what the AlertDetector found around one auction, with the evidence (orders,
// times, effect on the indicative price) and the thresholds that applied, as one JSON
// object per alert. AlertSink is where they go: files under DATA_DIR/alerts/ for the live
// exchange (one file per alert, named by its id), memory for tests and tools.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "engine/auction/auction_types.h"
#include "engine/core/types.h"
#include "nlohmann/json.hpp"

namespace ccx::surveillance {

enum class AlertKind : uint8_t {
  kSpoofing = 0,       ///< large orders entered and cancelled shortly before the auction
  kMarking = 1,        ///< last-minute orders that moved the indicative price and executed
  kWashTrade = 2,      ///< the same participant bought and sold in the auction
  kConcentration = 3,  ///< one participant with more than a share of the auction's volume
  kQuotePull = 4,      ///< a market maker's two-sided quote pulled just before the auction
};

/// "spoofing", "marking", "wash_trade", "concentration", "quote_pull".
std::string_view ToString(AlertKind kind);

struct Alert {
  AlertKind kind = AlertKind::kSpoofing;
  /// "YYYYMMDD-HHMM-CATEGORY-kind-USERNAME": the same alert always gets the same id, so a
  /// replay after a restart rewrites the same file instead of adding a second one.
  std::string id;
  CategoryId category = 0;
  std::string category_code;
  Timestamp auction_time = 0;   ///< the auction the alert belongs to
  uint8_t session = 0;          ///< its session index within the day
  ParticipantId participant = 0;
  std::string username;
  std::string summary;          ///< one human-readable sentence
  nlohmann::json json;          ///< the whole alert (id, kind, auction, evidence, thresholds)
};

/// Receives each alert once, in the order the detector completes them.
class AlertSink {
 public:
  virtual ~AlertSink() = default;
  /// Stores `alert`; an error stops nothing but is reported by the detector's status().
  virtual absl::Status Write(const Alert& alert) = 0;
};

/// Keeps the alerts in memory.
class MemoryAlertSink : public AlertSink {
 public:
  absl::Status Write(const Alert& alert) override {
    alerts_.push_back(alert);
    return absl::OkStatus();
  }
  const std::vector<Alert>& alerts() const { return alerts_; }

 private:
  std::vector<Alert> alerts_;
};

/// Writes each alert as `dir`/ID.json (pretty JSON), atomically (a temporary file renamed
/// into place), creating `dir` if needed. Writing the same alert again replaces the file
/// with identical content.
class DirectoryAlertSink : public AlertSink {
 public:
  explicit DirectoryAlertSink(std::string dir) : dir_(std::move(dir)) {}
  absl::Status Write(const Alert& alert) override;
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

/// `data_dir`/alerts: where the live exchange writes its alerts.
std::string DefaultAlertDir(std::string_view data_dir);

/// A file name for `id`: characters other than letters, digits, '-' and '_' become '_'.
std::string AlertFileName(std::string_view id);

/// What evidence keeps of an indicative auction: whether it executes, price and volume.
struct Indicative {
  bool executes = false;
  Price price = 0;
  Volume volume = 0;
  static Indicative Of(const Clearing& c) { return {c.executes, c.executes ? c.price : 0, c.executes ? c.volume : 0}; }
};

/// The indicative price and volume as evidence: {"price": P|null, "volume": V}.
nlohmann::json IndicativeEvidence(const Indicative& c);

/// The move from `before` to `after` in basis points of `before`'s price, rounded down;
/// -1 when either side does not execute (no price to compare).
int64_t MoveBps(const Indicative& before, const Indicative& after);

}  // namespace ccx::surveillance
