#pragma once
// The one registry of stocks and flows (style.md §10). CSV headers, run.json's column list and
// the plotting tool's units all come from here, never from a hand-typed header.
//
// Rows live in include/resurgence/output/tables/<module>.def as
//   RESURGENCE_INDICATOR(id, "name", "unit", stock|flow, per_country, "description")
// A per_country indicator yields one column per country, named <name>_<country>, after the
// global column <name> if it is also listed without per_country... (it is not: per-country rows
// give only the per-country columns).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace resurgence {

enum class IndicatorKind : std::uint8_t { stock, flow };

enum class Ind : std::uint16_t {
#define RESURGENCE_INDICATOR(id, name, unit, kind, per_country, desc) id,
#include "resurgence/output/tables/all.def"
#undef RESURGENCE_INDICATOR
    count_
};
inline constexpr std::size_t kIndicatorCount = static_cast<std::size_t>(Ind::count_);

struct IndicatorInfo {
    Ind id;
    std::string_view name;
    std::string_view unit;
    IndicatorKind kind;
    bool per_country;
    std::string_view description;
};

std::span<const IndicatorInfo> indicator_table() noexcept;
const IndicatorInfo& indicator_info(Ind id) noexcept;

struct Column {
    std::string name;
    std::string_view unit;
    IndicatorKind kind;
    std::string_view description;
};

// The columns of one scenario's timeseries: the registry expanded over its countries.
// Column offsets are fixed once at construction; a day's values are a flat array of doubles.
class ColumnLayout {
public:
    explicit ColumnLayout(const std::vector<std::string>& countries);
    [[nodiscard]] std::size_t size() const noexcept { return columns_.size(); }
    [[nodiscard]] const std::vector<Column>& columns() const noexcept { return columns_; }
    [[nodiscard]] std::size_t offset(Ind id) const noexcept {
        return offsets_[static_cast<std::size_t>(id)];
    }
    [[nodiscard]] std::size_t offset(Ind id, int country) const noexcept {
        return offsets_[static_cast<std::size_t>(id)] + static_cast<std::size_t>(country);
    }
    [[nodiscard]] int countries() const noexcept { return countries_; }

private:
    std::vector<Column> columns_;
    std::vector<std::size_t> offsets_;
    int countries_ = 0;
};

}  // namespace resurgence
