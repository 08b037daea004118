// Chapter 11, given: the post's forms as printed, and the corrections that are not exercises.
#include "11_errata/forms.hpp"

#include "11_errata/table.hpp"
#include "common/shape.hpp"

namespace bp {

arma::mat post_eq1_printed(const arma::rowvec& x, const arma::mat& W1, const arma::rowvec& b1) {
  return x * W1 + b1;
}

arma::mat post_eq2_printed(const arma::rowvec& z1) { return arma::tanh(z1); }

arma::mat post_eq3_printed(const arma::rowvec& a1, const arma::mat& W2, const arma::rowvec& b2) {
  return a1 * W2 + b2;
}

arma::mat post_eq4_printed(const arma::rowvec& z2) { return errata::softmax(z2); }

double post_eq5_printed(const arma::mat& Z2, const arma::mat& Y) {
  require_shape(arma::size(Z2) == arma::size(Y) && Z2.n_cols == 2 && Z2.n_rows > 0,
                "post_eq5_printed: Z2 is " + shape_of(Z2) + " and Y is " + shape_of(Y) +
                    ": both must be N×2 (two classes), N ≥ 1");
  const arma::vec y_hat = errata_sigmoid(Z2.col(1) - Z2.col(0));
  const arma::vec y = Y.col(1);
  return arma::mean(y % arma::log(y_hat) + (1.0 - y) % arma::log(1.0 - y_hat));
}

double post_eq5_sigma_of_each_logit(const arma::mat& Z2, const arma::mat& Y) {
  require_shape(arma::size(Z2) == arma::size(Y) && Z2.n_rows > 0,
                "post_eq5_sigma_of_each_logit: Z2 is " + shape_of(Z2) + " and Y is " + shape_of(Y) +
                    ": they must have the same shape, with at least one row");
  const arma::mat S = errata_sigmoid(Z2);
  return -arma::accu(Y % arma::log(S) + (1.0 - Y) % arma::log(1.0 - S)) /
         static_cast<double>(Z2.n_rows);
}

arma::mat post_eq6_printed(const arma::mat& S) { return arma::log(S) % arma::log(1.0 - S); }

arma::mat post_eq7_printed(const arma::mat& P, const arma::mat& Y) { return Y - P; }

arma::mat post_eq8_printed(const arma::rowvec& a1, arma::uword K) {
  return arma::kron(arma::mat(arma::eye(K, K)), arma::mat(a1));
}

arma::mat post_eq9_printed(arma::uword K) { return arma::eye(K, K); }

arma::mat post_eq10_printed(const arma::rowvec& z2) { return z2; }

arma::mat post_eq11_printed(const arma::rowvec& a1) {
  return arma::diagmat(1.0 - arma::square(a1));
}

arma::mat post_eq12_printed(const arma::rowvec& x, arma::uword H) {
  return arma::kron(arma::mat(arma::eye(H, H)), arma::mat(x));
}

arma::mat post_eq13_printed(arma::uword H) { return arma::eye(H, H); }

arma::mat post_eq14_printed(const arma::mat& A1, const arma::mat& P, const arma::mat& Y) {
  return A1.t() * (Y - P);
}

arma::mat post_eq15_printed(const arma::mat& P, const arma::mat& Y) { return Y - P; }

arma::mat post_eq16_printed(const arma::mat& X, const arma::mat& A1, const arma::mat& P,
                            const arma::mat& Y, const arma::mat& W2) {
  const arma::mat product = X.t() * (1.0 - arma::square(A1)) * (Y - P) * W2.t();
  return product;
}

arma::mat post_eq17_first_line(const arma::mat& X, const arma::mat& dZ2, const arma::mat& W2,
                               const arma::mat& A1) {
  return corrected_eq16(X, dZ2, W2, A1);
}

arma::mat post_eq17_printed(const arma::mat& A1, const arma::mat& P, const arma::mat& Y,
                            const arma::mat& W2) {
  const arma::mat product = (1.0 - arma::square(A1)) * (Y - P) * W2.t();
  return product;
}

double corrected_eq5(const arma::mat& Z2, const arma::mat& Y) { return -post_eq5_printed(Z2, Y); }

arma::mat corrected_eq6(const arma::mat& S) { return S % (1.0 - S); }

arma::mat corrected_eq6_softmax(const arma::rowvec& p) { return arma::diagmat(p) - p.t() * p; }

arma::mat corrected_eq10(const arma::mat& W2) { return W2.t(); }

arma::mat corrected_eq14(const arma::mat& A1, const arma::mat& dZ2) { return A1.t() * dZ2; }

arma::mat corrected_eq15(const arma::mat& dZ2) { return arma::sum(dZ2, 0); }

arma::mat corrected_eq17(const arma::mat& dZ2, const arma::mat& W2, const arma::mat& A1) {
  return corrected_eq16(arma::ones(A1.n_rows, 1), dZ2, W2, A1);
}

}  // namespace bp
