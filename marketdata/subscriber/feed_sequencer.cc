#include "marketdata/subscriber/feed_sequencer.h"

#include <algorithm>

namespace ccx::md {

FeedSequencer::FeedSequencer(Options options, Callbacks callbacks)
    : options_(options), cb_(std::move(callbacks)) {
  if (options_.max_request_count == 0) options_.max_request_count = 1;
  if (options_.max_outstanding == 0) options_.max_outstanding = 1;
}

void FeedSequencer::Adopt(std::string_view session, uint64_t next) {
  session_ = std::string(session);
  expected_ = next;
  known_next_ = next;
  scanned_to_ = next;
  end_sequence_.reset();
  ended_ = false;
  pending_.clear();
  outstanding_.clear();
  gap_since_.reset();
  if (cb_.on_session) cb_.on_session(*session_);
}

void FeedSequencer::Start(std::string_view session, uint64_t next_sequence) {
  if (session_ && *session_ != session) finished_.insert(*session_);
  finished_.erase(std::string(session));
  Adopt(session, next_sequence == 0 ? 1 : next_sequence);
}

void FeedSequencer::Deliver(uint64_t sequence, std::span<const uint8_t> bytes) {
  ++stats_.messages;
  if (cb_.on_message) cb_.on_message(sequence, bytes);
}

void FeedSequencer::Store(uint64_t sequence, std::span<const uint8_t> bytes) {
  if (pending_.contains(sequence)) {
    ++stats_.duplicates;
    return;
  }
  if (pending_.size() >= options_.max_buffered) return;  // stays missing: asked again later
  pending_.emplace(sequence, std::vector<uint8_t>(bytes.begin(), bytes.end()));
  stats_.buffered_peak = std::max<uint64_t>(stats_.buffered_peak, pending_.size());
}

void FeedSequencer::Drain() {
  while (!pending_.empty() && pending_.begin()->first <= expected_) {
    auto it = pending_.begin();
    if (it->first == expected_) {
      // Move the bytes out first: the callback may not see the map change under it.
      std::vector<uint8_t> bytes = std::move(it->second);
      pending_.erase(it);
      Deliver(expected_++, bytes);
    } else {
      pending_.erase(it);
    }
  }
}

void FeedSequencer::CheckEnd() {
  if (!ended_ && end_sequence_ && expected_ >= *end_sequence_) {
    ended_ = true;
    if (cb_.on_end_of_session) cb_.on_end_of_session(*session_);
  }
}

void FeedSequencer::OnPacket(const mold::Header& header, std::span<const uint8_t> packet,
                             bool retransmission, Clock::time_point now) {
  const std::string_view name = mold::SessionView(header.session);
  if (!session_ || name != *session_) {
    // Only the live feed may start a session, and never one already finished.
    if (retransmission || finished_.contains(std::string(name))) {
      ++stats_.stale;
      return;
    }
    if (session_) finished_.insert(*session_);
    Adopt(name, 1);
  }
  if (header.end_of_session()) {
    end_sequence_ = header.sequence;
    known_next_ = std::max(known_next_, header.sequence);
  } else if (header.heartbeat()) {
    known_next_ = std::max(known_next_, header.sequence);
  } else {
    mold::MessageReader reader(packet);
    std::span<const uint8_t> message;
    uint64_t sequence = header.sequence;
    while (reader.Next(&message)) {
      if (sequence < expected_) {
        ++stats_.duplicates;
      } else if (sequence == expected_) {
        Deliver(expected_++, message);
        Drain();
      } else {
        Store(sequence, message);
      }
      ++sequence;
    }
    known_next_ = std::max(known_next_, sequence);
  }
  Drain();
  if (has_gap() && !gap_since_) {
    gap_since_ = now;
    ++stats_.gaps;
  } else if (!has_gap()) {
    gap_since_.reset();
  }
  CheckEnd();
}

uint64_t FeedSequencer::NextMissing(uint64_t from) const {
  from = std::max(from, expected_);
  for (auto it = pending_.lower_bound(from); it != pending_.end() && it->first == from; ++it) {
    ++from;
  }
  return from < known_next_ ? from : 0;
}

void FeedSequencer::SkipGap() {
  const uint64_t to = pending_.empty() ? known_next_ : std::min(known_next_, pending_.begin()->first);
  if (to <= expected_) return;
  const uint64_t first = expected_;
  stats_.lost += to - first;
  expected_ = to;
  if (cb_.on_lost) cb_.on_lost(first, to - first);
  Drain();
  CheckEnd();
}

std::vector<mold::Request> FeedSequencer::DueRequests(Clock::time_point now) {
  std::vector<mold::Request> out;
  if (!session_ || !has_gap()) {
    outstanding_.clear();
    gap_since_.reset();
    return out;
  }
  if (!gap_since_) {
    gap_since_ = now;
    ++stats_.gaps;
  }
  if (!options_.can_request) {
    if (now - *gap_since_ >= options_.request_timeout) {
      SkipGap();
      gap_since_.reset();
      if (has_gap()) gap_since_ = now;
    }
    return out;
  }
  // Answered requests leave; unanswered ones time out and their rest is asked again.
  const size_t before = outstanding_.size();
  std::erase_if(outstanding_, [&](const Outstanding& o) {
    return o.end <= expected_ || now - o.sent >= options_.request_timeout;
  });
  if (outstanding_.size() != before) scanned_to_ = expected_;
  uint64_t x = std::max(scanned_to_, expected_);
  const mold::Session session = mold::MakeSession(*session_);
  while (outstanding_.size() < options_.max_outstanding) {
    x = NextMissing(x);
    if (x == 0) {
      x = known_next_;
      break;
    }
    const auto covering = std::find_if(outstanding_.begin(), outstanding_.end(),
                                       [x](const Outstanding& o) { return o.first <= x && x < o.end; });
    if (covering != outstanding_.end()) {
      x = covering->end;
      continue;
    }
    // One window from the first missing message, ending at the last missing one inside it
    // and before the next outstanding request; buffered messages inside come again and
    // are dropped as duplicates (cheaper than one request per hole).
    uint64_t end = std::min<uint64_t>(x + options_.max_request_count, known_next_);
    for (const Outstanding& o : outstanding_) {
      if (o.first > x) end = std::min(end, o.first);
    }
    for (auto it = pending_.lower_bound(end); end > x + 1 && it != pending_.begin();) {
      --it;
      if (it->first != end - 1) break;
      --end;
    }
    out.push_back(mold::Request{session, x, static_cast<uint16_t>(end - x)});
    outstanding_.push_back(Outstanding{x, end, now});
    ++stats_.requests;
    x = end;
  }
  scanned_to_ = std::max(scanned_to_, x);
  return out;
}

FeedSequencer::Clock::time_point FeedSequencer::NextDeadline() const {
  if (!session_ || !has_gap()) return Clock::time_point::max();
  if (!options_.can_request) {
    return gap_since_ ? *gap_since_ + options_.request_timeout : Clock::time_point::min();
  }
  const size_t live = static_cast<size_t>(std::count_if(
      outstanding_.begin(), outstanding_.end(), [&](const Outstanding& o) { return o.end > expected_; }));
  if (live < options_.max_outstanding && scanned_to_ < known_next_) {
    return Clock::time_point::min();  // more to ask now
  }
  Clock::time_point t = Clock::time_point::max();
  for (const Outstanding& o : outstanding_) t = std::min(t, o.sent + options_.request_timeout);
  return t;
}

}  // namespace ccx::md
