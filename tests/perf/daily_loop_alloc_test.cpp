// The daily loop must not allocate once warm (issue 8, point 3): buffers are sized at init
// and output rows go into reserved buffers.
#include <catch2/catch.hpp>

#include <filesystem>

#include "alloc_counter.hpp"
#include "resurgence/model/simulation.hpp"
#include "resurgence/scenario/loader.hpp"

using namespace resurgence;

namespace {
void expect_no_allocation_after_warmup(const std::string& file, int warmup, int measured) {
    const ScenarioSpec spec = load_scenario(file);
    REQUIRE(spec.horizon_days >= warmup + measured);
    const ColumnLayout layout(spec.countries);
    Simulation sim(spec, layout, 0);
    for (int d = 0; d < warmup; ++d) sim.step();
    const long before = resurgence_test::allocation_count();
    for (int d = 0; d < measured; ++d) sim.step();
    const long allocations = resurgence_test::allocation_count() - before;
    INFO(file << ": " << allocations << " allocations in " << measured << " days");
    CHECK(allocations == 0);
}
}  // namespace

TEST_CASE("the daily loop does not allocate (Epstein reference grid)", "[perf][alloc]") {
    expect_no_allocation_after_warmup(
        std::string(RESURGENCE_SCENARIOS) + "/reference/epstein_civil_violence.yaml", 5, 100);
}

TEST_CASE("the daily loop does not allocate (every shipped example)", "[perf][alloc]") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::path(RESURGENCE_SCENARIOS) / "examples";
    if (!fs::exists(dir)) return;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".yaml")
            expect_no_allocation_after_warmup(entry.path().string(), 5, 60);
}
