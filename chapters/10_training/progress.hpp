/**
 * @file progress.hpp
 * @brief Chapter 10, given: training with a progress line on a terminal (the epoch, the loss and
 * the accuracy, rewritten in place), silent when the output is a file or a pipe.
 */
#pragma once

#include <string>

#include "03_forward/forward.hpp"
#include "10_training/training.hpp"
#include "common/datasets.hpp"

namespace bp {

/**
 * @brief bp::train on a data set (this chapter's train_epoch), showing its progress on a
 * terminal: "LABELepoch e of E: loss …, accuracy …", at most ten times a second, removed when
 * training ends. Nothing is shown when standard output is not a terminal (tests, logs, the
 * figures target), so the program's output does not depend on where it goes.
 * @param params    W1 D×H, b1 1×H, W2 H×K, b2 1×K: trained in place
 * @param data      the training set (N×D points, N labels)
 * @param settings  epochs, rate, lambda
 * @param label     what the line starts with ("H = 5: "), or ""
 * @return what bp::train returns
 */
History train_with_progress(Params& params, const Dataset& data, const TrainSettings& settings,
                            const std::string& label);

}  // namespace bp
