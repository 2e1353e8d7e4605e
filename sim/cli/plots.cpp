// Calls tools/plot.py on a finished run folder. Python with matplotlib and pandas is optional:
// without it the run still succeeds and says, in one line, how to get plots.
#include <spdlog/spdlog.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>

#include "command_registry.hpp"

namespace resurgence::cli {
namespace fs = std::filesystem;

namespace {

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}

fs::path find_plot_tool() {
    if (const char* env = std::getenv("RESURGENCE_PLOT_TOOL")) return env;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    for (fs::path dir = exe.parent_path(); !ec && !dir.empty() && dir != dir.root_path();
         dir = dir.parent_path()) {
        if (fs::exists(dir / "tools" / "plot.py")) return dir / "tools" / "plot.py";
    }
    return fs::path(RESURGENCE_SOURCE_DIR) / "tools" / "plot.py";
}

}  // namespace

bool render_plots(const std::string& dir, bool quiet) {
    const char* py_env = std::getenv("RESURGENCE_PYTHON");
    const std::string python = py_env != nullptr ? py_env : "/usr/bin/python3";
    const fs::path tool = find_plot_tool();
    if (!fs::exists(tool)) {
        spdlog::warn("plots skipped: {} not found", tool.string());
        return false;
    }
    const std::string probe = shell_quote(python) + " -c 'import matplotlib, pandas' >/dev/null 2>&1";
    if (std::system(probe.c_str()) != 0) {
        spdlog::warn("plots skipped: {} lacks matplotlib/pandas (run tools/install-deps.sh)", python);
        return false;
    }
    const std::string cmd = shell_quote(python) + " " + shell_quote(tool.string()) + " all " +
                            shell_quote(dir) + (quiet ? " >/dev/null 2>&1" : "");
    spdlog::debug("plotting: {}", cmd);
    const int rc = std::system(cmd.c_str());
    if (rc != 0) {
        spdlog::warn("plotting failed (exit {}); the CSV outputs are complete", WEXITSTATUS(rc));
        return false;
    }
    return true;
}

}  // namespace resurgence::cli
