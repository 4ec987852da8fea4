#!/bin/sh
# Sets up (contrib/setup.sh), builds, and runs every test: the Swift suite (unit tests and
# integration tests that start the LMS stand-in, a private D-Bus session with gnome-keyring,
# real git and the real age CLI) and the stand-in's own tests. The full Swift log is kept in
# .build/test.log; failures are printed.
set -eu
cd "$(dirname "$0")/.."
sh contrib/setup.sh
swift build --build-tests
status=0
swift test --skip-build >.build/test.log 2>&1 || status=$?
grep -E '✘|error:|Test run with|recorded an issue' .build/test.log | head -n 200 || true
python3 -m unittest discover -s contrib/lms-stand-in -p 'test_*.py' || status=1
exit "$status"
