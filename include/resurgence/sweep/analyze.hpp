#pragma once
// Sensitivity analysis of a finished sweep (`resurgence analyze SWEEP_DIR`), on the per-point
// means of each outcome (sweep_summary.csv) and the design (design.csv):
//   sobol design   first-order (Saltelli 2010) and total (Jansen 1999) Sobol indices with
//                  bootstrap intervals            -> sobol_indices.csv
//   morris design  μ, μ*, σ of elementary effects, bootstrap interval on μ* -> morris_indices.csv
//   other designs  partial rank correlation (PRCC) with bootstrap intervals and p-values, and
//   (lhs, grid,    standardised regression coefficients -> prcc.csv
//    list)
// Parameters are ranked per outcome by ST, μ* or |PRCC|. Points whose mean is empty (no
// replication had a value) are left out: a Sobol base sample with any empty evaluation, a Morris
// step touching one, a PRCC row.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace resurgence::sweep {

enum class Method { automatic, sobol, morris, prcc };

struct AnalyzeOptions {
    Method method = Method::automatic;
    std::vector<std::string> outcomes;  // empty: every outcome with values
    int bootstrap = 1000;
    double level = 0.95;
    std::uint64_t seed = 1;
    std::filesystem::path out_file;  // empty: SWEEP_DIR/<method file>
};

struct AnalyzeReport {
    std::string method;
    std::filesystem::path file;
    std::string text;  // ranked tables for people
};

AnalyzeReport analyze_sweep(const std::filesystem::path& dir, const AnalyzeOptions& options);

}  // namespace resurgence::sweep
