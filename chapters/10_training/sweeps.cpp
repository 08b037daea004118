// Chapter 10, given: the hidden-size sweep of figure 3.
#include "10_training/sweeps.hpp"

#include <cmath>
#include <limits>

namespace bp {

double accuracy_on(const Params& params, const Dataset& data) {
  if (data.X.n_rows == 0) return std::numeric_limits<double>::quiet_NaN();
  return accuracy(classify(params, data.X), data.labels);
}

std::vector<SizeRun> train_hidden_sizes(const std::vector<arma::uword>& sizes, const Dataset& train,
                                        const Dataset& held_out, std::uint64_t seed,
                                        const SizeTrainer& trainer, const SizeRun* known) {
  std::vector<SizeRun> runs;
  for (const arma::uword h : sizes) {
    if (known != nullptr && known->hidden == h) {
      runs.push_back(*known);
      continue;
    }
    SizeRun run;
    run.hidden = h;
    run.params = init_params(h, seed, train.X.n_cols, train.classes);
    run.history = trainer(run.params);
    run.test_accuracy = run.history.diverged ? std::numeric_limits<double>::quiet_NaN()
                                             : accuracy_on(run.params, held_out);
    runs.push_back(std::move(run));
  }
  return runs;
}

}  // namespace bp
