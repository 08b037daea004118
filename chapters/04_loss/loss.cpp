// Chapter 04 exercises: the loss, mean cross-entropy, three ways. Read chapters/04_loss/README.md
// first; `./course next` runs the tests of the first exercise that is not done yet.
#include "04_loss/loss.hpp"

#include "common/exercise.hpp"
#include "common/shape.hpp"

namespace bp {

double cross_entropy(const arma::mat& P, const arma::mat& Y) {
  // TODO(4.1): throw ShapeError (require_shape, shape_of) unless P and Y have the same shape
  // and are not empty; then return −(1/N) Σ Y ln P, counting only entries with Y ≠ 0 (0 ln 0 = 0).
  BP_EXERCISE("4.1");
}

double cross_entropy_from_logits(const arma::mat& Z2, const arma::mat& Y) {
  // TODO(4.2): check the shapes as in 4.1; subtract each row's maximum from Z2, take
  // ln P = shifted − ln Σ_j e^shifted (row by row) and return −(1/N) Σ Y ln P. Never form P itself.
  BP_EXERCISE("4.2");
}

double sigmoid_cross_entropy(const arma::vec& s, const arma::vec& y) {
  // TODO(4.3): check that s and y have the same shape and are not empty; then return
  // −mean(y ln σ(s) + (1−y) ln(1−σ(s))) with both logarithms written through log1p(e^−|s|).
  BP_EXERCISE("4.3");
}

}  // namespace bp
