// The BTYD fitters (detail/btyd-inl.hpp), compiled once for the parameter
// counts the models use: sBG 2, Gamma-Gamma 3, BG/BB, BG/NBD, MBG/NBD and
// Pareto/NBD 4.
#include <goodwill/detail/btyd-inl.hpp>

namespace goodwill::detail {

template void set_covariance<2>(ml_result<2> &, Eigen::Matrix<double, 2, 2>,
                                const std::array<bool, 2> &);
template void set_covariance<3>(ml_result<3> &, Eigen::Matrix<double, 3, 3>,
                                const std::array<bool, 3> &);
template void set_covariance<4>(ml_result<4> &, Eigen::Matrix<double, 4, 4>,
                                const std::array<bool, 4> &);
template ml_result<2> fit_ml<2>(loglik_ref<2>, bool, double, std::size_t, const btyd_fit_options &);
template ml_result<3> fit_ml<3>(loglik_ref<3>, bool, double, std::size_t, const btyd_fit_options &);
template ml_result<4> fit_ml<4>(loglik_ref<4>, bool, double, std::size_t, const btyd_fit_options &);
template ml_result<4> fit_ml_newton<4>(loglik_hess_ref<4>, double, std::size_t,
                                       const btyd_fit_options &,
                                       const std::array<const char *, 4> &);

} // namespace goodwill::detail
