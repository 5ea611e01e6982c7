#include "gateway/server/output_recorder.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "gateway/journal/journal.h"

namespace ccx {

OutputRecorder::~OutputRecorder() {
  if (fd_ >= 0) {
    (void)WriteOut();
    ::close(fd_);
  }
}

absl::Status OutputRecorder::OpenDay(const std::string& session) {
  if (fd_ >= 0) {
    if (auto st = WriteOut(); !st.ok()) return st;
    ::close(fd_);
    fd_ = -1;
  }
  session_ = session;
  ouch_.clear();
  itch_ = 0;
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return absl::InternalError(absl::StrCat(dir_, ": ", ec.message()));
  path_ = absl::StrCat(dir_, "/", session, ".out");
  // What an earlier run recorded today (a torn tail is cut).
  auto report = RecoverJournal(path_, [&](const JournalRecord& r) -> absl::Status {
    if (r.type == kOutputRecordOuch && r.payload.size() >= 12) {
      uint32_t p;
      uint64_t seq;
      std::memcpy(&p, r.payload.data(), 4);
      std::memcpy(&seq, r.payload.data() + 4, 8);
      if (ouch_.size() <= p) ouch_.resize(p + 1, 0);
      ouch_[p] = std::max(ouch_[p], seq);
    } else if (r.type == kOutputRecordItch && r.payload.size() >= 8) {
      uint64_t seq;
      std::memcpy(&seq, r.payload.data(), 8);
      itch_ = std::max(itch_, seq);
    }
    return absl::OkStatus();
  });
  if (!report.ok()) return report.status();
  {
    // Creates the file with its header when new (the writer knows how).
    auto w = JournalWriter::Open(path_, FsyncMode::kNone, report->next_sequence);
    if (!w.ok()) return w.status();
    next_record_ = w->next_sequence();
  }
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd_ < 0) return absl::InternalError(absl::StrCat(path_, ": ", std::strerror(errno)));
  return absl::OkStatus();
}

void OutputRecorder::Put(uint16_t type, const uint8_t* head, size_t head_size,
                         std::span<const uint8_t> msg) {
  namespace jf = journal_format;
  uint8_t payload[16 + 256];
  std::memcpy(payload, head, head_size);
  std::memcpy(payload + head_size, msg.data(), msg.size());
  const size_t n = head_size + msg.size();
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  jf::RecordHeader h;
  h.payload_size = static_cast<uint32_t>(n);
  h.sequence = next_record_++;
  h.timestamp_ns = static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
  h.type = type;
  uint8_t header[jf::kRecordHeaderSize];
  jf::EncodeRecordHeader(h, header);
  h.checksum = jf::RecordChecksum(header, {payload, n});
  jf::EncodeRecordHeader(h, header);
  buf_.insert(buf_.end(), header, header + sizeof header);
  buf_.insert(buf_.end(), payload, payload + n);
}

absl::Status OutputRecorder::WriteOut() {
  size_t off = 0;
  while (off < buf_.size()) {
    const ssize_t w = ::write(fd_, buf_.data() + off, buf_.size() - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      return absl::InternalError(absl::StrCat(path_, ": write: ", std::strerror(errno)));
    }
    off += static_cast<size_t>(w);
  }
  buf_.clear();
  return absl::OkStatus();
}

absl::Status OutputRecorder::CatchUp(const DayStreams* streams, const FeedDay* feed) {
  if (!failed_.ok()) return failed_;
  const std::string& session = streams ? streams->session : (feed ? feed->session : session_);
  if (session.empty()) return absl::OkStatus();
  if (session != session_ || fd_ < 0) {
    if (auto st = OpenDay(session); !st.ok()) return failed_ = st;
  }
  if (streams != nullptr && streams->session == session_) {
    if (ouch_.size() < streams->streams.size()) ouch_.resize(streams->streams.size(), 0);
    for (uint32_t p = 0; p < streams->streams.size(); ++p) {
      const MessageLog& log = *streams->streams[p];
      const uint64_t end = log.released();
      for (uint64_t s = ouch_[p] + 1; s <= end; ++s) {
        uint8_t head[12];
        std::memcpy(head, &p, 4);
        std::memcpy(head + 4, &s, 8);
        Put(kOutputRecordOuch, head, sizeof head, log.message(s));
      }
      ouch_[p] = std::max(ouch_[p], end);
    }
  }
  if (feed != nullptr && feed->session == session_) {
    const uint64_t end = feed->log.released();
    for (uint64_t s = itch_ + 1; s <= end; ++s) {
      uint8_t head[8];
      std::memcpy(head, &s, 8);
      Put(kOutputRecordItch, head, sizeof head, feed->log.message(s));
    }
    itch_ = std::max(itch_, end);
  }
  if (auto st = WriteOut(); !st.ok()) return failed_ = st;
  return absl::OkStatus();
}

}  // namespace ccx
