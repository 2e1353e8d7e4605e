#include "resurgence/output/recorder.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <iterator>
#include <limits>

namespace resurgence {
namespace {

constexpr SummaryOutcome kOutcomes[] = {
    {"peak_fighters", "fighters", "Largest number of fighters at large on any day"},
    {"attacks_total", "attacks", "Attacks over the whole horizon"},
    {"attacks_last_12_months", "attacks", "Attacks in the last 365 days of the horizon"},
    {"days_to_resurgence", "days",
     "Days from resurgence.from_day (default the first day) to the first day on which attacks "
     "in the trailing 30 days exceed resurgence.attacks_per_30_days (empty if never or "
     "undefined)"},
    {"escapes", "persons", "Detainees escaped over the horizon"},
    {"crossings", "fighters", "Border crossings attempted over the horizon"},
    {"peak_supporters", "persons", "Largest number of supporters on any day"},
    {"mean_supporters", "persons", "Mean number of supporters over the horizon"},
    {"final_legitimacy", "1", "Mean legitimacy on the last day"},
};
enum Outcome : std::size_t {
    kPeakFighters, kAttacksTotal, kAttacksLast12, kDaysToResurgence, kEscapes, kCrossings,
    kPeakSupporters, kMeanSupporters, kFinalLegitimacy, kOutcomeCount
};
static_assert(std::size(kOutcomes) == kOutcomeCount);

constexpr RegionColumn kRegionColumns[] = {
    {"legitimacy", "1", IndicatorKind::stock, "Perceived legitimacy of the region's authority (L)"},
    {"intimidation", "1", IndicatorKind::stock,
     "Intimidation in the region (assassinations of informants; decays over weeks)"},
    {"patrol", "personnel", IndicatorKind::stock, "Security personnel on patrol in the region"},
    {"intelligence", "1", IndicatorKind::stock,
     "Intelligence quality in the region (informants x coalition ISR)"},
    {"supporters", "persons", IndicatorKind::stock, "Civilians supporting the insurgency in the region"},
    {"informants", "persons", IndicatorKind::stock, "Civilians informing the security forces in the region"},
    {"fighters_at_large", "fighters", IndicatorKind::stock, "Fighters at large in the region (active + sleeper)"},
    {"attacks", "attacks/day", IndicatorKind::flow, "Attacks in the region during the day"},
};

// Numbers print as integers when whole (counts), else with 9 significant digits: stable,
// locale-free and byte-identical across runs.
// Whole numbers (most cells of a row) go through std::to_chars into a stack buffer: the same
// digits as fmt's "{}", without parsing a format string for every number of every row.
void put_number(std::string& s, double v) {
    if (std::isnan(v)) return;
    if (v == std::floor(v) && std::fabs(v) < 1e15) {
        char digits[24];
        const auto end = std::to_chars(digits, digits + sizeof digits, static_cast<long long>(v)).ptr;
        s.append(digits, end);
    } else {
        fmt::format_to(std::back_inserter(s), "{:.9g}", v);
    }
}

}  // namespace

std::span<const SummaryOutcome> summary_outcomes() noexcept { return kOutcomes; }
std::span<const RegionColumn> region_columns() noexcept {
    return kRegionColumns;
}

Recorder::Recorder(const ScenarioSpec& spec, const ColumnLayout& layout, int replication,
                   std::uint64_t seed)
    : spec_(spec), layout_(layout), row_(layout.size(), 0.0) {
    result_.replication = replication;
    result_.seed = seed;
    const auto days = static_cast<std::size_t>(spec.horizon_days);
    // Reserve once: about 12 bytes a column a day is ample for the numbers we print.
    result_.timeseries.reserve(days * (24 + 12 * layout.size()));
    // Events: a few aggregated rows per region a day (arrests, attacks by kind, crossings) of
    // ~64 bytes; the shipped theatre scenarios write 180-250 bytes per region-day. A run with
    // more (a thousand attacks a day) grows the buffer geometrically: O(log n) reallocations.
    result_.events.reserve(days * 64 * (16 + 4 * spec.regions.size()));
    if (spec.outputs.regions)
        result_.regions.reserve(days * spec.regions.size() * (32 + 12 * std::size(kRegionColumns)));
    // Cell-size distribution: one row per distinct size a day, ~20 bytes; 48 distinct sizes a
    // day covers the shipped scenarios (a power-law tail is sparse beyond that).
    if (spec.outputs.cell_sizes) result_.cell_sizes.reserve(days * 48 * 20);
    attacks_.assign(days, 0.0);
}

void Recorder::begin_day(int day) {
    day_ = day;
    std::fill(row_.begin(), row_.end(), 0.0);
    format_iso(spec_.date_of(day), date_);
    date_[10] = '\0';
}

void Recorder::event(int region, std::string_view type, double severity, double count,
                     std::string_view detail) {
    auto out = std::back_inserter(result_.events);
    fmt::format_to(out, "{},{},{},{},{},", result_.replication, day_, std::string_view(date_, 10),
                   region >= 0 ? std::string_view(spec_.regions[static_cast<std::size_t>(region)].id)
                               : std::string_view(),
                   type);
    put_number(result_.events, severity);
    result_.events.push_back(',');
    put_number(result_.events, count);
    result_.events.push_back(',');
    result_.events.append(detail);
    result_.events.push_back('\n');
}

void Recorder::region_row(int region, std::span<const double> values) {
    auto out = std::back_inserter(result_.regions);
    fmt::format_to(out, "{},{},{},{}", result_.replication, day_, std::string_view(date_, 10),
                   spec_.regions[static_cast<std::size_t>(region)].id);
    for (double v : values) {
        result_.regions.push_back(',');
        put_number(result_.regions, v);
    }
    result_.regions.push_back('\n');
}

void Recorder::cell_size_row(std::int64_t size, std::int64_t count) {
    fmt::format_to(std::back_inserter(result_.cell_sizes), "{},{},{},{}\n", result_.replication,
                   day_, size, count);
}

void Recorder::end_day() {
    auto out = std::back_inserter(result_.timeseries);
    fmt::format_to(out, "{},{},{}", result_.replication, day_, std::string_view(date_, 10));
    for (double v : row_) {
        result_.timeseries.push_back(',');
        put_number(result_.timeseries, v);
    }
    result_.timeseries.push_back('\n');

    // Series for the summary.
    double at_large = 0;
    for (int c = 0; c < layout_.countries(); ++c) at_large += get(Ind::fighters_at_large_country, c);
    peak_fighters_ = std::max(peak_fighters_, at_large);
    const double supporters = get(Ind::supporters);
    peak_supporters_ = std::max(peak_supporters_, supporters);
    sum_supporters_ += supporters;
    escapes_ += get(Ind::escapes);
    crossings_ += get(Ind::crossings_attempted);
    const double attacks_all = get(Ind::attacks_total);
    attacks_all_ += attacks_all;
    const int scope = spec_.resurgence.country;
    const double attacks = scope >= 0 ? get(Ind::attacks_country, scope) : attacks_all;
    attacks_[static_cast<std::size_t>(day_)] = attacks_all;
    // Trailing 30-day window of attacks in the resurgence scope (ring buffer).
    auto& slot = window_ring_[static_cast<std::size_t>(day_) % window_ring_.size()];
    window_ += attacks - slot;
    slot = attacks;
    if (days_to_resurgence_ < 0 && spec_.resurgence.attacks_per_30_days > 0 && day_ >= 29 &&
        day_ >= spec_.resurgence.from_day && window_ > spec_.resurgence.attacks_per_30_days)
        days_to_resurgence_ = day_ - spec_.resurgence.from_day;
    final_legitimacy_ = get(Ind::legitimacy_mean);
}

ReplicationResult Recorder::finish() {
    auto& s = result_.summary;
    s.assign(kOutcomeCount, std::numeric_limits<double>::quiet_NaN());
    const auto days = static_cast<std::size_t>(spec_.horizon_days);
    double last12 = 0;
    for (std::size_t d = days > 365 ? days - 365 : 0; d < days; ++d) last12 += attacks_[d];
    s[kPeakFighters] = peak_fighters_;
    s[kAttacksTotal] = attacks_all_;
    s[kAttacksLast12] = last12;
    if (days_to_resurgence_ >= 0) s[kDaysToResurgence] = days_to_resurgence_;
    s[kEscapes] = escapes_;
    s[kCrossings] = crossings_;
    s[kPeakSupporters] = peak_supporters_;
    s[kMeanSupporters] = sum_supporters_ / static_cast<double>(std::max<std::size_t>(days, 1));
    s[kFinalLegitimacy] = final_legitimacy_;
    return std::move(result_);
}

void format_summary_row(std::string& out, const ReplicationResult& r) {
    auto it = std::back_inserter(out);
    fmt::format_to(it, "{},{}", r.replication, r.seed);
    for (double v : r.summary) {
        out.push_back(',');
        put_number(out, v);
    }
    out.push_back('\n');
}

}  // namespace resurgence
