#include <catch2/catch.hpp>

#include "resurgence/params/parameters.hpp"

using namespace resurgence;

TEST_CASE("every parameter has a unit, a source and a default within its bounds", "[params]") {
    for (const auto& p : parameter_table()) {
        INFO(p.name);
        CHECK(!p.unit.empty());
        CHECK(!p.source.empty());
        CHECK(p.lo <= p.default_value);
        CHECK(p.default_value <= p.hi);
        CHECK(find_param(p.name) == &param_info(p.id));
    }
    CHECK(find_param("civilians.k")->default_value == 2.3);
    CHECK(find_param("no.such") == nullptr);
}

TEST_CASE("parameter values are checked against the table with the allowed range", "[params]") {
    const auto& t = *find_param("civilians.threshold");
    CHECK_FALSE(check_param_value(t, 0.2));
    const auto msg = check_param_value(t, 1.4);
    REQUIRE(msg);
    CHECK(msg->find("above 1") != std::string::npos);
    CHECK(msg->find("allowed: 0 to 1") != std::string::npos);
    const auto& jail = *find_param("civilians.max_jail_term");
    CHECK(check_param_value(jail, 2.5)->find("whole number") != std::string::npos);
    ParamSet ps;
    CHECK(ps[P::civ_k] == 2.3);
    ps.set(P::civ_k, 1.0);
    CHECK_FALSE(ps.is_default(P::civ_k));
}

TEST_CASE("the parameter table prints as text and markdown", "[params]") {
    const auto text = format_parameter_table(false);
    CHECK(text.find("civilians.k") != std::string::npos);
    CHECK(format_parameter_table(true).rfind("| name |", 0) == 0);
}
