// Market data micro-benchmarks. Inputs are built outside the timed loops.
//   BM_EncodeAdd        ITCH `A` add order into a buffer (the commonest message)
//   BM_EncodeMix        a day-like mix (A, X, D, U, E, I, H) through the variant Encode
//   BM_EncodeIntoPackets the mix appended into MoldUDP64 packets of 1,472 bytes, as the
//                       publisher packs them (a new packet whenever one is full)
//   BM_Decode           DecodeMessage of the mix
//   BM_ItchBookApply    the subscriber's book applying a stream of adds, partial cancels,
//                       replaces, executions and deletes (the book ends empty each pass)
// items/s is messages per second.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "marketdata/book/itch_book.h"
#include "marketdata/protocol/itch.h"
#include "marketdata/protocol/moldudp64.h"

namespace {

using namespace ccx;

constexpr size_t kMix = 4096;

itch::Header H(uint16_t locate, uint64_t t) { return itch::Header{locate, 0, t}; }

std::vector<itch::Message> MixedMessages() {
  std::mt19937_64 rng(1);
  std::vector<itch::Message> out;
  uint64_t t = 8ull * 3600 * 1'000'000'000;
  for (size_t i = 0; i < kMix; ++i) {
    t += 1000 + rng() % 100000;
    const uint16_t loc = static_cast<uint16_t>(1 + rng() % 8);
    const uint64_t ref = 1 + rng() % 1'000'000;
    const uint32_t price = static_cast<uint32_t>(1600 + rng() % 200) * itch::kPriceScale;
    switch (rng() % 10) {
      case 0: case 1: case 2: case 3:
        out.push_back(itch::AddOrder{H(loc, t), ref, rng() % 2 ? 'B' : 'S',
                                     static_cast<uint32_t>(1 + rng() % 500), itch::MakeStock("JCEE"), price});
        break;
      case 4: out.push_back(itch::OrderCancel{H(loc, t), ref, 10}); break;
      case 5: out.push_back(itch::OrderDelete{H(loc, t), ref}); break;
      case 6: out.push_back(itch::OrderReplace{H(loc, t), ref, ref + 1, 100, price}); break;
      case 7: out.push_back(itch::OrderExecuted{H(loc, t), ref, 50, ref}); break;
      case 8: {
        itch::Noii n;
        n.header = H(loc, t);
        n.paired_shares = rng() % 10000;
        n.imbalance_shares = rng() % 1000;
        n.imbalance_direction = 'B';
        n.stock = itch::MakeStock("JCRE");
        n.far_price = n.near_price = n.reference_price = price;
        out.push_back(n);
        break;
      }
      default: {
        itch::TradingAction h;
        h.header = H(loc, t);
        h.stock = itch::MakeStock("GXCR");
        h.trading_state = 'T';
        out.push_back(h);
      }
    }
  }
  return out;
}

void BM_EncodeAdd(benchmark::State& state) {
  std::vector<itch::AddOrder> adds;
  for (const auto& m : MixedMessages()) {
    if (const auto* a = std::get_if<itch::AddOrder>(&m)) adds.push_back(*a);
  }
  std::vector<uint8_t> buf(adds.size() * itch::AddOrder::kSize);
  for (auto _ : state) {
    uint8_t* out = buf.data();
    for (const auto& a : adds) out += itch::Encode(a, out);
    benchmark::DoNotOptimize(buf.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(adds.size()));
}
BENCHMARK(BM_EncodeAdd);

void BM_EncodeMix(benchmark::State& state) {
  const auto msgs = MixedMessages();
  std::vector<uint8_t> buf(msgs.size() * itch::kMaxMessageSize);
  for (auto _ : state) {
    uint8_t* out = buf.data();
    for (const auto& m : msgs) out += itch::Encode(m, out);
    benchmark::DoNotOptimize(buf.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(msgs.size()));
}
BENCHMARK(BM_EncodeMix);

void BM_EncodeIntoPackets(benchmark::State& state) {
  const auto msgs = MixedMessages();
  std::vector<uint8_t> buf(mold::kMaxUdpPayload);
  mold::PacketBuilder b(buf);
  const mold::Session session = mold::MakeSession("20260306");
  uint64_t seq = 1;
  int64_t packets = 0;
  b.Start(session, seq);
  for (auto _ : state) {
    for (const auto& m : msgs) {
      const size_t size = std::visit([](const auto& x) { return std::decay_t<decltype(x)>::kSize; }, m);
      uint8_t* out = b.Append(size);
      if (out == nullptr) {  // full: "send" and start the next packet
        benchmark::DoNotOptimize(b.packet().data());
        ++packets;
        b.Start(session, b.next_sequence());
        out = b.Append(size);
      }
      itch::Encode(m, out);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(msgs.size()));
  state.counters["packets"] = benchmark::Counter(static_cast<double>(packets), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EncodeIntoPackets);

void BM_Decode(benchmark::State& state) {
  const auto msgs = MixedMessages();
  std::vector<std::vector<uint8_t>> encoded;
  for (const auto& m : msgs) {
    std::vector<uint8_t> b(itch::kMaxMessageSize);
    b.resize(itch::Encode(m, b.data()));
    encoded.push_back(std::move(b));
  }
  itch::Message out;
  for (auto _ : state) {
    for (const auto& b : encoded) {
      benchmark::DoNotOptimize(itch::DecodeMessage(b, &out));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(encoded.size()));
}
BENCHMARK(BM_Decode);

// A stream that leaves the book empty: `resting` adds, then for each order one of partial
// cancel + delete, replace + delete, execution in two parts.
std::vector<itch::Message> BookStream(size_t resting) {
  std::mt19937_64 rng(2);
  std::vector<itch::Message> out;
  for (size_t i = 0; i < resting; ++i) {
    const uint16_t loc = static_cast<uint16_t>(1 + i % 2);
    out.push_back(itch::AddOrder{H(loc, 0), i + 1, rng() % 2 ? 'B' : 'S', 100,
                                 itch::MakeStock(loc == 1 ? "JCEE" : "JCRE"),
                                 static_cast<uint32_t>(1600 + rng() % 100) * itch::kPriceScale});
  }
  for (size_t i = 0; i < resting; ++i) {
    const uint64_t ref = i + 1;
    switch (i % 3) {
      case 0:
        out.push_back(itch::OrderCancel{H(0, 0), ref, 40});
        out.push_back(itch::OrderDelete{H(0, 0), ref});
        break;
      case 1:
        out.push_back(itch::OrderReplace{H(0, 0), ref, ref + resting, 80, 1650 * itch::kPriceScale});
        out.push_back(itch::OrderDelete{H(0, 0), ref + resting});
        break;
      default:
        out.push_back(itch::OrderExecuted{H(0, 0), ref, 30, ref});
        out.push_back(itch::OrderExecuted{H(0, 0), ref, 70, ref});
    }
  }
  return out;
}

void BM_ItchBookApply(benchmark::State& state) {
  const auto stream = BookStream(static_cast<size_t>(state.range(0)));
  md::ItchBook book;
  itch::StockDirectory r;
  r.header.stock_locate = 1;
  r.stock = itch::MakeStock("JCEE");
  (void)book.Apply(r);
  r.header.stock_locate = 2;
  r.stock = itch::MakeStock("JCRE");
  (void)book.Apply(r);
  for (auto _ : state) {
    for (const auto& m : stream) benchmark::DoNotOptimize(book.Apply(m).ok());
  }
  if (book.order_count() != 0) state.SkipWithError("the stream did not empty the book");
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(stream.size()));
}
BENCHMARK(BM_ItchBookApply)->Arg(1000)->Arg(100000);

}  // namespace
