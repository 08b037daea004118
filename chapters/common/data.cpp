#include "common/data.hpp"

#include <stdexcept>
#include <string>

namespace bp {

arma::mat one_hot(const arma::uvec& labels, arma::uword classes) {
  arma::mat Y(labels.n_elem, classes, arma::fill::zeros);
  for (arma::uword n = 0; n < labels.n_elem; ++n) {
    if (labels(n) >= classes)
      throw std::invalid_argument("one_hot: label " + std::to_string(labels(n)) + " of sample " +
                                  std::to_string(n) + " is not a class index 0.." +
                                  std::to_string(classes - 1));
    Y(n, labels(n)) = 1.0;
  }
  return Y;
}

void toy_batch(arma::uword samples, Rng& rng, arma::mat& X, arma::mat& Y) {
  X = normal_matrix(samples, 2, 1.0, rng);
  const arma::uvec labels = arma::conv_to<arma::uvec>::from(X.col(1) > X.col(0));
  Y = one_hot(labels, 2);
}

}  // namespace bp
