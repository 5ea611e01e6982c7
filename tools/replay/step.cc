// ccx-replay --step: the journal record by record, each with the engine events it caused
// and the indicative auctions it moved. In a terminal it waits after each record for a
// command; with --from/--to (or when not in a terminal) it prints the range and ends.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>

#include "engine/market/schedule.h"
#include "fmt/format.h"
#include "surveillance/book_view.h"
#include "surveillance/describe.h"
#include "surveillance/order_history.h"
#include "tools/replay/commands.h"

namespace ccx::replay_tool {

using namespace ccx::surveillance;

namespace {

std::string Indicative(const Clearing& c) {
  return c.executes ? fmt::format("{} x {}", c.price, c.volume) : std::string("none");
}

// Prints each record in [from, to]; in interactive mode asks what to do after each.
class Stepper : public ReplayObserver {
 public:
  Stepper(const Setup& s, const OrderHistory* history, bool interactive)
      : s_(s), history_(history), interactive_(interactive) {}

  void AfterRecord(const Replayer& r, const JournalRecord& rec) override {
    if (quit_ || rec.timestamp_ns < s_.from || rec.timestamp_ns > s_.to) return;
    if (s_.category >= 0 && !std::binary_search(r.touched().begin(), r.touched().end(),
                                                static_cast<CategoryId>(s_.category))) {
      return;  // --category: only the records that touched it
    }
    std::string text = fmt::format("#{} {} {}\n", rec.sequence, FormatLocalDateTime(rec.timestamp_ns, s_.offset()),
                                   DescribeInput(r));
    for (const Event& e : r.core().applied_events()) {
      if (s_.category >= 0 && e.category != s_.category) continue;
      text += "     " + DescribeEvent(r, e) + "\n";
    }
    for (CategoryId c : r.touched()) {
      if (s_.category >= 0 && c != s_.category) continue;
      const Clearing &b = r.indicative_before(c), &a = r.indicative(c);
      if (b.executes == a.executes && b.price == a.price && b.volume == a.volume) continue;
      text += fmt::format("     {} indicative {} -> {}\n", r.CategoryCode(c), Indicative(b), Indicative(a));
    }
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    if (interactive_ && !running_) Ask(r);
  }
  bool quit() const { return quit_; }

 private:
  void Ask(const Replayer& r) {
    for (;;) {
      std::fputs("[Enter] next  c continue  b book  q quit > ", stdout);
      std::fflush(stdout);
      std::string line;
      if (!std::getline(std::cin, line) || line == "q") {
        quit_ = true;
        return;
      }
      if (line == "c") {
        running_ = true;
        return;
      }
      if (line == "b") {
        for (size_t c = 0; c < r.engine().num_categories(); ++c) {
          if (s_.category >= 0 && static_cast<int>(c) != s_.category) continue;
          if (s_.category < 0 && r.engine().book(static_cast<CategoryId>(c)).order_count() == 0) continue;
          const std::string b =
              FormatBookText(SnapshotBook(r, static_cast<CategoryId>(c), history_, r.records()), s_.offset());
          std::fwrite(b.data(), 1, b.size(), stdout);
        }
        continue;
      }
      return;  // Enter (or anything else): next record
    }
  }

  const Setup& s_;
  const OrderHistory* history_;
  bool interactive_;
  bool running_ = false;
  bool quit_ = false;
};

}  // namespace

int RunStep(const Setup& s, bool interactive) {
  interactive = interactive && ::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO);
  Replayer r(s.market, s.participants, ReplayOptions{true, s.core});
  OrderHistory history;
  Stepper stepper(s, &history, interactive);
  r.AddObserver(&history);
  r.AddObserver(&stepper);
  auto sum = ReplayJournal(s.journal, &r, s.journal_options,
                           [&](const JournalRecord& rec) { return stepper.quit() || rec.timestamp_ns > s.to; });
  if (!sum.ok()) return Fail(std::string(sum.status().message()));
  return 0;
}

}  // namespace ccx::replay_tool
