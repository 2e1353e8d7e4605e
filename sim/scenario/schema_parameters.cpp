// parameters: values for the parameter table (include/resurgence/params/tables/*.def), written
// as group -> name -> value. The table itself gives the names, kinds and bounds.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "resurgence/params/parameters.hpp"
#include "schema.hpp"

namespace resurgence::schema {
namespace {

std::string_view group_of(std::string_view name) { return name.substr(0, name.find('.')); }

std::vector<std::string> groups() {
    std::vector<std::string> out;
    for (const auto& p : parameter_table()) {
        const std::string g(group_of(p.name));
        if (std::find(out.begin(), out.end(), g) == out.end()) out.push_back(g);
    }
    return out;
}

std::vector<std::string> names_in(std::string_view group) {
    std::vector<std::string> out;
    for (const auto& p : parameter_table())
        if (group_of(p.name) == group) out.emplace_back(p.name.substr(group.size() + 1));
    return out;
}

void read_value(const ParamInfo& info, const doc::Node& value, const std::string& path,
                ScenarioSpec& spec, doc::Problems& problems) {
    double v = 0;
    if (info.kind == ParamKind::boolean) {
        const auto b = doc::parse_bool(value);
        if (!b) {
            problems.add(value.mark, path,
                         fmt::format("expected true or false, got {}", describe(value)));
            return;
        }
        v = *b ? 1.0 : 0.0;
    } else {
        const auto x = doc::parse_number(value);
        if (!x) {
            problems.add(value.mark, path,
                         fmt::format("expected a number (allowed: {} to {}{}), got {}",
                                     format_number(info.lo), format_number(info.hi),
                                     info.unit == "1" ? std::string() : " " + std::string(info.unit),
                                     describe(value)));
            return;
        }
        v = *x;
    }
    // Same bounds as check_param_value, but the message echoes the value as written and
    // leaves out the dimensionless unit "1".
    if (check_param_value(info, v)) {
        const bool whole = info.kind == ParamKind::integer;
        const std::string unit = info.unit == "1" ? std::string() : " " + std::string(info.unit);
        const std::string range =
            info.kind == ParamKind::boolean
                ? std::string("allowed: true or false")
                : fmt::format("allowed: {} to {}{}{}", format_number(info.lo),
                              format_number(info.hi), unit, whole ? ", whole numbers" : "");
        std::string why;
        if (whole && v != std::floor(v)) why = fmt::format("{} is not a whole number", value.scalar);
        else if (v < info.lo) why = fmt::format("{} is below {}", value.scalar, format_number(info.lo));
        else why = fmt::format("{} is above {}", value.scalar, format_number(info.hi));
        problems.add(value.mark, path, fmt::format("{} ({})", why, range));
        return;
    }
    spec.params.set(info.id, v);
}

}  // namespace

void read_parameters(doc::MapReader& root, ScenarioSpec& spec) {
    const doc::Node* node = root.map("parameters", false);
    if (node == nullptr) return;
    const auto all_groups = groups();
    for (const auto& [gkey, gval] : node->entries) {
        const std::string gpath = key_path("parameters", gkey.scalar);
        if (std::find(all_groups.begin(), all_groups.end(), gkey.scalar) == all_groups.end()) {
            root.problems().add(gkey.mark, gpath,
                                fmt::format("unknown parameter group '{}'{} (groups: {}; "
                                            "`resurgence params` lists every parameter)",
                                            gkey.scalar, did_you_mean(gkey.scalar, all_groups),
                                            join(all_groups)));
            continue;
        }
        if (!gval.is_map()) {
            root.problems().add(gval.mark, gpath,
                                fmt::format("expected a map of parameter: value, got {}",
                                            describe(gval)));
            continue;
        }
        const auto names = names_in(gkey.scalar);
        for (const auto& [nkey, nval] : gval.entries) {
            const std::string full = fmt::format("{}.{}", gkey.scalar, nkey.scalar);
            const ParamInfo* info = find_param(full);
            if (info == nullptr) {
                root.problems().add(nkey.mark, key_path("parameters", full),
                                    fmt::format("unknown parameter '{}'{} ({} parameters: {})", full,
                                                did_you_mean(nkey.scalar, names), gkey.scalar,
                                                join(names)));
                continue;
            }
            read_value(*info, nval, key_path("parameters", full), spec, root.problems());
        }
    }
}

}  // namespace resurgence::schema
