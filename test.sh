#!/usr/bin/env bash
# Runs every test of the suite, as CI does, in less time than `./mvnw verify`:
#  1. builds and packages every module once, tests skipped;
#  2. runs the tests of the modules two at a time (-T 2), each starting the services packaged in step 1.
# `./mvnw verify` alone runs the same tests one module after another, each service's tests waiting for
# the tests of every service they start (the modules' `peers-built-first` profile): most tests wait on
# peers, timers and processes more than they compute, so two modules side by side keep both cores busier.
# -Dpeers.packaged drops that ordering; -Dquarkus.build.skip keeps the step-1 packages that other
# modules' tests are running while a module's own tests run. Extra arguments go to both Maven runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
./mvnw -B -T 2 package -DskipTests -Dpeers.packaged "$@"
./mvnw -B -T 2 verify -Dpeers.packaged -Dquarkus.build.skip=true "$@"
