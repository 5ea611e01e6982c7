// Who runs the exchange's engine role (gateway/server/sequencer.h explains both):
// `--engine combining` (the default) or `--engine dedicated`.
#pragma once

#include <cstdint>

namespace ccx {

enum class EngineMode : uint8_t {
  kDedicated,  ///< only the engine thread; the gateway hands every input over the ring
  kCombining,  ///< the gateway thread runs the engine role itself when the lock is free
};

}  // namespace ccx
