// Built against the goodwill package (find_package) or source tree
// (add_subdirectory), linked with the compiled library and header-only
// (tests/packaging/CMakeLists.txt); the fits below reach the compiled parts.
#include <goodwill/error.hpp>
#include <goodwill/ledger.hpp>
#include <goodwill/negotiation.hpp>
#include <goodwill/negotiation/genius.hpp>
#include <goodwill/relationship/relationship_model.hpp>
#include <goodwill/relationship/replay.hpp>
#include <goodwill/relationship/trust_fit.hpp>
#include <goodwill/synthetic/market.hpp>
#include <goodwill/value/btyd/bg_nbd.hpp>
#include <goodwill/value/btyd/covariates.hpp>
#include <goodwill/value/markov_chain.hpp>
#include <goodwill/version.hpp>

#include <Eigen/Core>

#include <iostream>

int main() {
  goodwill::ledger l;
  const auto acme = l.intern(std::string_view("Acme"));
  l.append(acme, 1.0, goodwill::event_kind::meeting, 1.5);
  l.append(acme, 9.0, goodwill::event_kind::deal_won, 12000.0, 2500);
  try {
    l.append(acme, 10.0, goodwill::event_kind::concession, -1.0);
    std::cerr << "a negative concession was accepted\n";
    return 1;
  } catch (const goodwill::invalid_input &e) {
    if (e.field() != "amount")
      return 1;
  }
  Eigen::Vector2d v(l.amounts()[0], l.amounts()[1]);
  if (l.size() != 2 || v.sum() != 12001.5)
    return 1;
  // the engine and the generator through the installed headers
  goodwill::market_params params;
  params.customers = 50;
  const auto market = goodwill::generate_market(params);
  const auto result = goodwill::replay(goodwill::relationship_selling(), market.events,
                                       goodwill::trust_params::defaults(), {});
  if (result.state.size() != 50)
    return 1;
  // a negotiation through the installed headers
  goodwill::outcome_space space({goodwill::issue::integer("price", 0, 10)});
  const auto doc = goodwill::detail::xml::parse("<a x='1'/>");
  Eigen::ArrayXd seller(11), buyer(11);
  for (int i = 0; i <= 10; ++i) {
    seller[i] = i / 10.0;
    buyer[i] = 1.0 - i / 10.0;
  }
  const goodwill::scenario sc(space, seller, buyer, 0.0, 0.0);
  auto a = goodwill::boulware();
  auto b = goodwill::conceder();
  if (!goodwill::run_session(sc, *a, *b).agreement() || doc.name != "a")
    return 1;
  // Boost.Math through the package: a Jeffreys interval of a fitted chain
  Eigen::MatrixXd counts(2, 2);
  counts << 3, 1, 1, 3;
  const auto chain = goodwill::markov_chain::fit(counts, {"a", "b"});
  const auto ci = chain.confidence_intervals(0.9);
  if (!(ci.lower(0, 0) < 0.75 && ci.upper(0, 0) > 0.75))
    return 1;
  // the compiled fitters: BG/NBD (Newton), Gamma-Gamma (L-BFGS), trust
  const std::vector<double> x{0, 1, 2, 0, 3, 1, 0, 2}, t_x{0, 4, 7, 0, 9, 2, 0, 6},
      T{10, 10, 10, 10, 10, 10, 10, 10};
  goodwill::bg_nbd bgnbd;
  bgnbd.fit(x, t_x, T);
  if (!(bgnbd.fitted() && bgnbd.probability_alive(1, 4, 10) > 0))
    return 1;
  const std::vector<double> xr{1, 2, 3, 1, 2}, mr{12, 30, 18, 25, 9};
  goodwill::gamma_gamma gg;
  gg.fit(xr, mr);
  if (!gg.fitted())
    return 1;
  goodwill::trust_fit_options topt;
  topt.target = goodwill::trust_target::purchases;
  try {
    static_cast<void>(goodwill::fit_trust(market.events, topt));
  } catch (const goodwill::invalid_input &) {
    // a 50-customer market may hold too few outcomes: the call linked
  }
  std::cout << "goodwill " << goodwill::version_string << " consumer ok\n";
  return 0;
}
