// ccx-auction: runs one call auction (itayose) on a book given as JSON on stdin and prints
// the result as one JSON object. See docs/TOOLS.md.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <iterator>
#include <string>

#include "tools/lib/book_json.h"

namespace {
constexpr const char* kUsage =
    "usage: ccx-auction [--pretty] < book.json\n"
    "\n"
    "Reads one order book as JSON on stdin: either a whole example file of\n"
    "../shared/spec/examples/ or the bare book object:\n"
    "  {\"base_price\": 3000, \"band_percent\": 90, \"allocation\": \"tse\"|\"time\"|\"pro-rata\",\n"
    "   \"tick\": 1, \"orders\": [{\"id\": \"b1\", \"side\": \"B\", \"price\": 3020, \"qty\": 300,\n"
    "   \"participant\": \"P01\"}, ...]}   (orders in arrival order)\n"
    "Prints {\"price\": P or null, \"volume\": V, \"fills\": {\"id\": qty, ...}, \"surplus\": |Q|,\n"
    "\"side\": \"B\"|\"S\"|\"N\", \"band\": [L, U], \"executions\": [...], \"trades\": [...]}.\n"
    "Exit status: 0 ok, 2 malformed input (one-line error on stderr).\n";
}  // namespace

int main(int argc, char** argv) {
  bool pretty = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (!std::strcmp(argv[i], "--pretty")) {
      pretty = true;
      continue;
    }
    std::fprintf(stderr, "ccx-auction: unknown argument '%s' (try --help)\n", argv[i]);
    return 2;
  }
  const std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    std::fprintf(stderr, "ccx-auction: input is not valid JSON: %s\n", e.what());
    return 2;
  }
  auto book = ccx::ParseJsonBook(doc);
  if (!book.ok()) {
    std::fprintf(stderr, "ccx-auction: %s\n", std::string(book.status().message()).c_str());
    return 2;
  }
  const auto out = ccx::RunJsonBook(*book);
  std::cout << ccx::OutcomeToJson(*book, out).dump(pretty ? 2 : -1) << "\n";
  return 0;
}
