# gateway/journal: the write-ahead journal of sequenced inputs (POSIX file I/O, zlib CRC-32).
find_package(ZLIB REQUIRED)
add_library(ccx_journal STATIC
  ${CMAKE_SOURCE_DIR}/gateway/journal/journal.cc
  ${CMAKE_SOURCE_DIR}/gateway/journal/journal_reader.cc
  ${CMAKE_SOURCE_DIR}/gateway/journal/record.cc)
target_include_directories(ccx_journal PUBLIC ${CMAKE_SOURCE_DIR})
target_link_libraries(ccx_journal
  PUBLIC absl::status absl::statusor absl::strings absl::span
  PRIVATE ZLIB::ZLIB)
