/**
 * @file mpirun.hpp
 * @brief Chapter 15's given code for starting ranks (not an exercise): a program that starts
 * itself under mpirun, and the one line a failed rank sends back.
 *
 * A chapter-15 program, or test program, runs in one of two roles:
 *
 * - started by a person, the runner or CTest, it is the **parent**: it runs
 *   `mpirun -n R --oversubscribe [--allow-run-as-root] <its own executable> <its arguments>`
 *   (run_ranks) and waits;
 * - started by mpirun, it is a **rank**: it initialises MPI (RankSession), does its part, and
 *   rank 0 writes what the parent needs — numbers by name (RankResults) — into a scratch folder
 *   the parent named in the environment variable BP_RANK_DIR.
 *
 * A rank that fails writes its failure there in one line and ends every rank at once
 * (MPI_Abort), so that no rank waits forever in a collective call for one that failed. The
 * parent reads the line and throws it again, as if the work had failed in its own process: an
 * exercise not done is the same bp::ExerciseNotDone (the programs say it in one line, exit code
 * 3; the tests report it as the other chapters' do), bad input the same bp::InputError (exit
 * code 2). mpirun's own output is kept in the scratch folder and shown only when mpirun itself
 * fails. Every rank gets OPENBLAS_NUM_THREADS=1: one thread per rank, so that R ranks use R
 * threads and not R times as many cores as the machine has; and, for the sanitize tree,
 * LeakSanitizer's leak check off (ASAN_OPTIONS …:detect_leaks=0): Open MPI keeps memory until
 * exit in plugins it has unloaded by then. AddressSanitizer's other checks stay on.
 */
#pragma once

#include <mpi.h>

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace bp {

/// Numbers by name: what rank 0 reports to the parent ("loss.3", "seconds_per_epoch").
using RankResults = std::map<std::string, double>;

/// The value of the result `name`. @throws std::runtime_error naming it when rank 0 wrote none
/// (a missing number is never read as 0).
double rank_result(const RankResults& results, const std::string& name);

/// The environment variable that names the folder where the ranks write their results.
inline constexpr const char* kRankDirVariable = "BP_RANK_DIR";

/// Whether this process was started by mpirun: Open MPI sets OMPI_COMM_WORLD_SIZE in every rank
/// (PMI_SIZE and PMIX_RANK are what other launchers set).
bool under_mpirun();

/// The mpirun found on the PATH (a full path), or "" when there is none.
std::string find_mpirun();

/// This program's own executable, the one the ranks run (/proc/self/exe).
std::string own_executable();

/**
 * @brief The command that starts `program args` on `ranks` ranks:
 * `mpirun -n R --oversubscribe [--allow-run-as-root] -x NAME ... program args`.
 *
 * `--oversubscribe`: more ranks than cores is allowed (Open MPI refuses it otherwise, "not
 * enough slots"); `--allow-run-as-root` only when this process runs as root (Open MPI refuses
 * root without it); `-x NAME` exports each variable of `exported` to every rank.
 */
std::vector<std::string> mpirun_command(const std::string& mpirun, int ranks,
                                        const std::string& program,
                                        const std::vector<std::string>& args,
                                        const std::vector<std::string>& exported);

/**
 * @brief Runs this program's own executable with `args` on `ranks` ranks under mpirun, and
 * returns what rank 0 reported.
 * @param ranks        R ≥ 1
 * @param args         the ranks' arguments (the parent's own, usually)
 * @param environment  variables set for every rank besides BP_RANK_DIR, OPENBLAS_NUM_THREADS=1
 *                     and ASAN_OPTIONS (name, value)
 * @param timeout_s    the ranks are stopped after this many seconds (a rank waiting in a
 *                     collective call no other rank makes would wait forever)
 * @throws InputError when mpirun is not on the PATH; the first failed rank's failure again
 *         (bp::ExerciseNotDone, bp::InputError, bp::ShapeError, or std::runtime_error naming
 *         the rank); std::runtime_error when mpirun failed without a rank's report, or when the
 *         ranks did not finish in time, with the last line mpirun printed.
 */
RankResults run_ranks(int ranks, const std::vector<std::string>& args,
                      const std::vector<std::pair<std::string, std::string>>& environment,
                      double timeout_s);

/**
 * @brief A rank's MPI session: MPI_Init when made, MPI_Finalize when destroyed.
 *
 * run() runs the rank's work: on success rank 0's results are written for the parent (or
 * returned when no parent named a folder: a person ran the program under mpirun); on any
 * exception the failure is written in one line and every rank is ended with MPI_Abort.
 */
class RankSession {
 public:
  /// MPI_Init(&argc, &argv).
  RankSession(int& argc, char**& argv);
  ~RankSession();
  RankSession(const RankSession&) = delete;
  RankSession& operator=(const RankSession&) = delete;

  /// This rank's number in MPI_COMM_WORLD, 0 … R − 1.
  int rank() const { return rank_; }
  /// R, the ranks in MPI_COMM_WORLD.
  int size() const { return size_; }

  /// Runs `work`, which fills rank 0's results. After a failure it does not return.
  /// @return rank 0's results (empty on the other ranks)
  RankResults run(const std::function<void(RankResults& results)>& work);

 private:
  int rank_ = 0;
  int size_ = 1;
};

/// The folder the parent named for the results (BP_RANK_DIR), or an empty path.
std::filesystem::path rank_dir();

}  // namespace bp
