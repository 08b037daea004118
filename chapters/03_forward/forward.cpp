// Chapter 03 exercises: initialisation and the forward pass. Read chapters/03_forward/README.md
// first; `./course next` runs the tests of the first exercise that is not done yet.
#include "03_forward/forward.hpp"

#include <cmath>

#include "01_shapes/shapes.hpp"
#include "02_activations/activations.hpp"
#include "common/exercise.hpp"
#include "common/random.hpp"

namespace bp {

Params init_params(arma::uword hidden, std::uint64_t seed, arma::uword inputs,
                   arma::uword classes) {
  // TODO(3.1): seed one Rng; draw W1 (inputs×hidden, standard deviation 1/sqrt(inputs)), then
  // W2 (hidden×classes, standard deviation 1/sqrt(hidden)) with normal_matrix; zero biases.
  BP_EXERCISE("3.1");
}

Cache forward(const Params& params, const arma::mat& X) {
  // TODO(3.2): fill a Cache with X and equations (1)-(4), using affine (chapter 01),
  // tanh_activation and softmax (chapter 02).
  BP_EXERCISE("3.2");
}

}  // namespace bp
