// The outputs of `resurgence calibrate`: fitted.yaml, fit_report.csv, trace.csv and
// calibrate.json (docs/calibration.md, "Outputs"). Pure functions of the report: no timings and
// no thread count, so the bytes do not depend on -j.
#include <fmt/format.h>

#include <cmath>
#include <iterator>

#include "resurgence/calibrate/calibrate.hpp"
#include "resurgence/core/error.hpp"
#include "resurgence/core/version.hpp"
#include "resurgence/output/files.hpp"
#include "resurgence/sweep/spec.hpp"
#include "resurgence/sweep/sweep.hpp"

namespace resurgence::calibrate {
namespace fs = std::filesystem;

namespace {

// 9 significant digits, whole numbers as integers, NaN as nothing (the sweep outputs' rule).
std::string num(double v) {
    std::string s;
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    sweep::append_number(s, v);
    return s;
}

std::string json_num(double v) {
    if (std::isnan(v) || std::isinf(v)) return "null";
    return num(v);
}

// A CSV cell: quoted when it holds a comma, a quote or a line break.
std::string csv_cell(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + '"';
}

std::string band_text(const Target& t) {
    return fmt::format("[{}, {}]", std::isfinite(t.lo) ? num(t.lo) : "null", std::isfinite(t.hi) ? num(t.hi) : "null");
}

std::string stat_text(const Target& t) {
    std::string s = t.statistic;
    if (t.aggregate) {
        s += fmt::format(" ({}", name_of(*t.aggregate));
        if (t.from) {
            auto day = [](const DayRef& d) { return d.day ? fmt::format("day {}", *d.day) : d.date; };
            s += t.at ? fmt::format(" at {}", day(*t.from)) : fmt::format(" over {} to {}", day(*t.from), day(*t.to));
        }
        s += ")";
    }
    return s;
}

std::string yaml_comment(const std::string& s) {
    std::string out;
    for (char c : s) out += (c == '\n' || c == '\r') ? ' ' : c;
    return out;
}

}  // namespace

std::filesystem::path default_output_dir(const CalibrationReport& report) {
    return fs::path("results") / "calibration" / report.spec.name;
}

std::string fitted_yaml(const CalibrationReport& r) {
    const Evaluation& b = r.best_evaluation();
    std::string y;
    auto out = std::back_inserter(y);
    fmt::format_to(out, "# Fitted by `resurgence calibrate` {} (git {}).\n", version_string(), git_hash());
    fmt::format_to(out, "# Scenario {} ({}, hash {}); targets {}.\n", r.scenario_file, r.scenario_name,
                   r.scenario_hash, r.spec.file);
    fmt::format_to(out,
                   "# Best of {} evaluations (evaluation {}): objective {}; {} replications each with "
                   "seed {} (common random numbers).\n",
                   r.trace.size(), b.index, num(b.objective), r.replications, r.seed);
    fmt::format_to(out, "# Every target inside its band: {}. Search: {}.\n", b.inside_all ? "yes" : "no",
                   r.optimizer.stop);
    y += "#\n# Run the fitted scenario with:\n";
    fmt::format_to(out, "#   resurgence run {} $(sed -n 's/^  - //p' fitted.yaml)\n", r.scenario_file);
    y += "#\n# Targets (band from its source; mean over replications [95% interval]):\n";
    for (std::size_t t = 0; t < r.spec.targets.size(); ++t) {
        const Target& tg = r.spec.targets[t];
        fmt::format_to(out, "#   {}: {} in {} (source: {})", tg.name, stat_text(tg), band_text(tg), yaml_comment(tg.source));
        if (t < b.targets.size()) {
            const auto& s = b.targets[t];
            fmt::format_to(out, "\n#     fitted: {} [{}, {}], {}", num(s.mean), num(s.ci_lo), num(s.ci_hi),
                           s.inside ? "inside" : "OUTSIDE");
        }
        y += '\n';
    }
    fmt::format_to(out, "scenario: {}\nseed: {}\nreplications: {}\n", r.scenario_file, r.seed, r.replications);
    if (!r.spec.overrides.empty()) {
        y += "# fixed during the fit (from the targets file):\nfixed:\n";
        for (const auto& o : r.spec.overrides) fmt::format_to(out, "  - {}\n", o);
    }
    y += "overrides:\n";
    for (std::size_t i = 0; i < r.spec.parameters.size(); ++i) {
        const auto& p = r.spec.parameters[i];
        fmt::format_to(out, "  # {}: searched {} to {}{}, from {}\n", p.name, num(p.min), num(p.max),
                       p.log ? " (log scale)" : "", p.start ? num(*p.start) : "the middle of the range");
        fmt::format_to(out, "  - {}={}\n", p.name, b.values.at(i));
    }
    return y;
}

std::string fit_report_csv(const CalibrationReport& r) {
    const Evaluation& b = r.best_evaluation();
    std::string s = "target,statistic,band_lo,band_hi,mean,ci95_lo,ci95_hi,inside,n,weight,source\n";
    for (std::size_t t = 0; t < r.spec.targets.size(); ++t) {
        const Target& tg = r.spec.targets[t];
        s += csv_cell(tg.name) + ',' + csv_cell(stat_text(tg)) + ',';
        s += (std::isfinite(tg.lo) ? num(tg.lo) : "") + ',' + (std::isfinite(tg.hi) ? num(tg.hi) : "") + ',';
        if (t < b.targets.size()) {
            const auto& st = b.targets[t];
            s += fmt::format("{},{},{},{},{},", num(st.mean), num(st.ci_lo), num(st.ci_hi), st.inside ? "true" : "false",
                             st.n);
        } else {
            s += ",,,false,0,";
        }
        s += num(tg.weight) + ',' + csv_cell(tg.source) + '\n';
    }
    return s;
}

std::string trace_csv(const CalibrationReport& r) {
    std::string s = "evaluation,phase";
    for (const auto& p : r.spec.parameters) s += ',' + csv_cell(p.name);
    s += ",objective,inside_all";
    for (const auto& t : r.spec.targets) s += ',' + t.name + "_mean";
    s += ",reused,note\n";
    for (const auto& e : r.trace) {
        s += fmt::format("{},{}", e.index, name_of(e.phase));
        for (const auto& v : e.values) s += ',' + v;
        s += fmt::format(",{},{}", num(e.objective), e.inside_all ? "true" : "false");
        for (std::size_t t = 0; t < r.spec.targets.size(); ++t)
            s += ',' + (t < e.targets.size() ? num(e.targets[t].mean) : std::string());
        s += ',' + (e.reused >= 0 ? std::to_string(e.reused) : std::string()) + ',' + csv_cell(e.note) + '\n';
    }
    return s;
}

std::string calibrate_json(const CalibrationReport& r) {
    const Evaluation& b = r.best_evaluation();
    std::string j = "{\n";
    auto out = std::back_inserter(j);
    fmt::format_to(out, "  \"version\": \"{}\",\n  \"git_hash\": \"{}\",\n", version_string(), git_hash());
    fmt::format_to(out, "  \"targets_file\": \"{}\",\n  \"name\": \"{}\",\n  \"description\": \"{}\",\n",
                   json_escape(r.spec.file), json_escape(r.spec.name), json_escape(r.spec.description));
    fmt::format_to(out, "  \"scenario\": {{\"file\": \"{}\", \"name\": \"{}\", \"file_hash\": \"{}\"}},\n",
                   json_escape(r.scenario_file), json_escape(r.scenario_name), r.scenario_hash);
    j += "  \"overrides\": [";
    for (std::size_t i = 0; i < r.spec.overrides.size(); ++i)
        fmt::format_to(out, "{}\"{}\"", i ? ", " : "", json_escape(r.spec.overrides[i]));
    j += "],\n";
    fmt::format_to(out, "  \"seed\": {},\n  \"replications\": {},\n", r.seed, r.replications);
    j += "  \"common_random_numbers\": \"every candidate runs replications 0..R-1 with the same seed\",\n";
    fmt::format_to(out,
                   "  \"method\": {{\"optimizer\": \"latin hypercube screen + Nelder-Mead on the unit cube, "
                   "with restarts\", \"budget\": {}, \"screen\": {}, \"restarts\": {}, \"tie_break\": {}, "
                   "\"value_digits\": 6}},\n",
                   r.budget, r.screen, r.spec.restarts, json_num(r.spec.tie_break));
    j += "  \"objective\": \"sum_t w_t [(distance outside band / s_t)^2 + tie_break ((mean - centre) / s_t)^2]; "
         "s_t = band width (one-sided: max(|end|, 1), no centre term)\",\n";
    j += "  \"parameters\": [";
    for (std::size_t i = 0; i < r.spec.parameters.size(); ++i) {
        const auto& p = r.spec.parameters[i];
        fmt::format_to(out,
                       "{}\n    {{\"name\": \"{}\", \"min\": {}, \"max\": {}, \"scale\": \"{}\", \"integer\": {}, "
                       "\"start\": {}, \"fitted\": \"{}\"}}",
                       i ? "," : "", json_escape(p.name), json_num(p.min), json_num(p.max), p.log ? "log" : "linear",
                       p.integer ? "true" : "false", p.start ? json_num(*p.start) : "null",
                       json_escape(b.values.at(i)));
    }
    j += "\n  ],\n  \"targets\": [";
    for (std::size_t t = 0; t < r.spec.targets.size(); ++t) {
        const Target& tg = r.spec.targets[t];
        fmt::format_to(out,
                       "{}\n    {{\"name\": \"{}\", \"statistic\": \"{}\", \"band\": [{}, {}], \"weight\": {}, "
                       "\"source\": \"{}\"",
                       t ? "," : "", json_escape(tg.name), json_escape(stat_text(tg)), json_num(tg.lo),
                       json_num(tg.hi), json_num(tg.weight), json_escape(tg.source));
        if (t < b.targets.size()) {
            const auto& st = b.targets[t];
            fmt::format_to(out, ", \"n\": {}, \"mean\": {}, \"ci95\": [{}, {}], \"inside\": {}", st.n, json_num(st.mean),
                           json_num(st.ci_lo), json_num(st.ci_hi), st.inside ? "true" : "false");
        }
        j += "}";
    }
    j += "\n  ],\n";
    fmt::format_to(out,
                   "  \"evaluations\": {},\n  \"runs\": {},\n  \"best_evaluation\": {},\n  \"best_objective\": {},\n"
                   "  \"inside_all\": {},\n  \"iterations\": {},\n  \"restarts_used\": {},\n  \"stop\": \"{}\"\n}}\n",
                   r.trace.size(), r.runs, b.index, json_num(b.objective), b.inside_all ? "true" : "false",
                   r.optimizer.iterations, r.optimizer.restarts, json_escape(r.optimizer.stop));
    return j;
}

void write_outputs(const CalibrationReport& report, const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw RuntimeFailure(fmt::format("cannot create output folder {}: {}", dir.string(), ec.message()));
    // calibrate.json marks a complete folder: removed first, written last.
    fs::remove(dir / "calibrate.json", ec);
    write_file_atomic(dir / "trace.csv", trace_csv(report));
    write_file_atomic(dir / "fit_report.csv", fit_report_csv(report));
    write_file_atomic(dir / "fitted.yaml", fitted_yaml(report));
    write_file_atomic(dir / "calibrate.json", calibrate_json(report));
}

std::string format_fit(const CalibrationReport& r) {
    const Evaluation& b = r.best_evaluation();
    std::string s;
    auto out = std::back_inserter(s);
    fmt::format_to(out, "{} on {}: best of {} evaluations ({} run, {} replications each, seed {})\n", r.spec.name,
                   r.scenario_name, r.trace.size(), r.runs, r.replications, r.seed);
    fmt::format_to(out, "objective {} (evaluation {}); {}; every target inside: {}\n\n", num(b.objective), b.index,
                   r.optimizer.stop, b.inside_all ? "yes" : "no");
    for (std::size_t i = 0; i < r.spec.parameters.size(); ++i)
        fmt::format_to(out, "  {} = {}\n", r.spec.parameters[i].name, b.values.at(i));
    fmt::format_to(out, "\n{:<28} {:>22} {:>12} {:>26}  {}\n", "target", "band", "mean", "95% interval", "");
    for (std::size_t t = 0; t < r.spec.targets.size(); ++t) {
        const Target& tg = r.spec.targets[t];
        if (t >= b.targets.size()) continue;
        const auto& st = b.targets[t];
        fmt::format_to(out, "{:<28} {:>22} {:>12} {:>26}  {}\n", tg.name, band_text(tg), num(st.mean),
                       fmt::format("[{}, {}]", num(st.ci_lo), num(st.ci_hi)), st.inside ? "inside" : "OUTSIDE");
    }
    return s;
}

}  // namespace resurgence::calibrate
