#!/usr/bin/env bash
# Handlers and templates are pure: no Asio or Beast, no clock reads (time comes in the context).
# Prints each offending line and fails when there is one.
set -u
cd "$(dirname "$0")/.."
pattern='boost/asio|boost/beast|system_clock::now|steady_clock::now|high_resolution_clock|std::time\(|gettimeofday|clock_gettime|std::rand\(|random_device|std::getenv|fopen|ofstream'
hits=$(grep -nE "$pattern" handlers/*.hpp handlers/*.cpp templates/*.hpp templates/*.cpp \
       | grep -v 'templates/loader.cpp:.*ifstream' || true)
if [ -n "$hits" ]; then
  echo "impure code in handlers/ or templates/:"
  echo "$hits"
  exit 1
fi
echo "handlers/ and templates/ are pure: 0 offending lines"
