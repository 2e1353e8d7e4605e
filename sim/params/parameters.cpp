#include "resurgence/params/parameters.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace resurgence {
namespace {

constexpr ParamInfo kTable[] = {
#define RESURGENCE_PARAM(id, name, kind, def, lo, hi, unit, source, desc) \
    {P::id, name, ParamKind::kind, def, lo, hi, unit, source, desc},
#include "resurgence/params/tables/all.def"
#undef RESURGENCE_PARAM
};
static_assert(std::size(kTable) == kParamCount);

constexpr bool table_is_consistent() {
    for (std::size_t i = 0; i < std::size(kTable); ++i) {
        const auto& r = kTable[i];
        if (static_cast<std::size_t>(r.id) != i) return false;
        if (!(r.lo <= r.default_value && r.default_value <= r.hi)) return false;
        if (r.unit.empty() || r.source.empty() || r.description.empty()) return false;
        if (r.name.find('.') == std::string_view::npos) return false;
        for (std::size_t j = 0; j < i; ++j)
            if (kTable[j].name == r.name) return false;
    }
    return true;
}
static_assert(table_is_consistent(),
              "parameter table: default outside bounds, missing unit/source, or duplicate name");

std::string fmt_num(double v) { return fmt::format("{:g}", v); }

}  // namespace

std::span<const ParamInfo> parameter_table() noexcept { return kTable; }

const ParamInfo& param_info(P id) noexcept { return kTable[static_cast<std::size_t>(id)]; }

const ParamInfo* find_param(std::string_view name) noexcept {
    for (const auto& r : kTable)
        if (r.name == name) return &r;
    return nullptr;
}

std::optional<std::string> check_param_value(const ParamInfo& info, double value) {
    const auto range = [&] {
        if (info.kind == ParamKind::boolean) return std::string("allowed: true or false");
        return fmt::format("allowed: {} to {} {}{}", fmt_num(info.lo), fmt_num(info.hi), info.unit,
                           info.kind == ParamKind::integer ? ", whole numbers" : "");
    };
    if (!std::isfinite(value)) return fmt::format("{} is not a finite number ({})", value, range());
    if (info.kind == ParamKind::integer && value != std::floor(value))
        return fmt::format("{} is not a whole number ({})", fmt_num(value), range());
    if (value < info.lo)
        return fmt::format("{} is below {} ({})", fmt_num(value), fmt_num(info.lo), range());
    if (value > info.hi)
        return fmt::format("{} is above {} ({})", fmt_num(value), fmt_num(info.hi), range());
    return std::nullopt;
}

ParamSet::ParamSet() noexcept {
    for (const auto& r : kTable) values_[static_cast<std::size_t>(r.id)] = r.default_value;
}

bool ParamSet::is_default(P id) const noexcept {
    return (*this)[id] == param_info(id).default_value;
}

std::string format_parameter_table(bool markdown) {
    std::string out;
    const auto kind_name = [](ParamKind k) {
        return k == ParamKind::real ? "real" : k == ParamKind::integer ? "integer" : "boolean";
    };
    if (markdown) {
        out += "| name | default | unit | bounds | kind | source | description |\n";
        out += "|---|---|---|---|---|---|---|\n";
        for (const auto& r : kTable)
            out += fmt::format("| `{}` | {} | {} | [{}, {}] | {} | {} | {} |\n", r.name,
                               fmt_num(r.default_value), r.unit, fmt_num(r.lo), fmt_num(r.hi),
                               kind_name(r.kind), r.source, r.description);
        return out;
    }
    std::size_t wn = 4, wd = 7, wu = 4, wb = 6, ws = 6;
    for (const auto& r : kTable) {
        wn = std::max(wn, r.name.size());
        wd = std::max(wd, fmt_num(r.default_value).size());
        wu = std::max(wu, r.unit.size());
        wb = std::max(wb, fmt::format("[{}, {}]", fmt_num(r.lo), fmt_num(r.hi)).size());
        ws = std::max(ws, r.source.size());
    }
    out += fmt::format("{:<{}}  {:>{}}  {:<{}}  {:<{}}  {:<{}}  {}\n", "name", wn, "default", wd,
                       "unit", wu, "bounds", wb, "source", ws, "description");
    for (const auto& r : kTable)
        out += fmt::format("{:<{}}  {:>{}}  {:<{}}  {:<{}}  {:<{}}  {}\n", r.name, wn,
                           fmt_num(r.default_value), wd, r.unit, wu,
                           fmt::format("[{}, {}]", fmt_num(r.lo), fmt_num(r.hi)), wb, r.source,
                           ws, r.description);
    return out;
}

}  // namespace resurgence
