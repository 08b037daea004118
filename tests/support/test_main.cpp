// The main() of every test program of the course: GoogleTest, and with BP_REPORT=FILE one line
// per test in FILE for the course runner and the shipped-state check (test_report.hpp).
//
// It sits alone in its file so that a test program with a main() of its own (chapter 15's)
// links bp_test_support without this one.
#include "support/test_report.hpp"

int main(int argc, char** argv) { return bp::test::run_tests(argc, argv); }
