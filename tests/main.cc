// Catch2 (v2, Debian's catch2 package) test runner for all ccx unit and scenario tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
