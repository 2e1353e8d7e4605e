#pragma once
// Helpers for the scenario tests: load and collect the rendered problems.
#include <algorithm>
#include <string>
#include <vector>

#include "resurgence/core/error.hpp"
#include "resurgence/params/parameters.hpp"
#include "resurgence/scenario/events.hpp"
#include "resurgence/scenario/loader.hpp"
#include "../../sim/scenario/schema.hpp"  // white-box: the section table

namespace resurgence::testing {

inline std::string data_path(const std::string& rel) {
    return std::string(RESURGENCE_TEST_DATA) + "/" + rel;
}

// Rendered problems of loading a fixture, with the test-data folder cut from file names so
// that expectations read like the user's view: "bad/x.yaml:3:5: key: message".
inline std::vector<std::string> file_problems(const std::string& rel,
                                              std::vector<std::string> overrides = {}) {
    const std::string prefix = std::string(RESURGENCE_TEST_DATA) + "/";
    try {
        (void)load_scenario(data_path(rel), LoadOptions{std::move(overrides)});
    } catch (const InputError& e) {
        std::vector<std::string> out;
        for (const auto& p : e.problems()) {
            std::string s = p.str();
            for (std::size_t at; (at = s.find(prefix)) != std::string::npos;)
                s.erase(at, prefix.size());
            out.push_back(s);
        }
        return out;
    }
    return {};
}

// Rendered problems of loading `text` as "t.yaml"; empty when it loads.
inline std::vector<std::string> text_problems(const std::string& text,
                                              std::vector<std::string> overrides = {}) {
    try {
        (void)load_scenario_text(text, "t.yaml", LoadOptions{std::move(overrides)});
    } catch (const InputError& e) {
        std::vector<std::string> out;
        for (const auto& p : e.problems()) out.push_back(p.str());
        return out;
    }
    return {};
}

// "civilians, legitimacy, …" and "k, threshold, …" as the parameter table has them today, so
// that messages listing them stay right as mechanisms add parameters.
inline std::string parameter_groups() {
    std::vector<std::string> groups;
    for (const auto& p : parameter_table()) {
        const std::string g(p.name.substr(0, p.name.find('.')));
        if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
    }
    std::string out;
    for (const auto& g : groups) out += (out.empty() ? "" : ", ") + g;
    return out;
}
inline std::string parameter_names(const std::string& group) {
    std::string out;
    for (const auto& p : parameter_table())
        if (p.name.substr(0, p.name.find('.')) == group)
            out += (out.empty() ? "" : ", ") + std::string(p.name.substr(group.size() + 1));
    return out;
}

// The top-level keys accepted today ("name, description, …"), from the section table, so that
// expectations follow when a section whose mechanism lands is switched on.
inline std::string root_keys() {
    std::string out;
    for (const auto& s : schema::sections())
        if (s.not_built.empty())
            for (const auto k : s.keys) out += (out.empty() ? "" : ", ") + std::string(k);
    return out;
}

inline std::string event_kind_names() {
    std::string out;
    for (const auto& k : event_kinds()) out += (out.empty() ? "" : ", ") + std::string(k.name);
    return out;
}

// A valid scenario to append sections to.
inline const std::string kBase =
    "name: base\n"                                                  // 1
    "start_date: 2019-02-01\n"                                      // 2
    "horizon_days: 100\n"                                           // 3
    "regions:\n"                                                    // 4
    "  - {id: nineveh, country: iraq, population: 1000}\n"          // 5
    "  - {id: anbar, country: iraq, population: 2000}\n"            // 6
    "  - {id: deir_ez_zor, country: syria, population: 3000}\n";    // 7

}  // namespace resurgence::testing
