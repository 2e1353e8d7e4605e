#pragma once
// One replication: a fixed list of named daily phases over (state, spec, streams), style.md §5.
#include <vector>

#include "resurgence/model/state.hpp"
#include "resurgence/output/recorder.hpp"

namespace resurgence {

class Simulation {
public:
    Simulation(const ScenarioSpec& spec, const ColumnLayout& layout, int replication);

    // Advances one day through every phase of model-spec §4.
    void step();
    // Runs to the horizon and returns the replication's outputs.
    ReplicationResult run();

    [[nodiscard]] SimState& state() noexcept { return state_; }
    [[nodiscard]] const SimState& state() const noexcept { return state_; }
    [[nodiscard]] int day() const noexcept { return state_.day; }

private:
    void scheduled_events();   // 1
    void security_posture();   // 2
    void civilians();          // 3
    void cells();              // 4
    void movement();           // 5
    void attacks();            // 6
    void counter_insurgency(); // 7
    void detention();          // 8
    void legitimacy();         // 9
    void record();             // 10
    void check_invariants() const;

    const ScenarioSpec& spec_;
    Recorder recorder_;
    SimState state_;
    std::vector<std::vector<const Event*>> events_by_day_;  // per-day buckets
};

}  // namespace resurgence
