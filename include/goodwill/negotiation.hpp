// goodwill — bilateral alternating-offers negotiation (SAO) and strategies:
// the umbrella header, kept at the old path for compatibility. The parts are
// in goodwill/negotiation/: scenario.hpp (the scenario and the session's
// vocabulary), negotiator.hpp (the interface, acceptance conditions, the
// opponent model), strategies.hpp (the built-in negotiators), session.hpp
// (run_session, private deadlines, the ledger link) and batch.hpp (run_batch);
// outcome_space.hpp, preferences.hpp, bargaining.hpp, genius.hpp and
// tournament.hpp beside them.
#ifndef GOODWILL_NEGOTIATION_HPP
#define GOODWILL_NEGOTIATION_HPP

#include <goodwill/negotiation/bargaining.hpp>
#include <goodwill/negotiation/batch.hpp>
#include <goodwill/negotiation/continuous.hpp>
#include <goodwill/negotiation/multilateral.hpp>
#include <goodwill/negotiation/negotiator.hpp>
#include <goodwill/negotiation/nonlinear.hpp>
#include <goodwill/negotiation/outcome_space.hpp>
#include <goodwill/negotiation/preferences.hpp>
#include <goodwill/negotiation/scenario.hpp>
#include <goodwill/negotiation/session.hpp>
#include <goodwill/negotiation/strategies.hpp>

#endif // GOODWILL_NEGOTIATION_HPP
