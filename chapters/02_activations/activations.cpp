// Chapter 02 exercises: tanh, softmax and the sigmoid. Read chapters/02_activations/README.md
// first; `./course next` runs the tests of the first exercise that is not done yet.
#include "02_activations/activations.hpp"

#include <cmath>

#include "common/exercise.hpp"

namespace bp {

arma::mat tanh_activation(const arma::mat& Z1) {
  // TODO(2.1): return tanh of every entry of Z1 (same shape as Z1).
  BP_EXERCISE("2.1");
}

arma::mat softmax(const arma::mat& Z) {
  // TODO(2.2): subtract each row's maximum from that row, exponentiate, then divide each row
  // by its sum, so that every row of the result sums to 1.
  BP_EXERCISE("2.2");
}

arma::mat sigmoid(const arma::mat& S) {
  // TODO(2.3): return 1/(1+e^−s) for every entry s ≥ 0 and e^s/(1+e^s) for every s < 0, so
  // that no exponent is positive.
  BP_EXERCISE("2.3");
}

}  // namespace bp
