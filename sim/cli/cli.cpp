#include "resurgence/cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "resurgence/core/error.hpp"
#include "resurgence/core/version.hpp"
#include "resurgence/params/parameters.hpp"
#include "resurgence/run/runner.hpp"
#include "resurgence/scenario/loader.hpp"
#include "command_registry.hpp"

namespace resurgence::cli {
namespace fs = std::filesystem;

namespace {

void setup_logging(int verbosity, bool quiet) {
    auto logger = spdlog::stderr_color_mt("resurgence");
    logger->set_pattern("%^%l%$: %v");
    spdlog::set_default_logger(logger);
    spdlog::set_level(quiet ? spdlog::level::warn
                            : verbosity >= 2 ? spdlog::level::trace
                            : verbosity == 1 ? spdlog::level::debug
                                             : spdlog::level::info);
}

}  // namespace

// Progress on a terminal: one \r-rewritten line on stderr, throttled; a log line otherwise.
ProgressLine::ProgressLine(std::string what, bool quiet)
    : what_(std::move(what)), quiet_(quiet), tty_(::isatty(::fileno(stderr)) != 0),
      start_(std::chrono::steady_clock::now()), last_(start_) {}

void ProgressLine::update(long done, long total) {
    if (quiet_) return;
    const auto now = std::chrono::steady_clock::now();
    const double secs = std::chrono::duration<double>(now - start_).count();
    const double since = std::chrono::duration<double>(now - last_).count();
    const bool final = done >= total;
    const double rate = secs > 0 ? static_cast<double>(done) / secs : 0.0;
    const double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0.0;
    if (tty_) {
        if (!final && since < 0.2) return;
        std::fprintf(stderr, "\r%s %ld/%ld  %.1f/s  ETA %.0fs   %s", what_.c_str(), done, total,
                     rate, eta, final ? "\n" : "");
        std::fflush(stderr);
    } else {
        if (!final && since < 10.0) return;
        spdlog::info("{} {}/{} ({:.1f}/s, ETA {:.0f}s)", what_, done, total, rate, eta);
    }
    last_ = now;
}

int report_error(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const InputError& e) {
        for (const auto& p : e.problems()) std::fprintf(stderr, "%s\n", p.str().c_str());
        if (e.problems().size() > 1)
            std::fprintf(stderr, "%zu problems found\n", e.problems().size());
        return kExitBadInput;
    } catch (const RuntimeFailure& e) {
        spdlog::error("{}", e.what());
        return kExitFailure;
    } catch (const std::exception& e) {
        spdlog::error("internal error: {}", e.what());
        return kExitFailure;
    }
}

int dispatch(int argc, char** argv) {
    CLI::App app{"Resurgence: agent-based simulation of insurgency resurgence"};
    app.require_subcommand(0, 1);
    int verbosity = 0;
    bool quiet = false;
    bool version = false;
    app.add_flag("-v,--verbose", verbosity, "More log output (repeat for more)");
    app.add_flag("-q,--quiet", quiet, "Only warnings and errors; no progress line");
    app.add_flag("--version", version, "Print the version and git hash");
    // -v and -q may also follow the subcommand (`resurgence run FILE -q`): a subcommand passes
    // the options it does not know on to this parent.
    app.fallthrough();

    Globals globals{&verbosity, &quiet};
    std::vector<std::pair<CLI::App*, std::function<int()>>> handlers;
    for (auto& cmd : builtin_commands()) {
        CLI::App* sub = app.add_subcommand(cmd.name, cmd.help);
        handlers.emplace_back(sub, cmd.setup(*sub, globals));
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitBadInput;
    }
    setup_logging(verbosity, quiet);
    if (version) {
        std::printf("resurgence %s (git %s)\n", version_string(), git_hash());
        return kExitOk;
    }
    for (auto& [sub, handler] : handlers)
        if (sub->parsed()) return handler();
    std::printf("%s", app.help().c_str());
    return kExitBadInput;
}

}  // namespace resurgence::cli
