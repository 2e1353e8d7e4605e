// The summary's days to resurgence (model-spec §7): the first day whose trailing 30 days of
// attacks in the scope exceed the threshold, counted from resurgence.from_day.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "resurgence/output/recorder.hpp"
#include "resurgence/scenario/loader.hpp"

using namespace resurgence;

namespace {

const std::string kScenario =
    "name: r\n"
    "start_date: 2019-02-01\n"
    "horizon_days: 120\n"
    "regions:\n"
    "  - {id: nineveh, country: iraq, population: 1000}\n"
    "  - {id: deir_ez_zor, country: syria, population: 1000}\n";

// Days to resurgence (NaN: none) when Iraq has `iraq[d]` attacks on day d and Syria 10 a day.
double days_to_resurgence(const std::string& resurgence, const std::vector<double>& iraq) {
    const ScenarioSpec spec = load_scenario_text(kScenario + resurgence, "r.yaml");
    const ColumnLayout layout(spec.countries);
    Recorder rec(spec, layout, 0, 1);
    for (int d = 0; d < spec.horizon_days; ++d) {
        rec.begin_day(d);
        const double a = iraq[static_cast<std::size_t>(d)];
        rec.add(Ind::attacks_country, 0, a);
        rec.add(Ind::attacks_country, 1, 10.0);
        rec.add(Ind::attacks_total, a + 10.0);
        rec.end_day();
    }
    const auto outcomes = summary_outcomes();
    const auto it = std::find_if(outcomes.begin(), outcomes.end(),
                                 [](const SummaryOutcome& o) { return o.name == "days_to_resurgence"; });
    REQUIRE(it != outcomes.end());
    return rec.finish().summary[static_cast<std::size_t>(it - outcomes.begin())];
}

}  // namespace

TEST_CASE("days to resurgence: threshold, scope and the day the count starts", "[output]") {
    // Iraq: 2 attacks a day to day 49, 5 a day from day 50 on. The trailing 30 days first
    // exceed 100 on the day their sum passes 100: 30 x 2 = 60 before day 50; on day 50 + k
    // (k < 30) the window holds (k + 1) x 5 + (29 - k) x 2 = 63 + 3k > 100 from k = 13.
    std::vector<double> iraq(120, 2.0);
    std::fill(iraq.begin() + 50, iraq.end(), 5.0);
    CHECK(days_to_resurgence("resurgence: {attacks_per_30_days: 100, country: iraq}\n", iraq) == 63);
    // Counted from day 40: the same day, 23 days after it.
    CHECK(days_to_resurgence("resurgence: {attacks_per_30_days: 100, country: iraq, from_day: 40}\n",
                             iraq) == 23);
    // From a day past it: the window already exceeds the threshold, so 0.
    CHECK(days_to_resurgence("resurgence: {attacks_per_30_days: 100, country: iraq, "
                             "from_date: 2019-05-01}\n", iraq) == 0);
    // The whole theatre: 12 a day before day 50 is 360 in 30 days, above 300 from day 29 (the
    // first full window), never before it.
    CHECK(days_to_resurgence("resurgence: {attacks_per_30_days: 300}\n", iraq) == 29);
    CHECK(days_to_resurgence("resurgence: {attacks_per_30_days: 300, from_day: 10}\n", iraq) == 19);
    // Syria alone never exceeds 300 (10 a day); no threshold: nothing.
    CHECK(std::isnan(days_to_resurgence("resurgence: {attacks_per_30_days: 300, country: syria}\n", iraq)));
    CHECK(std::isnan(days_to_resurgence("", iraq)));
}
