#pragma once
// A sweep expanded into design points and run plans (style.md §8: sweeps are data).
//
// Plan i is (point i / R, replication i % R) with R replications per point: plans are numbered
// point-major, so the replications of a point are consecutive. A plan's scenario is the base
// scenario with the sweep's fixed overrides, the point's parameter values and the plan's seed;
// its replication index is its replication number.
//
// Seed rule (docs/sweeps.md): with seed S,
//   common_random_numbers: true   every point uses seed S: replication r of every point draws
//                                 the same random streams (purpose by purpose, entity by entity);
//   common_random_numbers: false  point p uses seed  point_seed(S, p) =
//                                 mix64(S ^ mix64(p + 1)) & (2^63 - 1)  (mix64: the SplitMix64 output for state x).
// Stream keys are (seed, replication, purpose, entity) (core/rng.hpp), so a plan's random numbers
// depend on nothing but (seed, replication): not on threads, shards, ranks or the order of runs.
#include <Eigen/Dense>

#include <cstdint>
#include <string>
#include <vector>

#include "resurgence/sweep/spec.hpp"

namespace resurgence::sweep {

struct Design {
    DesignKind kind = DesignKind::grid;
    std::size_t points = 0;
    std::size_t k = 0;      // parameters
    std::vector<double> x;  // points x k, row-major: the value, or the value's index if discrete
    Eigen::MatrixXd unit;   // points x k unit-cube coordinates (lhs, sobol, morris; else empty)
};

// Expands the design (no I/O). Deterministic in the spec.
Design expand_design(const SweepSpec& spec);

std::uint64_t point_seed(std::uint64_t seed, std::uint64_t point) noexcept;

struct BaseInfo {
    std::string name;       // the base scenario's name
    std::string file_hash;  // of the base file and its includes
};

struct Plan {
    std::uint64_t index = 0;
    std::uint64_t point = 0;
    int replication = 0;
    std::uint64_t seed = 0;  // the scenario seed this plan runs with
};

class Sweep {
public:
    // Reads the sweep file, expands it and validates every parameter value against the base
    // scenario (InputError with file:line:column on any problem).
    static Sweep load(const std::string& path);
    // For tests: from a spec already read, optionally skipping the base scenario check.
    static Sweep from_spec(SweepSpec spec, bool validate_base = true);

    [[nodiscard]] const SweepSpec& spec() const noexcept { return spec_; }
    [[nodiscard]] const Design& design() const noexcept { return design_; }
    [[nodiscard]] const BaseInfo& base() const noexcept { return base_; }
    [[nodiscard]] std::uint64_t points() const noexcept { return design_.points; }
    [[nodiscard]] std::uint64_t plans() const noexcept {
        return design_.points * static_cast<std::uint64_t>(spec_.replications);
    }
    [[nodiscard]] Plan plan(std::uint64_t index) const noexcept;
    [[nodiscard]] std::uint64_t seed_of_point(std::uint64_t point) const noexcept;

    // Parameter value of a point as override text / as a number (discrete words: their index).
    [[nodiscard]] std::string value_text(std::uint64_t point, std::size_t param) const;
    // key=value overrides that make a point's scenario (fixed ones first, then the parameters,
    // then seed=...).
    [[nodiscard]] std::vector<std::string> point_overrides(std::uint64_t point) const;

    // 16 hex digits identifying what the sweep computes: the base scenario's hash, fixed
    // overrides, every point's values, replications, seeds and the outcome list. A folder's
    // results are only resumed or merged with a sweep of the same fingerprint.
    [[nodiscard]] const std::string& fingerprint() const noexcept { return fingerprint_; }

    // Design point group and role (sobol: base sample j and A/B/AB<i>; morris: trajectory and
    // step s<i>; else the point and "-").
    [[nodiscard]] std::uint64_t group_of(std::uint64_t point) const noexcept;
    [[nodiscard]] std::string role_of(std::uint64_t point) const;

    // The contents of design.csv and sweep.json (deterministic).
    [[nodiscard]] std::string design_csv_header() const;
    void append_design_row(std::string& out, std::uint64_t point) const;
    [[nodiscard]] std::string sweep_json() const;

private:
    SweepSpec spec_;
    Design design_;
    BaseInfo base_;
    std::string fingerprint_;
};

// One number as it appears in sweep outputs: whole numbers as integers, others with 9
// significant digits (the recorder's summary.csv rule); NaN as nothing.
void append_number(std::string& out, double v);

}  // namespace resurgence::sweep
