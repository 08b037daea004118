/**
 * @file sweeps.hpp
 * @brief Chapter 10's hidden-size sweep (given code, not exercises): the networks of figure 3,
 * each trained by a function the caller chooses.
 *
 * Chapter 10's program trains them with the chapter's own bp::train (the learner's
 * train_epoch); chapter 13's program trains the same networks with its fused workspace, times
 * both, and draws the same figure. The training loop, bp::train_loop, is the seam: only the
 * epoch differs.
 */
#pragma once

#include <armadillo>
#include <cstdint>
#include <functional>
#include <vector>

#include "03_forward/forward.hpp"
#include "10_training/figures.hpp"
#include "10_training/training.hpp"
#include "common/datasets.hpp"

namespace bp {

/// The hidden sizes of figure 3.
inline const std::vector<arma::uword> kSweepHiddenSizes = {1, 2, 3, 5, 20, 50, 500};

/// The accuracy of `params` on `data`, NaN when the data set is empty (no held-out set).
/// @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K
/// @param data    the points (N×D) and their labels
double accuracy_on(const Params& params, const Dataset& data);

/// Trains `params` (W1 D×H, b1 1×H, W2 H×K, b2 1×K, freshly initialised) in place and returns
/// what the training saw: bp::train, or an equal computation.
using SizeTrainer = std::function<History(Params& params)>;

/**
 * @brief The networks of figure 3: for each hidden size h, init_params(h, seed, D, K) trained
 * by `trainer` on the training set, with its accuracy on `held_out`.
 * @param sizes     the hidden sizes, in the order of the figure's panels
 * @param train     the training set (D inputs, K classes)
 * @param held_out  points of the same distribution, or an empty data set (test_accuracy NaN)
 * @param seed      the seed of every network
 * @param trainer   trains one network
 * @param known     a run already made (the program's main run), reused for its size instead of
 *                  training it again; nullptr for none
 * @return one SizeRun per size, in the order of `sizes`; a run that diverged has NaN accuracy
 */
std::vector<SizeRun> train_hidden_sizes(const std::vector<arma::uword>& sizes, const Dataset& train,
                                        const Dataset& held_out, std::uint64_t seed,
                                        const SizeTrainer& trainer, const SizeRun* known = nullptr);

}  // namespace bp
