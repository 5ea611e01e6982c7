// ITCH messages as one line of text or one JSON object, for ccx-md and tests: every field a
// reader needs, prices in yen, sides and codes spelled out. Pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "marketdata/protocol/itch.h"
#include "nlohmann/json.hpp"

namespace ccx::md {

/// "HH:MM:SS.nnnnnnnnn" of an ITCH timestamp (ns since midnight).
std::string FormatItchTime(uint64_t timestamp);

/// One line without the sequence prefix, e.g. "A JCEE ref 17 buy 300 @ 1,660" or
/// "Q JCEE cross I 200 @ 1,655 match 5" (text depends on the type; documented in
/// docs/MARKETDATA.md).
std::string DescribeMessage(const itch::Message& message);

/// The message as JSON: "type" (the letter), "time", "locate", then the fields by name
/// (prices in yen as numbers, codes and sides as strings).
nlohmann::json MessageJson(const itch::Message& message);

/// A wire price as yen with thousands separators ("1,655", "1,655.5").
std::string FormatYen(uint32_t wire_price);

/// `value` with thousands separators ("1,234,567").
std::string GroupThousands(uint64_t value);

}  // namespace ccx::md
