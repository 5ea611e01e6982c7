#include "surveillance/verify.h"

#include <algorithm>
#include <filesystem>

#include "fmt/format.h"
#include "gateway/journal/journal.h"
#include "surveillance/output_file.h"

namespace ccx::surveillance {
namespace {

std::string Hex(const std::vector<uint8_t>& bytes) {
  if (bytes.empty()) return "(none)";
  std::string out = fmt::format("{} bytes, type '{}':", bytes.size(),
                                bytes[0] >= 0x20 && bytes[0] < 0x7f ? static_cast<char>(bytes[0]) : '?');
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i % 32 == 0) out += "\n     ";
    out += fmt::format(" {:02x}", bytes[i]);
  }
  return out;
}

std::string Day(absl::CivilDay d) { return fmt::format("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()); }

// Marks (stream, seq) as seen; true if it was seen before.
bool Seen(std::vector<std::vector<bool>>* seen, size_t stream, uint64_t seq) {
  if (seen->size() <= stream) seen->resize(stream + 1);
  auto& s = (*seen)[stream];
  if (s.size() <= seq) s.resize(seq + 1, false);
  const bool before = s[seq];
  s[seq] = true;
  return before;
}

}  // namespace

std::string OutputDifference::ToString() const {
  std::string out = fmt::format("{} {} seq {}: {} ({} record {})", Day(day), stream, seq, what, file, record);
  if (!expected.empty() && offset < expected.size() && offset < found.size()) {
    out += fmt::format("\n  byte {}: expected 0x{:02x}, found 0x{:02x}", offset, expected[offset], found[offset]);
  }
  out += "\n  expected (replay): " + Hex(expected);
  out += "\n  found (recorded):  " + Hex(found);
  return out;
}

OutputVerifier::OutputVerifier(std::string output_dir) : dir_(std::move(output_dir)) {}

absl::Status OutputVerifier::Init() {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir_, ec)) {
    return absl::NotFoundError(fmt::format(
        "{}: no such directory: the exchange recorded no output to verify against", dir_));
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    absl::CivilDay day;
    if (entry.is_regular_file() && ParseOutputFileName(entry.path().filename().string(), &day)) {
      files_[day] = entry.path().string();
    }
  }
  if (ec) return absl::InternalError(fmt::format("{}: {}", dir_, ec.message()));
  return absl::OkStatus();
}

void OutputVerifier::AfterRecord(const Replayer& r, const JournalRecord& record) {
  (void)record;
  auto streams = r.core().day_streams();
  if (streams != nullptr) {
    Held& h = held_[streams->day];
    if (h.streams == nullptr) h.streams = std::move(streams);
  }
  std::shared_ptr<const FeedDay> feed = r.feed()->day();
  if (feed != nullptr) {
    Held& h = held_[feed->day];
    if (h.feed == nullptr) h.feed = std::move(feed);
  }
  // A day is complete (its end-of-day messages included) once both the streams and the
  // feed have moved on to a later day.
  absl::CivilDay current = r.core().day_streams() ? r.core().day_streams()->day : absl::CivilDay();
  if (r.feed()->day() != nullptr && r.feed()->day()->day < current) {
    current = r.feed()->day()->day;
  }
  while (!held_.empty() && held_.begin()->first < current) {
    if (!failed()) CheckDay(r, held_.begin()->first, held_.begin()->second);
    held_.erase(held_.begin());
  }
}

void OutputVerifier::Finish(const Replayer& r) {
  for (const auto& [day, held] : held_) {
    if (!failed()) CheckDay(r, day, held);
  }
  held_.clear();
  for (const auto& [day, path] : files_) {
    const bool reached = std::any_of(days_.begin(), days_.end(), [&](const DayCheck& d) { return d.day == day; });
    if (!reached) orphans_.push_back(path);
  }
  if (!orphans_.empty() && !failed()) {
    error_ = absl::FailedPreconditionError(fmt::format(
        "{}: recorded output for a trading day the journal does not reach", orphans_.front()));
  }
}

void OutputVerifier::Differ(OutputDifference d) {
  if (!difference_) difference_ = std::move(d);
}

void OutputVerifier::CheckDay(const Replayer& r, absl::CivilDay d_day, const Held& held) {
  static const std::vector<std::unique_ptr<MessageLog>> kNoStreams;
  const auto& streams = held.streams != nullptr ? held.streams->streams : kNoStreams;
  const MessageLog* feed = held.feed != nullptr ? &held.feed->log : nullptr;
  DayCheck check;
  check.day = d_day;
  for (const auto& s : streams) check.replay_ouch += s->size();
  if (feed != nullptr) check.replay_itch = feed->size();
  auto file = files_.find(d_day);
  if (file == files_.end()) {
    days_.push_back(check);
    return;
  }
  check.recorded = true;
  check.file = file->second;
  auto reader = JournalReader::Open(file->second);
  if (!reader.ok()) {
    error_ = reader.status();
    days_.push_back(check);
    return;
  }
  std::vector<std::vector<bool>> seen_ouch, seen_itch;
  JournalRecord rec;
  for (;;) {
    auto more = reader->Next(&rec);
    if (!more.ok()) {
      error_ = more.status();
      break;
    }
    if (!*more) break;
    auto m = DecodeOutputRecord(rec);
    if (!m.ok()) {
      error_ = absl::DataLossError(fmt::format("{}: {}", file->second, std::string(m.status().message())));
      break;
    }
    OutputDifference d;
    d.day = d_day;
    d.seq = m->seq;
    d.file = file->second;
    d.record = rec.sequence;
    d.found.assign(m->bytes.begin(), m->bytes.end());
    std::span<const uint8_t> expected;
    bool have = false;
    if (!m->itch) {
      d.stream = fmt::format("OUCH {}", r.Username(m->participant));
      if (m->participant >= r.participants().participants.size()) {
        d.what = "participant id unknown to the configuration";
      } else if (m->participant >= streams.size() || m->seq == 0 ||
                 m->seq > streams[m->participant]->size()) {
        d.what = fmt::format("the replay has only {} messages in this stream",
                             m->participant < streams.size() ? streams[m->participant]->size() : 0);
      } else {
        expected = streams[m->participant]->message(m->seq);
        have = true;
        if (Seen(&seen_ouch, m->participant, m->seq)) {
          ++check.ouch_duplicates;
        } else {
          ++check.ouch_checked;
        }
      }
    } else {
      d.stream = "ITCH";
      if (feed == nullptr || m->seq == 0 || m->seq > check.replay_itch) {
        d.what = fmt::format("the replay's feed has only {} messages", check.replay_itch);
      } else {
        expected = feed->message(m->seq);
        have = true;
        if (Seen(&seen_itch, 0, m->seq)) {
          ++check.itch_duplicates;
        } else {
          ++check.itch_checked;
        }
      }
    }
    if (have) {
      if (std::equal(expected.begin(), expected.end(), m->bytes.begin(), m->bytes.end())) continue;
      d.expected.assign(expected.begin(), expected.end());
      const auto mm = std::mismatch(expected.begin(), expected.end(), m->bytes.begin(), m->bytes.end());
      d.offset = static_cast<size_t>(mm.first - expected.begin());
      d.what = expected.size() == m->bytes.size()
                   ? fmt::format("byte {} differs", d.offset)
                   : fmt::format("length differs (expected {} bytes, found {}; first difference at byte {})",
                                 expected.size(), m->bytes.size(), d.offset);
    }
    Differ(std::move(d));
    break;
  }
  if (reader->tail_damage()) {
    const TailDamage& t = *reader->tail_damage();
    check.torn_tail = fmt::format("ends in a partial record at byte {}: {} ({} bytes ignored)", t.offset,
                                  t.reason, t.bytes);
  }
  days_.push_back(check);
}

}  // namespace ccx::surveillance
