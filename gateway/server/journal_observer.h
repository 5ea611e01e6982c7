// JournalObserver: something that follows the exchange's journal record by record while the
// exchange runs (live surveillance: surveillance/surveillance.h). The server gives it every
// record of the journal replay at start, then every new record, in order, on a thread of
// its own fed through a preallocated ring, so that an observer never slows the engine: if
// it falls so far behind that the ring is full, the server stops feeding it and says so
// (the journal keeps everything; `ccx-replay --alerts` redoes the work).
#pragma once

#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "gateway/journal/record.h"

namespace ccx {

class JournalObserver {
 public:
  virtual ~JournalObserver() = default;
  /// One record, in journal order. An error is logged once; feeding goes on.
  virtual absl::Status OnRecord(const JournalRecord& record) = 0;
};

/// Makes the observer once the exchange knows its configuration (null: none).
using JournalObserverFactory = std::function<absl::StatusOr<std::unique_ptr<JournalObserver>>()>;

}  // namespace ccx
