// Trusted test support for chapter 15: tests whose work runs on several MPI ranks.
//
// A test program of chapter 15 has its own main(), main_with_rank_tasks. Run as usual (by the
// runner, CTest or a person) it is a GoogleTest program like every other; a test that needs
// ranks asks for a *task* by name (task_results), and the program starts itself under
// `mpirun -n 4` with the task's name in the environment. Started that way, main() runs the task
// on every rank instead of the tests, and rank 0's numbers come back to the test, which checks
// them (chapters/15_data_parallel/mpirun.hpp carries them, and a rank's failure: an exercise
// not done comes back as the same bp::ExerciseNotDone).
//
// One world of 4 ranks holds the worlds of 1, 2, 3 and 4: a task runs each case on the
// communicator of the first R ranks (first_ranks), so one mpirun checks every rank count.
// Each task runs once per test program (the tests that read it share it).
#pragma once

#include <mpi.h>

#include <functional>
#include <map>
#include <string>

#include "15_data_parallel/mpirun.hpp"

namespace bp::test {

/// The ranks a task runs on unless a test asks for others: 4, the rank counts 1 to 4 in one.
inline constexpr int kTaskRanks = 4;

/// How long a task may take before its ranks are stopped (a rank waiting in a collective call
/// that another rank never makes would wait forever).
inline constexpr double kTaskTimeoutSeconds = 120.0;

/// Work run on every rank of a world started by mpirun. It writes what the test checks into
/// `results`; rank 0's reach the test.
using RankTask = std::function<void(MPI_Comm world, RankResults& results)>;

/// The main() of a test program with rank tasks: started by mpirun (BP_RANK_TASK set), it runs
/// that task of `tasks` on every rank and ends; otherwise it runs the tests (run_tests).
int main_with_rank_tasks(int argc, char** argv, const std::map<std::string, RankTask>& tasks);

/// In a test: rank 0's results of task `name` on `ranks` ranks of this program under mpirun.
/// Run once per program and (name, ranks); what the task threw is thrown again, every time.
/// Tests keep a copy (`const RankResults r = task_results("epoch");`): a reference bound to
/// the result is sound, but g++ 14's -Wdangling-reference cannot tell, for a name passed as a
/// temporary std::string.
const RankResults& task_results(const std::string& name, int ranks = kTaskRanks);

/// In a task: the first `r` ranks of `world` as a communicator of their own, MPI_COMM_NULL on
/// the others. Every rank of `world` must call it; free the result with MPI_Comm_free.
MPI_Comm first_ranks(MPI_Comm world, int r);

}  // namespace bp::test
