#include "resurgence/output/indicators.hpp"

namespace resurgence {
namespace {

constexpr IndicatorInfo kTable[] = {
#define RESURGENCE_INDICATOR(id, name, unit, kind, per_country, desc) \
    {Ind::id, name, unit, IndicatorKind::kind, per_country, desc},
#include "resurgence/output/tables/all.def"
#undef RESURGENCE_INDICATOR
};
static_assert(std::size(kTable) == kIndicatorCount);

constexpr bool table_is_consistent() {
    for (std::size_t i = 0; i < std::size(kTable); ++i) {
        if (static_cast<std::size_t>(kTable[i].id) != i) return false;
        if (kTable[i].unit.empty() || kTable[i].description.empty()) return false;
        for (std::size_t j = 0; j < i; ++j)
            if (kTable[j].name == kTable[i].name && kTable[j].per_country == kTable[i].per_country)
                return false;
    }
    return true;
}
static_assert(table_is_consistent(), "indicator table: duplicate name or missing unit/description");

}  // namespace

std::span<const IndicatorInfo> indicator_table() noexcept { return kTable; }
const IndicatorInfo& indicator_info(Ind id) noexcept { return kTable[static_cast<std::size_t>(id)]; }

ColumnLayout::ColumnLayout(const std::vector<std::string>& countries)
    : offsets_(kIndicatorCount), countries_(static_cast<int>(countries.size())) {
    for (const auto& info : kTable) {
        offsets_[static_cast<std::size_t>(info.id)] = columns_.size();
        if (!info.per_country) {
            columns_.push_back({std::string(info.name), info.unit, info.kind, info.description});
            continue;
        }
        for (const auto& c : countries)
            columns_.push_back({std::string(info.name) + "_" + c, info.unit, info.kind, info.description});
    }
}

}  // namespace resurgence
