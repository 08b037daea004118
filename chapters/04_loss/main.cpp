// ch04_loss: the loss of the post's network, mean cross-entropy (the corrected equation 5),
// computed three ways — from the probabilities, from the logits through log-sum-exp, and in the
// post's two-class sigmoid form — next to the post's (5) as printed, and at logits of ±1000,
// where the logarithm of an underflowed probability is infinite.
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>

#include "02_activations/activations.hpp"
#include "03_forward/forward.hpp"
#include "04_loss/loss.hpp"
#include "common/program.hpp"
#include "common/shape.hpp"

namespace {

/// A loss for printing: + 0.0 turns the −0 that −(sum of zeros) gives into 0.
double shown(double loss) { return loss + 0.0; }

/// The post's equation (5) exactly as printed, averaged over the batch: no minus sign,
/// y ln σ(t) + (1 − y) ln(1 − σ(t)), with σ computed by chapter 02 and the logarithms taken
/// naively. For contrast only.
double printed_equation_5(const arma::vec& t, const arma::vec& y) {
  const arma::vec sigma = bp::sigmoid(t);
  return arma::mean(y % arma::log(sigma) + (1.0 - y) % arma::log(1.0 - sigma));
}

/// One line of a table: a name, a value, what it is.
void row(const std::string& name, double value, const std::string& what) {
  std::cout << "  " << std::left << std::setw(40) << name << std::right << std::setw(12)
            << shown(value) << "   " << what << "\n";
}

/// The continuation of a row's description, under it.
void more(const std::string& what) {
  std::cout << std::string(2 + 40 + 12 + 3, ' ') << what << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  bp::Program program("ch04_loss",
                      "Chapter 04: the mean cross-entropy loss of the post's network (equation 5, "
                      "corrected), from the probabilities, from the logits and in the two-class "
                      "sigmoid form; the post's (5) as printed; logits of ±1000.");
  bp::ToyNetworkFlags toy;  // --hidden, --samples, --seed
  toy.add_to(program, 3);

  return program.run(argc, argv, [&] {
    const arma::uword H = toy.H();
    const arma::uword N = toy.N();
    const std::uint64_t seed = toy.seed;
    bp::print_banner(
        "Chapter 04: the loss, mean cross-entropy",
        "Equation (5), corrected: L = -(1/N) sum_n sum_k Y_nk ln P_nk, the mean over the batch of\n"
        "-ln(probability given to the true class). The post prints\n"
        "y ln sigma(z2) + (1-y) ln(1-sigma(z2)): no minus sign, and a sigmoid of z2 where\n"
        "equation (4) used softmax.");
    std::cout << std::setprecision(6);

    // The network and the batch of chapter 03's program with the same flags: the data draw from
    // their own stream (seed + 1), so that they are not the same normal numbers as W1.
    const bp::Params params = bp::init_params(H, seed);
    arma::mat X, Y;
    toy.draw_batch(X, Y);  // the batch of chapters 03 to 09 with the same flags
    const bp::Cache cache = bp::forward(params, X);
    std::cout << "1. The untrained network (H = " << H << ") on a toy batch of N = " << N
              << " points, class 1 when x2 > x1\n";
    std::cout << "  X " << bp::shape_of(X) << " -> Z2 " << bp::shape_of(cache.Z2) << " -> P "
              << bp::shape_of(cache.P) << ";  labels Y " << bp::shape_of(Y) << ", one-hot\n";
    bp::print_matrix("  P", cache.P);
    bp::print_matrix("  Y", Y);

    std::cout << "\n2. The loss three ways\n";
    const double from_P = bp::cross_entropy(cache.P, Y);
    row("cross_entropy(P, Y)", from_P, "-(1/N) sum Y ln P (exercise 4.1)");
    const double from_logits = bp::cross_entropy_from_logits(cache.Z2, Y);
    row("cross_entropy_from_logits(Z2, Y)", from_logits,
        "log-sum-exp, shifted by the row maximum (4.2)");
    const arma::vec s = cache.Z2.col(1) - cache.Z2.col(0);
    const arma::vec y = Y.col(1);
    const double two_class = bp::sigmoid_cross_entropy(s, y);
    row("sigmoid_cross_entropy(s, y)", two_class,
        "-mean[y ln sigma(s) + (1-y) ln(1-sigma(s))] (4.3)");
    row("ln 2", std::log(2.0), "the loss of a uniform prediction, P = (1/2, 1/2)");
    std::cout << "  (s = z2[1] - z2[0], the logit difference; y = Y[:,1], the label of class 1)\n";
    const double spread = std::max({std::abs(from_P - from_logits), std::abs(from_P - two_class),
                                    std::abs(from_logits - two_class)});
    const arma::vec p1 = cache.P.col(1);
    std::cout << "  The three agree to " << spread << " (rounding only).\n"
              << "  An untrained network is not far from uniform (P of class 1 lies between "
              << p1.min() << " and " << p1.max() << "),\n  so its loss is not far from ln 2. "
              << (from_P < std::log(2.0) ? "This one is below ln 2 by chance: its random\n"
                                           "  weights happen to favour the true classes.\n"
                                         : "This one is above ln 2 by chance: its random\n"
                                           "  weights happen to favour the wrong classes.\n");

    std::cout << "\n3. The post's (5) as printed, next to the corrected one\n";
    const double printed = printed_equation_5(s, y);
    row("(5) as printed, averaged", printed, "mean[y ln sigma(s) + (1-y) ln(1-sigma(s))]");
    more("a log-likelihood, <= 0, to be maximised");
    row("(5) corrected", two_class, "the same with a minus sign: the loss, >= 0,");
    more("to be minimised");
    std::cout << "  Their sum is " << printed + two_class
              << ": one is minus the other. Descending the printed (5) would make\n"
                 "  the network more wrong at every step. The post's (7), y - y^, is the gradient\n"
                 "  of the printed form; the loss's is y^ - y.\n";
    const arma::vec z2_1 = cache.Z2.col(1);
    row("(5) corrected, sigma(z2[1]) for sigma(s)", -printed_equation_5(z2_1, y),
        "sigma of one logit, not of the difference:");
    more("not the loss of the softmax network: sigma(z2[0])");
    more("and sigma(z2[1]) are not the probabilities of (4)");

    std::cout << "\n4. Logits of +-1000: z2 = (1000, -1000), true class 1 (confidently wrong)\n";
    const arma::mat z_wrong = {{1000.0, -1000.0}};
    const arma::mat y_wrong = {{0.0, 1.0}};
    const arma::mat p_wrong = bp::softmax(z_wrong);
    std::cout << "  softmax(z2) = (" << p_wrong(0, 0) << ", " << p_wrong(0, 1)
              << "): P_1 = e^-2000 underflows to 0\n"
                 "  (the smallest positive double is about e^-744)\n";
    std::cout << "  ln P_1 = " << std::log(p_wrong(0, 1)) << ", so cross_entropy(softmax(z2), y) = "
              << shown(bp::cross_entropy(p_wrong, y_wrong)) << "   (the naive route)\n";
    const double unshifted = std::exp(z_wrong(0, 0));
    std::cout << "  Without the shift it is worse: e^1000 = " << unshifted
              << ", and e^1000 / (e^1000 + e^-1000) = "
              << bp::number_text(unshifted / (unshifted + std::exp(z_wrong(0, 1)))) << "\n";
    std::cout << "  cross_entropy_from_logits(z2, y) = "
              << shown(bp::cross_entropy_from_logits(z_wrong, y_wrong))
              << "   (log-sum-exp: ln P_1 = -2000 - ln(1 + e^-2000))\n";
    const arma::vec s_wrong = z_wrong.col(1) - z_wrong.col(0);
    std::cout << "  sigmoid_cross_entropy(-2000, 1) = "
              << shown(bp::sigmoid_cross_entropy(s_wrong, arma::vec{1.0}))
              << "   (log1p form: finite too)\n";
    std::cout << "  Confidently right instead, true class 0: cross_entropy_from_logits = "
              << shown(bp::cross_entropy_from_logits(z_wrong, arma::mat{{1.0, 0.0}}))
              << ",\n  sigmoid_cross_entropy(-2000, 0) = "
              << shown(bp::sigmoid_cross_entropy(s_wrong, arma::vec{0.0})) << "\n";
  });
}
