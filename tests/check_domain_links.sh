#!/usr/bin/env bash
# The domain (bot_core, bot_templates, bot_handlers) is pure: text and structs in, structs out. This
# is held on what the compiled archives need from outside, not on how the sources are spelled: any
# undefined reference to a clock, a file, the environment, randomness, the network (Asio, Beast), the
# log or the loaders fails the build (bot/CMakeLists.txt runs it after building them) and ctest.
#
# Allowed and named here: the time zone database of date/tz (date::locate_zone), read-only system
# data the library loads once; the domain converts instants to local dates through it.
#
# Usage: check_domain_links.sh ARCHIVE...
set -euo pipefail
denied='std::chrono::_V2::(system|steady|high_resolution)_clock::now|(^| )(clock_gettime|gettimeofday|time|localtime|localtime_r|gmtime|gmtime_r|getenv|secure_getenv|fopen|fopen64|open|open64|openat|read|write|rand|random|srand|getrandom)(@|$)|std::basic_(i|o)?fstream|std::basic_filebuf|std::filesystem::|std::random_device|boost::asio::|boost::beast::|bot::log::|bot::loaders::|bot::Metrics'
status=0
for archive in "$@"; do
  hits=$(nm -C --undefined-only "$archive" 2>/dev/null | sed -n 's/^ *U //p' | grep -E "$denied" | sort -u || true)
  if [ -n "$hits" ]; then
    echo "$(basename "$archive") needs what the domain may not use:"
    echo "$hits" | sed 's/^/  /'
    status=1
  fi
done
if [ "$status" -eq 0 ]; then
  echo "the domain is pure: $# archives, no clock, file, environment, network or log"
fi
exit "$status"
