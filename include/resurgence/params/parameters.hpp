#pragma once
// The one parameter table (style.md §11). Every scalar knob of the model has a name, a default,
// a unit, bounds and a source: a figure id from figures.md, a paper, or `assumption`. The same
// table drives scenario validation, `resurgence params`, the parameter docs and run.json.
//
// Rows live in include/resurgence/params/tables/<module>.def, one file per mechanism, as
//   RESURGENCE_PARAM(id, "group.name", kind, default, lo, hi, "unit", "source", "description")
// `kind` is real, integer or boolean. Bounds are inclusive. Code reads a value as
//   params[P::civ_k]
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace resurgence {

enum class ParamKind : std::uint8_t { real, integer, boolean };

enum class P : std::uint16_t {
#define RESURGENCE_PARAM(id, name, kind, def, lo, hi, unit, source, desc) id,
#include "resurgence/params/tables/all.def"
#undef RESURGENCE_PARAM
    count_
};

inline constexpr std::size_t kParamCount = static_cast<std::size_t>(P::count_);

struct ParamInfo {
    P id;
    std::string_view name;  // "group.name"; in a scenario: parameters: {group: {name: value}}
    ParamKind kind;
    double default_value;
    double lo;
    double hi;
    std::string_view unit;
    std::string_view source;
    std::string_view description;
};

// All rows, in table order.
std::span<const ParamInfo> parameter_table() noexcept;
const ParamInfo& param_info(P id) noexcept;
const ParamInfo* find_param(std::string_view name) noexcept;

// Checks a candidate value against a row: nullopt when fine, else a message naming the
// allowed range, e.g. "-5 is below 0 (allowed: 0 to 1 probability/day)".
std::optional<std::string> check_param_value(const ParamInfo& info, double value);

// A complete, validated set of parameter values; starts at the defaults.
class ParamSet {
public:
    ParamSet() noexcept;
    double operator[](P id) const noexcept { return values_[static_cast<std::size_t>(id)]; }
    void set(P id, double v) noexcept { values_[static_cast<std::size_t>(id)] = v; }
    [[nodiscard]] bool is_default(P id) const noexcept;
    [[nodiscard]] int integer(P id) const noexcept { return static_cast<int>((*this)[id]); }
    [[nodiscard]] bool flag(P id) const noexcept { return (*this)[id] != 0.0; }

private:
    std::array<double, kParamCount> values_{};
};

// Formats the table for `resurgence params`: aligned text, or markdown (for docs).
std::string format_parameter_table(bool markdown);

}  // namespace resurgence
