// libFuzzer entry point: any bytes given to the scenario loader must either load or be
// rejected with InputError. Anything else (another exception, a crash, a sanitizer report,
// a hang) is a bug. Run with tools/run-fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "resurgence/core/error.hpp"
#include "resurgence/scenario/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // The first line may carry overrides ("#override key=value"), so that the fuzzer reaches
    // the override parser too.
    const std::string text(reinterpret_cast<const char*>(data), size);
    resurgence::LoadOptions options;
    constexpr std::string_view kTag = "#override ";
    if (text.compare(0, kTag.size(), kTag) == 0) {
        const std::size_t end = text.find('\n');
        options.overrides.push_back(text.substr(kTag.size(), end == std::string::npos
                                                                 ? std::string::npos
                                                                 : end - kTag.size()));
    }
    try {
        (void)resurgence::load_scenario_text(text, "fuzz.yaml", options);
    } catch (const resurgence::InputError&) {
        // expected: bad input, reported with positions
    }
    return 0;
}
