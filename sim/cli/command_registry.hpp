#pragma once
// Sub-commands of the resurgence executable: one small file each (cmd_<name>.cpp), listed in
// commands.cpp. Internal to sim/cli.
#include <CLI/CLI.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace resurgence::cli {

struct Globals {
    const int* verbosity;
    const bool* quiet;
};

// Declares the sub-command's options on `app` and returns what runs it after parsing.
using Setup = std::function<std::function<int()>(CLI::App& app, const Globals& globals)>;

struct Command {
    const char* name;
    const char* help;
    Setup setup;
};

std::vector<Command> builtin_commands();

Command validate_command();
Command run_command();
Command params_command();

// key=value overrides after the scenario file, checked for shape here; meaning by the loader.
void add_overrides_option(CLI::App& app, std::vector<std::string>& overrides);

// Renders the plots and report of a finished run folder with tools/plot.py when Python with
// matplotlib and pandas is present; prints a one-line notice and returns false otherwise.
bool render_plots(const std::string& dir, bool quiet);

class ProgressLine {
public:
    ProgressLine(std::string what, bool quiet);
    void update(long done, long total);

private:
    std::string what_;
    bool quiet_;
    bool tty_;
    std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace resurgence::cli
