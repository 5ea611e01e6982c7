#include "surveillance/output_file.h"

#include <cstring>

#include "fmt/format.h"

namespace ccx::surveillance {

std::string OutputDir(std::string_view data_dir) { return fmt::format("{}/output", data_dir); }

std::string OutputFileName(absl::CivilDay day) {
  return fmt::format("{:04}{:02}{:02}.out", day.year(), day.month(), day.day());
}

bool ParseOutputFileName(std::string_view name, absl::CivilDay* day) {
  if (name.size() != 12 || name.substr(8) != ".out") return false;
  int v[3] = {0, 0, 0};
  const size_t start[3] = {0, 4, 6}, len[3] = {4, 2, 2};
  for (int k = 0; k < 3; ++k) {
    for (size_t i = start[k]; i < start[k] + len[k]; ++i) {
      if (name[i] < '0' || name[i] > '9') return false;
      v[k] = v[k] * 10 + (name[i] - '0');
    }
  }
  const absl::CivilDay d(v[0], v[1], v[2]);
  if (d.year() != v[0] || d.month() != v[1] || d.day() != v[2]) return false;  // e.g. 20261301
  *day = d;
  return true;
}

std::vector<uint8_t> EncodeOuchOutput(ParticipantId participant, uint64_t seq,
                                      std::span<const uint8_t> message) {
  std::vector<uint8_t> out(12 + message.size());
  std::memcpy(out.data(), &participant, 4);
  std::memcpy(out.data() + 4, &seq, 8);
  if (!message.empty()) std::memcpy(out.data() + 12, message.data(), message.size());
  return out;
}

std::vector<uint8_t> EncodeItchOutput(uint64_t seq, std::span<const uint8_t> message) {
  std::vector<uint8_t> out(8 + message.size());
  std::memcpy(out.data(), &seq, 8);
  if (!message.empty()) std::memcpy(out.data() + 8, message.data(), message.size());
  return out;
}

absl::StatusOr<OutputMessage> DecodeOutputRecord(const JournalRecord& record) {
  OutputMessage m;
  const auto& p = record.payload;
  if (record.type == kOutputOuch) {
    if (p.size() < 13) {
      return absl::InvalidArgumentError(fmt::format(
          "record {}: OUCH output payload of {} bytes (at least 13 expected)", record.sequence, p.size()));
    }
    std::memcpy(&m.participant, p.data(), 4);
    std::memcpy(&m.seq, p.data() + 4, 8);
    m.bytes = {p.data() + 12, p.size() - 12};
    return m;
  }
  if (record.type == kOutputItch) {
    if (p.size() < 9) {
      return absl::InvalidArgumentError(fmt::format(
          "record {}: ITCH output payload of {} bytes (at least 9 expected)", record.sequence, p.size()));
    }
    m.itch = true;
    std::memcpy(&m.seq, p.data(), 8);
    m.bytes = {p.data() + 8, p.size() - 8};
    return m;
  }
  return absl::InvalidArgumentError(
      fmt::format("record {}: type {} is no output record (32 OUCH, 33 ITCH)", record.sequence, record.type));
}

}  // namespace ccx::surveillance
