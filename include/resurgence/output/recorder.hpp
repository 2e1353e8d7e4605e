#pragma once
// Records one replication: the day's stocks and flows (a flat row laid out by ColumnLayout),
// event rows, and the per-replication summary. Rows are formatted into in-memory CSV buffers
// whose capacity is reserved up front, so the daily loop does not allocate once warm.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "resurgence/output/indicators.hpp"
#include "resurgence/scenario/spec.hpp"

namespace resurgence {

// One summary outcome (a column of summary.csv), computed from a replication's series.
struct SummaryOutcome {
    std::string_view name;
    std::string_view unit;
    std::string_view description;
};
std::span<const SummaryOutcome> summary_outcomes() noexcept;

struct ReplicationResult {
    int replication = 0;
    std::uint64_t seed = 0;
    std::string timeseries;  // CSV rows, no header
    std::string events;      // CSV rows, no header
    std::string regions;     // CSV rows, no header (when outputs.regions)
    std::string cell_sizes;  // CSV rows, no header (when outputs.cell_sizes)
    std::vector<double> summary;  // one value per summary_outcomes() row; NaN = empty
};

class Recorder {
public:
    Recorder(const ScenarioSpec& spec, const ColumnLayout& layout, int replication,
             std::uint64_t seed);

    void begin_day(int day);  // zeroes the row
    void add(Ind id, double v) noexcept { row_[layout_.offset(id)] += v; }
    void add(Ind id, int country, double v) noexcept { row_[layout_.offset(id, country)] += v; }
    void set(Ind id, double v) noexcept { row_[layout_.offset(id)] = v; }
    void set(Ind id, int country, double v) noexcept { row_[layout_.offset(id, country)] = v; }
    [[nodiscard]] double get(Ind id) const noexcept { return row_[layout_.offset(id)]; }
    [[nodiscard]] double get(Ind id, int country) const noexcept {
        return row_[layout_.offset(id, country)];
    }
    // One row of events.csv. `region` < 0 means no region. `detail` must not contain commas or
    // quotes (it is an identifier-like note, e.g. a site id).
    void event(int region, std::string_view type, double severity, double count,
               std::string_view detail = {});
    // One row of regions.csv per region (values in the order of region_columns()).
    void region_row(int region, std::span<const double> values);
    void cell_size_row(std::int64_t size, std::int64_t count);
    void end_day();  // formats the row and updates the series the summary needs
    ReplicationResult finish();

    [[nodiscard]] bool wants_regions() const noexcept { return spec_.outputs.regions; }
    [[nodiscard]] bool wants_cell_sizes() const noexcept { return spec_.outputs.cell_sizes; }
    [[nodiscard]] int day() const noexcept { return day_; }
    // Days to resurgence as of the last end_day() (the summary's rule, model-spec §7, counted
    // from resurgence.from_day); -1 while not reached or when no threshold is defined.
    [[nodiscard]] int days_to_resurgence() const noexcept { return days_to_resurgence_; }

private:
    const ScenarioSpec& spec_;
    const ColumnLayout& layout_;
    ReplicationResult result_;
    std::vector<double> row_;
    int day_ = 0;
    char date_[11] = {};
    // Series kept for the summary.
    std::vector<double> attacks_;  // attacks per day in the resurgence scope
    double peak_fighters_ = 0;
    double peak_supporters_ = 0;
    double sum_supporters_ = 0;
    double escapes_ = 0;
    double crossings_ = 0;
    double attacks_all_ = 0;
    int days_to_resurgence_ = -1;
    double window_ = 0;  // attacks in the trailing 30 days
    std::array<double, 30> window_ring_{};
    double final_legitimacy_ = 0;
};

// Appends one summary.csv row (replication, seed, outcomes...).
void format_summary_row(std::string& out, const ReplicationResult& r);

// Region-level columns of regions.csv, in file order; run.json lists them with these fields.
struct RegionColumn {
    std::string_view name;
    std::string_view unit;
    IndicatorKind kind;
    std::string_view description;
};
std::span<const RegionColumn> region_columns() noexcept;

}  // namespace resurgence
