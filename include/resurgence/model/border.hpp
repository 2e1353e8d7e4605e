#pragma once
// Border crossings (model-spec §2, §5.5; B02-B06, C06). Implementation: sim/model/border.cpp;
// equations in docs/model-detention.md.
//
// A crossing sits on an edge between regions of two countries. Its guards are the guard
// force's personnel on the `border` task in the crossing's two regions, each region's border
// personnel split over the crossings that force guards there in proportion to frontier length,
// plus reinforcements (border_reinforcement events). A fighter crossing is detected with
//   p = [1 - (1 - base)(1 - p_g)] * s * b * (1 - cover_max R / (R + cover_half)),
//   p_g = 1 - exp(-kappa * kind factor * guards_per_km * (1 - difficulty)),
// s = smuggler_factor when it pays the smuggler fee (else 1), b = bribe_factor when it pays the
// bribe (else 1), R the refugee flow at the crossing (B05), difficulty the policing difficulty
// of the guarded side's region (B06). Detected fighters are killed (border.kill_share) or
// detained by the guarding side (C06).
//
// Every attempt is counted per crossing per day and flushed as events.csv rows (`crossing` for
// those who passed, `crossing_detected` for those caught, severity = killed) at the end of the
// movement phase.
#include <cstdint>
#include <vector>

#include "resurgence/core/rng.hpp"
#include "resurgence/model/fighters.hpp"
#include "resurgence/params/parameters.hpp"
#include "resurgence/scenario/spec.hpp"

namespace resurgence {

struct SimState;

struct CrossingOutcome {
    bool detected = false;
    bool killed = false;
    bool smuggled = false;
    bool bribed = false;
};

class Border {
  public:
    // Sizes per-crossing state and the frontier shares of each guard force.
    void init(const SimState& state);
    // Start of phase 5: today's guards and detection per crossing (after posture, events).
    void update(SimState& state);

    // One fighter (in transit, not in a cell) crossing `crossing`: pays the smuggler and the
    // bribe from its carried funds when it can, draws detection, and counts the attempt. The
    // caller applies the fate (movement.cpp).
    CrossingOutcome attempt(SimState& state, FighterId f, int crossing, Rng& rng);
    // Today's events.csv rows and counters of the crossings (end of phase 5).
    void flush_events(SimState& state);

    // ---- levers (events)
    // Adds `guards` personnel to a crossing for `days` (< 0 = until the end).
    void reinforce(int crossing, double guards, int days);
    // Sets the refugee flow (persons/day) at a crossing for `days` (< 0 = until the end).
    void set_refugee_flow(int crossing, double persons_per_day, int days);

    // ---- accessors
    [[nodiscard]] int crossings() const noexcept { return static_cast<int>(guards_.size()); }
    [[nodiscard]] double guards(int x) const { return guards_[at(x)]; }
    [[nodiscard]] double refugee_flow(int x) const { return flow_[at(x)]; }
    // Detection probability today for a fighter with or without smuggler and bribe.
    [[nodiscard]] double detection(const SimState& state, int x, bool smuggled, bool bribed) const;
    // The region of the crossing where its guard force stands (its capturing side and the
    // terrain that limits detection): the endpoint where the force has more personnel at the
    // start (the `to` region on ties or when unguarded).
    [[nodiscard]] int guarded_side(int x) const { return side_[at(x)]; }

    // ---- the rule as a function of its inputs (tests, docs)
    [[nodiscard]] static double detection_probability(const ParamSet& p, CrossingKind kind,
                                                      double base, double guards_per_km,
                                                      double difficulty, double refugee_flow,
                                                      bool smuggled, bool bribed) noexcept;
    // Guards of a crossing from the forces (no reinforcements): the guard force's border
    // personnel in each endpoint region times the crossing's share of that force's frontier
    // there.
    [[nodiscard]] double base_guards(const SimState& state, int x) const;

    // Today's totals.
    [[nodiscard]] std::int64_t attempted_today() const noexcept { return attempted_total_; }
    [[nodiscard]] std::int64_t detected_today() const noexcept { return detected_total_; }
    // Totals since the start (for checks and tests).
    [[nodiscard]] std::int64_t attempted_cumulative() const noexcept { return attempted_cum_; }
    [[nodiscard]] std::int64_t detected_cumulative() const noexcept { return detected_cum_; }

    void record(SimState& state) const;
    void check_invariants(const SimState& state) const;

  private:
    [[nodiscard]] static std::size_t at(int x) { return static_cast<std::size_t>(x); }
    struct Timed {
        int crossing = 0;
        double value = 0;
        int days_left = -1;  // < 0 = until the end
    };
    void begin_day(int day);

    std::vector<double> guards_;      // today's guards per crossing
    std::vector<double> extra_;       // reinforcements in force today
    std::vector<double> flow_;        // refugee flow today
    std::vector<int> side_;           // guarded side region
    std::vector<double> share_from_;  // crossing's share of its force's frontier at `from`
    std::vector<double> share_to_;
    std::vector<Timed> reinforcements_;
    std::vector<Timed> flows_;
    // Today's counters per crossing.
    std::vector<std::int64_t> attempted_, detected_, killed_;
    std::int64_t attempted_total_ = 0, detected_total_ = 0, killed_total_ = 0;
    std::int64_t attempted_cum_ = 0, detected_cum_ = 0;
    double fees_ = 0, bribes_ = 0;
    int day_ = -1;
};

}  // namespace resurgence
