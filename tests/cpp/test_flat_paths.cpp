// The old flat header paths (goodwill/trust.hpp, goodwill/bg_nbd.hpp, ...)
// are kept for compatibility as forwarding headers: each must bring in the
// header of the domain folder it names. Included leaves first, so that a
// forwarding header that forwards nowhere is not masked by an earlier
// include; each is checked by the new header's include guard right after it.

#include <goodwill/trust.hpp>
#ifndef GOODWILL_RELATIONSHIP_TRUST_HPP
#error "<goodwill/trust.hpp> does not forward to <goodwill/relationship/trust.hpp>"
#endif
#include <goodwill/outcome_space.hpp>
#ifndef GOODWILL_NEGOTIATION_OUTCOME_SPACE_HPP
#error "<goodwill/outcome_space.hpp> does not forward to <goodwill/negotiation/outcome_space.hpp>"
#endif
#include <goodwill/preferences.hpp>
#ifndef GOODWILL_NEGOTIATION_PREFERENCES_HPP
#error "<goodwill/preferences.hpp> does not forward to <goodwill/negotiation/preferences.hpp>"
#endif
#include <goodwill/bargaining.hpp>
#ifndef GOODWILL_NEGOTIATION_BARGAINING_HPP
#error "<goodwill/bargaining.hpp> does not forward to <goodwill/negotiation/bargaining.hpp>"
#endif
#include <goodwill/genius.hpp>
#ifndef GOODWILL_NEGOTIATION_GENIUS_HPP
#error "<goodwill/genius.hpp> does not forward to <goodwill/negotiation/genius.hpp>"
#endif
#include <goodwill/bg_bb.hpp>
#ifndef GOODWILL_VALUE_BTYD_BG_BB_HPP
#error "<goodwill/bg_bb.hpp> does not forward to <goodwill/value/btyd/bg_bb.hpp>"
#endif
#include <goodwill/gamma_gamma.hpp>
#ifndef GOODWILL_VALUE_BTYD_GAMMA_GAMMA_HPP
#error "<goodwill/gamma_gamma.hpp> does not forward to <goodwill/value/btyd/gamma_gamma.hpp>"
#endif
#include <goodwill/bg_nbd.hpp>
#ifndef GOODWILL_VALUE_BTYD_BG_NBD_HPP
#error "<goodwill/bg_nbd.hpp> does not forward to <goodwill/value/btyd/bg_nbd.hpp>"
#endif
#include <goodwill/pareto_nbd.hpp>
#ifndef GOODWILL_VALUE_BTYD_PARETO_NBD_HPP
#error "<goodwill/pareto_nbd.hpp> does not forward to <goodwill/value/btyd/pareto_nbd.hpp>"
#endif
#include <goodwill/rfm.hpp>
#ifndef GOODWILL_VALUE_RFM_HPP
#error "<goodwill/rfm.hpp> does not forward to <goodwill/value/rfm.hpp>"
#endif
#include <goodwill/relationship_model.hpp>
#ifndef GOODWILL_RELATIONSHIP_RELATIONSHIP_MODEL_HPP
#error                                                                                             \
    "<goodwill/relationship_model.hpp> does not forward to <goodwill/relationship/relationship_model.hpp>"
#endif
#include <goodwill/replay.hpp>
#ifndef GOODWILL_RELATIONSHIP_REPLAY_HPP
#error "<goodwill/replay.hpp> does not forward to <goodwill/relationship/replay.hpp>"
#endif
#include <goodwill/spiral.hpp>
#ifndef GOODWILL_RELATIONSHIP_SPIRAL_HPP
#error "<goodwill/spiral.hpp> does not forward to <goodwill/relationship/spiral.hpp>"
#endif
#include <goodwill/winback.hpp>
#ifndef GOODWILL_RELATIONSHIP_WINBACK_HPP
#error "<goodwill/winback.hpp> does not forward to <goodwill/relationship/winback.hpp>"
#endif
#include <goodwill/evidence.hpp>
#ifndef GOODWILL_RELATIONSHIP_EVIDENCE_HPP
#error "<goodwill/evidence.hpp> does not forward to <goodwill/relationship/evidence.hpp>"
#endif
#include <goodwill/profitability.hpp>
#ifndef GOODWILL_VALUE_PROFITABILITY_HPP
#error "<goodwill/profitability.hpp> does not forward to <goodwill/value/profitability.hpp>"
#endif
#include <goodwill/markov_chain.hpp>
#ifndef GOODWILL_VALUE_MARKOV_CHAIN_HPP
#error "<goodwill/markov_chain.hpp> does not forward to <goodwill/value/markov_chain.hpp>"
#endif
#include <goodwill/market.hpp>
#ifndef GOODWILL_SYNTHETIC_MARKET_HPP
#error "<goodwill/market.hpp> does not forward to <goodwill/synthetic/market.hpp>"
#endif
#include <goodwill/simulation.hpp>
#ifndef GOODWILL_SYNTHETIC_SIMULATION_HPP
#error "<goodwill/simulation.hpp> does not forward to <goodwill/synthetic/simulation.hpp>"
#endif
#include <goodwill/negotiation.hpp>
#if !defined(GOODWILL_NEGOTIATION_SCENARIO_HPP) ||                                                 \
    !defined(GOODWILL_NEGOTIATION_NEGOTIATOR_HPP) ||                                               \
    !defined(GOODWILL_NEGOTIATION_STRATEGIES_HPP) || !defined(GOODWILL_NEGOTIATION_SESSION_HPP) || \
    !defined(GOODWILL_NEGOTIATION_BATCH_HPP)
#error "<goodwill/negotiation.hpp> does not include every part of goodwill/negotiation/"
#endif

#include <boost/test/unit_test.hpp>

#include <type_traits>

BOOST_AUTO_TEST_SUITE(flat_paths)

// Code written against the flat paths keeps compiling and finds the same
// entities: one name from each domain, through the old includes only.
BOOST_AUTO_TEST_CASE(old_paths_declare_the_same_entities) {
  static_assert(std::is_class_v<goodwill::trust_params>);
  static_assert(std::is_class_v<goodwill::bg_nbd>);
  static_assert(std::is_class_v<goodwill::markov_chain>);
  static_assert(std::is_class_v<goodwill::market_params>);
  static_assert(std::is_class_v<goodwill::scenario>);
  static_assert(std::is_class_v<goodwill::batch_row>);
  goodwill::outcome_space space({goodwill::issue::integer("price", 0, 10)});
  BOOST_TEST(space.size() == 11U);
}

BOOST_AUTO_TEST_SUITE_END()
