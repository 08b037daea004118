// The body of the main() of every test program of the course (tests/support/test_main.cpp).
#pragma once

namespace bp::test {

/// Runs GoogleTest as usual. When the environment variable BP_REPORT names a file, it also writes
/// one line per test there, which the course runner and the shipped-state check read instead of
/// GoogleTest's console output:
///
///   Suite.Name <TAB> PASS|FAIL <TAB> file:line of the first failure <TAB> its message, one line
///
/// A test program with a main() of its own (chapter 15's, which starts itself under mpirun)
/// calls it too.
int run_tests(int argc, char** argv);

}  // namespace bp::test
