#include <goodwill/error.hpp>

#include <boost/test/unit_test.hpp>

#include <string>

BOOST_AUTO_TEST_SUITE(error)

BOOST_AUTO_TEST_CASE(invalid_input_names_field_and_row) {
  const goodwill::invalid_input e("amount", 41, "is NaN");
  BOOST_TEST(std::string(e.what()) == "row 41, field 'amount': is NaN");
  BOOST_TEST(e.field() == "amount");
  BOOST_REQUIRE(e.row().has_value());
  BOOST_TEST(*e.row() == 41);
}

BOOST_AUTO_TEST_CASE(invalid_input_without_row) {
  const goodwill::invalid_input e("half_life", "must be positive, got -3");
  BOOST_TEST(std::string(e.what()) == "field 'half_life': must be positive, got -3");
  BOOST_TEST(!e.row().has_value());
}

BOOST_AUTO_TEST_CASE(hierarchy_is_catchable_by_family) {
  BOOST_CHECK_THROW(throw goodwill::invalid_transition("x"), goodwill::invalid_state);
  BOOST_CHECK_THROW(throw goodwill::invalid_transition("x"), goodwill::error);
  BOOST_CHECK_THROW(throw goodwill::not_fitted("x"), goodwill::error);
  BOOST_CHECK_THROW(throw goodwill::numerical_failure("x"), std::runtime_error);
  BOOST_CHECK_THROW(throw goodwill::invalid_input("x"), goodwill::error);
}

BOOST_AUTO_TEST_SUITE_END()
