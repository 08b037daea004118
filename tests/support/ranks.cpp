// Trusted test support for chapter 15: tests whose work runs on several MPI ranks (ranks.hpp).
#include "support/ranks.hpp"

#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <utility>

#include "support/test_report.hpp"

namespace bp::test {
namespace {

/// The environment variable that names the task a rank runs.
constexpr const char* kTaskVariable = "BP_RANK_TASK";

/// What a task gave, or threw.
struct TaskOutcome {
  RankResults results;
  std::exception_ptr failure;
};

}  // namespace

int main_with_rank_tasks(int argc, char** argv, const std::map<std::string, RankTask>& tasks) {
  const char* task = std::getenv(kTaskVariable);
  if (task == nullptr || !under_mpirun()) return run_tests(argc, argv);
  RankSession session(argc, argv);
  session.run([&](RankResults& results) {
    const auto found = tasks.find(task);
    if (found == tasks.end()) throw std::runtime_error(std::string("no rank task named ") + task);
    found->second(MPI_COMM_WORLD, results);
  });
  return 0;
}

const RankResults& task_results(const std::string& name, int ranks) {
  static std::map<std::pair<std::string, int>, TaskOutcome> outcomes;
  const std::pair<std::string, int> key(name, ranks);
  auto found = outcomes.find(key);
  if (found == outcomes.end()) {
    TaskOutcome outcome;
    try {
      outcome.results = run_ranks(ranks, {}, {{kTaskVariable, name}}, kTaskTimeoutSeconds);
    } catch (...) {
      outcome.failure = std::current_exception();
    }
    found = outcomes.emplace(key, std::move(outcome)).first;
  }
  if (found->second.failure) std::rethrow_exception(found->second.failure);
  return found->second.results;
}

MPI_Comm first_ranks(MPI_Comm world, int r) {
  int rank = 0;
  MPI_Comm_rank(world, &rank);
  MPI_Comm comm = MPI_COMM_NULL;
  MPI_Comm_split(world, rank < r ? 0 : MPI_UNDEFINED, rank, &comm);
  return comm;
}

}  // namespace bp::test
