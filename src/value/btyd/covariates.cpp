// The covariate fits (value/btyd/covariates-inl.hpp), compiled once.
#include <goodwill/value/btyd/covariates-inl.hpp>

namespace goodwill::detail {

template covariate_ml_result<3>
fit_covariates<3>(const covariate_design &, std::span<const covariate_link>,
                  const std::array<double, 3> &, const std::array<const char *, 3> &, double,
                  std::size_t, bool, const btyd_fit_options &, group_ll_ref<3>, standard_error_type,
                  row_scores_ref<3>);
template covariate_ml_result<4>
fit_covariates<4>(const covariate_design &, std::span<const covariate_link>,
                  const std::array<double, 4> &, const std::array<const char *, 4> &, double,
                  std::size_t, bool, const btyd_fit_options &, group_ll_ref<4>, standard_error_type,
                  row_scores_ref<4>);
template purchase_covariates<bg_nbd_covariate_traits> &
purchase_covariates<bg_nbd_covariate_traits>::fit(std::span<const double>, std::span<const double>,
                                                  std::span<const double>, const covariate_matrix &,
                                                  const covariate_matrix &, std::span<const double>,
                                                  const btyd_fit_options &, standard_error_type);
template purchase_covariates<pareto_nbd_covariate_traits> &
purchase_covariates<pareto_nbd_covariate_traits>::fit(
    std::span<const double>, std::span<const double>, std::span<const double>,
    const covariate_matrix &, const covariate_matrix &, std::span<const double>,
    const btyd_fit_options &, standard_error_type);

} // namespace goodwill::detail
