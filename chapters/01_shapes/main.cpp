// ch01_shapes: the affine map z = x W + b of the post's equation (1), for one sample and for
// a batch, and what happens when the shapes do not fit.
#include <iostream>

#include "01_shapes/shapes.hpp"
#include "common/program.hpp"
#include "common/random.hpp"

int main(int argc, char** argv) {
  bp::Program program("ch01_shapes",
                      "Chapter 01: the affine map Z = X W + 1 b (equations 1 and 3) on random "
                      "numbers, with every shape printed.");
  int hidden = 500;
  int samples = 4;
  std::uint64_t seed = 1;
  program.add_size("--hidden", hidden, 100000, "Hidden units H, the columns of W1");
  program.add_size("--samples", samples, 100000, "Samples N in the batch");
  program.add_seed(seed);

  program.set_memory_estimate({"--hidden", "--samples"}, "8 bytes × 2·N·H + 64 MB", [&] {
    return 8.0 * 2 * static_cast<double>(samples) * static_cast<double>(hidden) + 64e6;
  });
  return program.run(argc, argv, [&] {
    const auto H = static_cast<arma::uword>(hidden);
    const auto N = static_cast<arma::uword>(samples);
    bp::print_banner("Chapter 01: shapes and the affine map",
                     "Equation (1) of the post: z1 = x W1 + b1, one sample x as a 1×2 row.\n"
                     "For a batch X (N×2, one sample per row) it becomes Z1 = X W1 + 1 b1: "
                     "b1 is added to every row.");
    bp::Rng rng(seed);
    const arma::mat W1 = bp::normal_matrix(2, H, 1.0, rng);
    const arma::mat b1 = bp::normal_matrix(1, H, 1.0, rng);
    const arma::mat X = bp::normal_matrix(N, 2, 1.0, rng);

    std::cout << "One sample, as in the post (N = 1):\n";
    const arma::mat x = X.row(0);
    bp::check_affine_shapes(x, W1, b1);
    std::cout << "  check_affine_shapes: x, W1 and b1 fit together\n";
    const arma::mat z1 = bp::affine(x, W1, b1);
    std::cout << "  x " << bp::shape_of(x) << "  times  W1 " << bp::shape_of(W1) << "  plus  b1 "
              << bp::shape_of(b1) << "  gives  z1 " << bp::shape_of(z1) << "\n";
    bp::print_matrix("  z1", z1);

    std::cout << "\nA batch of N = " << N << " samples:\n";
    const arma::mat Z1 = bp::affine(X, W1, b1);
    std::cout << "  X " << bp::shape_of(X) << "  times  W1 " << bp::shape_of(W1) << "  plus  1 b1 "
              << N << "×" << H << "  gives  Z1 " << bp::shape_of(Z1) << "\n";
    bp::print_matrix("  Z1", Z1);
    const double row0 = arma::abs(Z1.row(0) - z1).max();
    std::cout << "  Row 0 of Z1 equals z1 of the single sample: largest difference " << row0
              << "\n";

    std::cout << "\nThe same map with W1 transposed (" << H << "×2), a classic mistake:\n";
    try {
      bp::affine(X, W1.t(), b1);
      std::cout << "  no error: the shape check is missing\n";
    } catch (const bp::ShapeError& e) {
      std::cout << "  ShapeError: " << e.what() << "\n";
    }
    std::cout << "\nParameters of layer 1: W1 has " << W1.n_elem << " numbers, b1 has " << b1.n_elem
              << ".\n";
  });
}
