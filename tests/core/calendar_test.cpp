#include <catch2/catch.hpp>

#include "resurgence/core/calendar.hpp"

using namespace resurgence;

TEST_CASE("dates round-trip and add days across months and leap years", "[calendar]") {
    const auto d = Date::parse("2019-02-01");
    REQUIRE(d);
    CHECK(d->iso() == "2019-02-01");
    CHECK(d->plus_days(28).iso() == "2019-03-01");
    CHECK(Date::parse("2020-02-28")->plus_days(1).iso() == "2020-02-29");
    CHECK(Date::parse("2019-10-09")->plus_days(730).iso() == "2021-10-08");
    CHECK(Date::parse("1970-01-01")->serial() == 0);
}

TEST_CASE("malformed and impossible dates are rejected", "[calendar]") {
    for (const char* bad : {"2019-02-30", "2019-13-01", "2019-1-01", "19-01-01", "2019/01/01",
                            "", "2019-02-01x", "abcd-ef-gh", "2019-00-10"})
        CHECK_FALSE(Date::parse(bad));
}
