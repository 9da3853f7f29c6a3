// Test helpers: read the reference CSVs of ../shared/data (see its README);
// check an analytic Hessian against differences of the analytic gradient.
#ifndef GOODWILL_TESTS_BTYD_DATA_HPP
#define GOODWILL_TESTS_BTYD_DATA_HPP

#include "shared_data.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace goodwill_test {

/// Numeric columns of a CSV under ../shared/data with a header line; empty if
/// the file is absent (a case that reads one declares
/// GOODWILL_NEEDS_SHARED_DATA, shared_data.hpp).
inline std::vector<std::vector<double>> read_csv_columns(const std::string &relative) {
  const std::filesystem::path path = shared_data_path(relative);
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

/// The Hessian H (row-major, in log-parameters) at θ agrees with central
/// differences (step 1e-5 in log θ) of `grad_at`, the analytic gradient in
/// log-parameters.
template <class GradAt>
void check_hessian(const std::array<double, 4> &th, const std::array<double, 16> &H,
                   const GradAt &grad_at) {
  for (std::size_t k = 0; k < 4; ++k) {
    auto p = th, q = th;
    const double h = 1e-5;
    p[k] *= std::exp(h);
    q[k] *= std::exp(-h);
    const std::array<double, 4> gp = grad_at(p), gq = grad_at(q);
    for (std::size_t j = 0; j < 4; ++j)
      BOOST_TEST(H[k * 4 + j] == (gp[j] - gq[j]) / (2 * h), boost::test_tools::tolerance(1e-6));
  }
}

} // namespace goodwill_test

#endif // GOODWILL_TESTS_BTYD_DATA_HPP
