#pragma once

namespace resurgence {
const char* version_string();  // project version, e.g. "0.1.0"
const char* git_hash();        // short hash of the commit built, "-dirty" if modified
}  // namespace resurgence
