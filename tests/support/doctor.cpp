#include "support/doctor.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>

#include "support/gradcheck.hpp"

namespace bp::test {
namespace {

bool same_shape(const arma::mat& a, const arma::mat& b) {
  return a.n_rows == b.n_rows && a.n_cols == b.n_cols;
}

std::string shape(const arma::mat& M) {
  return std::to_string(M.n_rows) + "×" + std::to_string(M.n_cols);
}

// Whether entry i of a and b agree: the course's relative error within kTolerance.
bool entry_agrees(const arma::mat& a, const arma::mat& b, arma::uword i, double floor) {
  return relative_error(a(i), b(i), floor) <= kTolerance;
}

// Whether a and b (same shape) agree entry by entry.
bool agrees(const arma::mat& a, const arma::mat& b, double floor) {
  if (!same_shape(a, b)) return false;
  for (arma::uword i = 0; i < a.n_elem; ++i)
    if (!entry_agrees(a, b, i, floor)) return false;
  return true;
}

// Whether x is target to a relative 1e-6 (the numbers are ratios of sums, exact to rounding).
bool near(double x, double target) { return std::abs(x - target) <= 1e-6 * std::abs(target); }

std::string number(double x) {
  std::ostringstream out;
  out << std::setprecision(6) << x;
  return out.str();
}

// "2, 5 and 7": the first `shown` indices, and how many more.
std::string list(const std::vector<arma::uword>& indices) {
  const std::size_t shown = 8;
  std::ostringstream out;
  for (std::size_t k = 0; k < indices.size() && k < shown; ++k) {
    if (k > 0) out << (k + 1 == indices.size() ? " and " : ", ");
    out << indices[k];
  }
  if (indices.size() > shown) out << " and " << indices.size() - shown << " more";
  return out.str();
}

std::string reread(const Clues& clues) {
  return clues.equation.empty() ? std::string() : " Re-read " + clues.equation + ".";
}

// The constant c with learner = c · trusted, when there is one (NaN otherwise).
double constant_factor(const arma::mat& learner, const arma::mat& trusted, double floor) {
  const double tt = arma::accu(trusted % trusted);
  if (tt == 0.0) return std::nan("");
  const double c = arma::accu(learner % trusted) / tt;
  return agrees(learner, c * trusted, floor) ? c : std::nan("");
}

Diagnosis factor_diagnosis(double c, const Clues& clues) {
  Diagnosis d;
  d.factor = c;
  const double N = static_cast<double>(clues.samples);
  const std::string times = clues.name + " is exactly " + number(c) + " times the trusted one";
  if (near(c, -1.0)) {
    d.kind = Mistake::Sign;
    d.text = times +
             ": a sign. The loss we minimise gives ŷ − y where the post's (7) prints y − ŷ;"
             " every gradient downstream of dZ2 flips with it." +
             reread(clues);
  } else if (N > 1.0 && near(c, N)) {
    d.kind = Mistake::MissingMean;
    d.text = times + " (N = " + number(N) +
             ", the samples): the mean's 1/N is missing. The loss"
             " is a mean over the batch; its 1/N enters once, in dZ2 = (P − Y)/N." +
             reread(clues);
  } else if (N > 1.0 && near(c, 1.0 / N)) {
    d.kind = Mistake::MeanTwice;
    d.text = times + " (1/N, N = " + number(N) +
             "): the 1/N is taken twice. dZ2 already carries "
             "it; a sum over samples downstream (Aᵀ dZ, Σ_rows dZ) must not divide again." +
             reread(clues);
  } else if (N > 1.0 && (near(c, -N) || near(c, -1.0 / N))) {
    d.kind = Mistake::SignAndMean;
    d.text = times + " (N = " + number(N) +
             "): a sign, as in the post's (7), and the mean's 1/N "
             "(missing or taken twice)." +
             reread(clues);
  } else {
    d.kind = Mistake::Factor;
    d.text = times +
             ": a constant factor. A coefficient is off (the derivative of (λ/2)w² is λw;"
             " of w², 2w), or a mean is taken where a sum belongs." +
             reread(clues);
  }
  return d;
}

// Spearman's rank correlation of x and y.
double rank_correlation(const arma::vec& x, const arma::vec& y) {
  const arma::vec rx = arma::conv_to<arma::vec>::from(arma::sort_index(arma::sort_index(x)));
  const arma::vec ry = arma::conv_to<arma::vec>::from(arma::sort_index(arma::sort_index(y)));
  if (x.n_elem < 3) return 0.0;
  return arma::as_scalar(arma::cor(rx, ry));
}

// Which rows (dim 0) or columns (dim 1) hold an entry that disagrees.
std::vector<arma::uword> wrong_lines(const arma::mat& learner, const arma::mat& trusted, int dim,
                                     double floor) {
  std::vector<arma::uword> wrong;
  const arma::uword lines = dim == 0 ? trusted.n_rows : trusted.n_cols;
  const arma::uword length = dim == 0 ? trusted.n_cols : trusted.n_rows;
  for (arma::uword l = 0; l < lines; ++l)
    for (arma::uword k = 0; k < length; ++k) {
      const arma::uword i = dim == 0 ? k * trusted.n_rows + l : l * trusted.n_rows + k;
      if (!entry_agrees(learner, trusted, i, floor)) {
        wrong.push_back(l);
        break;
      }
    }
  return wrong;
}

Diagnosis make(Mistake kind, std::string text) {
  Diagnosis d;
  d.kind = kind;
  d.text = std::move(text);
  return d;
}

}  // namespace

Diagnosis diagnose(const arma::mat& learner, const arma::mat& trusted, const Clues& clues) {
  const double floor = clues.floor;
  const std::string& name = clues.name;
  if (agrees(learner, trusted, floor)) return {};

  // Known mistakes first: the test computed their results, of any shape.
  for (const Suspect& s : clues.suspects)
    if (agrees(learner, s.result, floor)) {
      Diagnosis d = make(Mistake::Known, name + " is what this mistake gives: " + s.mistake +
                                             ". Re-read " + s.reread + ".");
      d.suspect = s.mistake;
      return d;
    }

  if (!same_shape(learner, trusted)) {
    if (learner.n_rows == trusted.n_cols && learner.n_cols == trusted.n_rows &&
        agrees(learner.t(), trusted, floor))
      return make(Mistake::Transposed, name + " is " + shape(learner) + ", the transpose of the " +
                                           "trusted " + shape(trusted) + ": a product taken in " +
                                           "the other order, or a transpose too many." +
                                           reread(clues));
    if (trusted.n_rows == 1 && learner.n_cols == trusted.n_cols && learner.n_rows > 1 &&
        agrees(arma::sum(learner, 0), trusted, floor))
      return make(Mistake::NotSummed,
                  name + " is " + shape(learner) + " where " + shape(trusted) + " belongs, and " +
                      "its rows add up to the trusted result: a bias gradient is summed over the"
                      " rows, db = Σ_rows dZ, as each b_k was added to every row." +
                      reread(clues));
    return make(Mistake::OtherShape, name + " is " + shape(learner) + " where " + shape(trusted) +
                                         " belongs." + reread(clues));
  }

  if (!arma::any(arma::vectorise(learner) != 0.0))
    return make(Mistake::Zero, name +
                                   " is zero everywhere, the trusted one is not: nothing "
                                   "reaches the result (a matrix left as created, or a "
                                   "product with a zero factor)." +
                                   reread(clues));

  const double c = constant_factor(learner, trusted, floor);
  if (!std::isnan(c)) return factor_diagnosis(c, clues);

  if (learner.n_rows == learner.n_cols && agrees(learner.t(), trusted, floor))
    return make(Mistake::Transposed, name +
                                         " is the transpose of the trusted result: a product "
                                         "in the other order, or a transpose too many." +
                                         reread(clues));

  const std::vector<arma::uword> rows = wrong_lines(learner, trusted, 0, floor);
  const std::vector<arma::uword> cols = wrong_lines(learner, trusted, 1, floor);
  const bool some_rows = trusted.n_rows > 1 && rows.size() < trusted.n_rows;
  const bool some_cols = trusted.n_cols > 1 && cols.size() < trusted.n_cols;
  if (some_rows && (!some_cols || rows.size() * trusted.n_cols <= cols.size() * trusted.n_rows)) {
    Diagnosis d = make(Mistake::SomeRows, name + ": only row" + (rows.size() > 1 ? "s " : " ") +
                                              list(rows) + " of " + std::to_string(trusted.n_rows) +
                                              " are wrong, the others right: a "
                                              "loop or a slice that misses some samples or units." +
                                              reread(clues));
    d.wrong = rows;
    return d;
  }
  if (some_cols) {
    Diagnosis d =
        make(Mistake::SomeColumns, name + ": only column" + (cols.size() > 1 ? "s " : " ") +
                                       list(cols) + " of " + std::to_string(trusted.n_cols) +
                                       " are wrong, the others "
                                       "right: a loop or a slice that misses some columns." +
                                       reread(clues));
    d.wrong = cols;
    return d;
  }

  if (same_shape(clues.activation, trusted)) {
    // How far each entry is off, against how saturated tanh is there.
    const arma::uvec counted = arma::find(arma::abs(trusted) > 1e-3 * arma::abs(trusted).max());
    const arma::vec off = arma::abs(learner.elem(counted) / trusted.elem(counted) - 1.0);
    const arma::vec saturation = arma::abs(clues.activation.elem(counted));
    const double rho = rank_correlation(saturation, off);
    if (rho > 0.8)
      return make(Mistake::SaturatedTanh,
                  name +
                      " is right where |A| = |tanh(Z)| is small and more wrong the closer "
                      "|A| is to 1 (rank correlation " +
                      number(rho) +
                      "): right only where "
                      "tanh is not saturated, so tanh's derivative, 1 − A², is wrong or "
                      "missing. Re-read (11): dZ = dA ⊙ (1 − A²).");
  }
  return make(Mistake::Unknown, name +
                                    " differs from the trusted result with no pattern the "
                                    "doctor knows (not a constant factor, not a transpose, "
                                    "not some rows or columns)." +
                                    reread(clues));
}

std::string doctor_report(const arma::mat& learner, const arma::mat& trusted, const Clues& clues) {
  const Diagnosis d = diagnose(learner, trusted, clues);
  if (d.kind == Mistake::None) return {};
  std::ostringstream out;
  out << std::setprecision(6);
  if (same_shape(learner, trusted) && !trusted.is_empty()) {
    arma::uword worst = 0;
    double e = -1.0;
    for (arma::uword i = 0; i < trusted.n_elem; ++i)
      if (relative_error(learner(i), trusted(i), clues.floor) > e) {
        e = relative_error(learner(i), trusted(i), clues.floor);
        worst = i;
      }
    out << "yours vs trusted: at (" << worst % trusted.n_rows << ", " << worst / trusted.n_rows
        << ") " << learner(worst) << " vs " << trusted(worst) << "; largest |entry| "
        << arma::abs(learner).max() << " vs " << arma::abs(trusted).max() << ". ";
  }
  out << "Doctor: " << d.text;
  return out.str();
}

std::vector<Suspect> weight_gradient_suspects(const arma::mat& A, const arma::mat& dZ,
                                              const arma::mat& wrong_input,
                                              const std::string& wrong_input_mistake) {
  std::vector<Suspect> s;
  if (A.n_rows > 1 && A.n_rows == dZ.n_rows)
    s.push_back({"dW = a_1ᵀ dz_1, the first sample's outer product alone (the post's (14) kept "
                 "for a batch)",
                 "(14): dW = Aᵀ dZ, the sum over every sample", A.row(0).t() * dZ.row(0)});
  if (!wrong_input.is_empty() && wrong_input.n_rows == dZ.n_rows)
    s.push_back(
        {wrong_input_mistake, "(14) and (16): dW = (the layer's input)ᵀ dZ", wrong_input.t() * dZ});
  return s;
}

std::vector<Suspect> bias_gradient_suspects(const arma::mat& dZ) {
  if (dZ.n_rows < 2) return {};
  return {{"db = the first row of dZ alone (the post's (15) kept for a batch)",
           "(15): db = Σ_rows dZ, every sample's row", dZ.row(0)}};
}

std::vector<Suspect> input_gradient_suspects(const arma::mat& dZ, const arma::mat& W) {
  if (W.n_rows != W.n_cols) return {};
  return {{"dA = dZ W, W where Wᵀ belongs", "(10): dA = dZ Wᵀ", dZ * W}};
}

std::vector<Suspect> tanh_backward_suspects(const arma::mat& dA, const arma::mat& A,
                                            const arma::mat& Z) {
  std::vector<Suspect> s = {
      {"dZ = dA ⊙ (1 − A), 1 − tanh where 1 − tanh² belongs", "(11): dZ = dA ⊙ (1 − A²)",
       dA % (1.0 - A)},
      {"dZ = dA ⊙ (1 − tanh²(A)), tanh taken of its own output",
       "(11): dZ = dA ⊙ (1 − A²), A "
       "already is tanh(Z)",
       dA % (1.0 - arma::square(arma::tanh(A)))},
      {"dZ = dA, tanh's derivative left out", "(11): dZ = dA ⊙ (1 − A²)", dA}};
  if (same_shape(Z, A))
    s.push_back({"dZ = dA ⊙ (1 − Z²), the input Z where the output A = tanh(Z) belongs",
                 "(11): dZ = dA ⊙ (1 − A²), with A, not Z", dA % (1.0 - arma::square(Z))});
  return s;
}

BackwardSuspects backward_suspects(const Params& params, const Cache& cache, const arma::mat& Y) {
  BackwardSuspects b;
  const double N = static_cast<double>(cache.P.n_rows);
  const arma::mat dZ2 = (cache.P - Y) / N;
  b.W2 = weight_gradient_suspects(cache.A1, dZ2, cache.Z1, "dW2 = Z1ᵀ dZ2, Z1 where A1 belongs");
  b.b2 = bias_gradient_suspects(dZ2);
  // The hidden layer's mistakes, each carried on to dW1 = Xᵀ dZ1 and db1 = Σ_rows dZ1.
  const arma::mat dA1 = dZ2 * params.W2.t();
  std::vector<Suspect> dZ1s = tanh_backward_suspects(dA1, cache.A1, cache.Z1);
  for (const Suspect& s : input_gradient_suspects(dZ2, params.W2))
    dZ1s.push_back({"dA1 = dZ2 W2, W2 where W2ᵀ belongs", s.reread,
                    s.result % (1.0 - arma::square(cache.A1))});
  for (const Suspect& s : dZ1s) {
    b.W1.push_back({s.mistake + ", carried to dW1 = Xᵀ dZ1", s.reread, cache.X.t() * s.result});
    b.b1.push_back({s.mistake + ", carried to db1 = Σ_rows dZ1", s.reread, arma::sum(s.result, 0)});
  }
  return b;
}

std::string doctor_backward(const Grads& learner, const Grads& trusted, const Params& params,
                            const Cache& cache, const arma::mat& Y, double floor) {
  const BackwardSuspects suspects = backward_suspects(params, cache, Y);
  struct Block {
    const char* name;
    const arma::mat& mine;
    const arma::mat& theirs;
    const std::vector<Suspect>& suspects;
    const char* equation;
  };
  const Block blocks[] = {
      {"dW1", learner.dW1, trusted.dW1, suspects.W1, "(16): dW1 = Xᵀ [(dZ2 W2ᵀ) ⊙ (1 − A1²)]"},
      {"db1", learner.db1, trusted.db1, suspects.b1, "(17): db1 = Σ_rows dZ1"},
      {"dW2", learner.dW2, trusted.dW2, suspects.W2, "(14): dW2 = A1ᵀ dZ2"},
      {"db2", learner.db2, trusted.db2, suspects.b2, "(15): db2 = Σ_rows dZ2"}};
  std::ostringstream out;
  std::string wrong;
  int wrong_blocks = 0;
  bool hidden_wrong = false, output_wrong = false;
  for (const Block& b : blocks) {
    Clues clues;
    clues.name = b.name;
    clues.equation = b.equation;
    clues.samples = cache.P.n_rows;
    clues.suspects = b.suspects;
    clues.floor = floor;
    const std::string report = doctor_report(b.mine, b.theirs, clues);
    if (report.empty()) continue;
    ++wrong_blocks;
    (b.name[2] == '1' ? hidden_wrong : output_wrong) = true;
    wrong += std::string(wrong.empty() ? "" : ", ") + b.name;
    out << " [" << b.name << "] " << report;
  }
  if (wrong_blocks == 0) return {};
  std::string where;
  if (hidden_wrong && !output_wrong)
    where = "dW2 and db2 are right, so dZ2 is: the mistake is in the hidden layer, (10), (11), "
            "(16), (17).";
  else if (output_wrong && !hidden_wrong)
    where = "dW1 and db1 are right, so dZ2 is: the mistake is in the output layer's own "
            "gradient, (14) or (15).";
  else if (wrong_blocks == 4)
    where = "All four blocks are wrong: the mistake is where they all start, dZ2, (7).";
  else
    where = "Both layers have a wrong block.";
  return "Wrong: " + wrong + ". " + where + out.str();
}

}  // namespace bp::test
