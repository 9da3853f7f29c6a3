// Test helper: read the reference CSVs of ../shared/data (see its README).
#ifndef GOODWILL_TESTS_BTYD_DATA_HPP
#define GOODWILL_TESTS_BTYD_DATA_HPP

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace goodwill_test {

/// Numeric columns of a CSV with a header line; empty if the file is absent.
inline std::vector<std::vector<double>> read_csv_columns(const std::string &relative) {
  const std::filesystem::path path = std::filesystem::path(GOODWILL_SHARED_DATA) / relative;
  std::vector<std::vector<double>> cols;
  std::ifstream in(path);
  if (!in)
    return cols;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    if (line.empty())
      continue;
    std::stringstream ss(line);
    std::string cell;
    std::size_t c = 0;
    while (std::getline(ss, cell, ',')) {
      if (cols.size() <= c)
        cols.emplace_back();
      cols[c++].push_back(std::stod(cell));
    }
  }
  return cols;
}

} // namespace goodwill_test

#endif // GOODWILL_TESTS_BTYD_DATA_HPP
