#include "support/planted_bugs.hpp"

#include "support/gradcheck.hpp"
#include "support/reference.hpp"

namespace bp::test {
namespace {

double samples(const arma::mat& M) { return static_cast<double>(M.n_rows); }

// reference_backward, written out with one hook per step a bug can replace.
struct Steps {
  OutputDeltaFn output_delta = reference_output_delta;
  std::function<arma::mat(const Cache&, const arma::mat&)> weight_gradient_2 =
      [](const Cache& c, const arma::mat& dZ) -> arma::mat { return c.A1.t() * dZ; };
  std::function<arma::rowvec(const arma::mat&)> bias_gradient_2 =
      [](const arma::mat& dZ) -> arma::rowvec { return arma::sum(dZ, 0); };
  std::function<arma::mat(const arma::mat&, const arma::mat&)> input_gradient_2 =
      [](const arma::mat& dZ, const arma::mat& W) -> arma::mat { return dZ * W.t(); };
  std::function<arma::mat(const Cache&, const arma::mat&)> tanh_backward_1 =
      [](const Cache& c, const arma::mat& dA) -> arma::mat { return dA % (1.0 - c.A1 % c.A1); };

  Grads operator()(const Params& params, const Cache& cache, const arma::mat& Y) const {
    const arma::mat dZ2 = output_delta(cache.P, Y);
    Grads g;
    g.dW2 = weight_gradient_2(cache, dZ2);
    g.db2 = bias_gradient_2(dZ2);
    const arma::mat dZ1 = tanh_backward_1(cache, input_gradient_2(dZ2, params.W2));
    g.dW1 = cache.X.t() * dZ1;
    g.db1 = arma::sum(dZ1, 0);
    return g;
  }
};

}  // namespace

std::vector<Planted<OutputDeltaFn>> planted_output_delta_bugs() {
  return {
      {"SignOfThePostsEquation7", "dZ2 = (Y − P)/N, the post's y − ŷ",
       [](const arma::mat& P, const arma::mat& Y) -> arma::mat { return (Y - P) / samples(P); }},
      {"MissingOneOverN", "dZ2 = P − Y, the mean's 1/N forgotten",
       [](const arma::mat& P, const arma::mat& Y) -> arma::mat { return P - Y; }},
  };
}

std::vector<Planted<WeightGradientFn>> planted_weight_gradient_bugs() {
  return {
      {"FirstSampleOnly", "dW = a_1ᵀ dz_1 of sample 0, the post's (14) kept for a batch",
       [](const arma::mat& A, const arma::mat& dZ) -> arma::mat {
         return A.row(0).t() * dZ.row(0);
       }},
      {"OneOverNTwice", "dW = Aᵀ dZ / N, the mean taken again",
       [](const arma::mat& A, const arma::mat& dZ) -> arma::mat {
         return A.t() * dZ / samples(dZ);
       }},
  };
}

std::vector<Planted<BiasGradientFn>> planted_bias_gradient_bugs() {
  return {
      {"FirstRowOnly", "db = dZ of sample 0, the post's (15) kept for a batch",
       [](const arma::mat& dZ) -> arma::rowvec { return dZ.row(0); }},
      {"MeanOfTheRows", "db = mean of the rows of dZ, the 1/N taken again",
       [](const arma::mat& dZ) -> arma::rowvec { return arma::mean(dZ, 0); }},
  };
}

std::vector<Planted<InputGradientFn>> planted_input_gradient_bugs() {
  return {
      {"WNotTransposed", "dA = dZ W, W where Wᵀ belongs (defined only when W is square)",
       [](const arma::mat& dZ, const arma::mat& W) -> arma::mat { return dZ * W; }},
  };
}

std::vector<Planted<TanhBackwardFn>> planted_tanh_backward_bugs() {
  return {
      {"OneMinusTanh", "dZ = dA ⊙ (1 − A), 1 − tanh for 1 − tanh²",
       [](const arma::mat& dA, const arma::mat& A) -> arma::mat { return dA % (1.0 - A); }},
      {"TanhOfTheOutputAgain", "dZ = dA ⊙ (1 − tanh²(A)), the cached output taken for Z",
       [](const arma::mat& dA, const arma::mat& A) -> arma::mat {
         return dA % (1.0 - arma::square(arma::tanh(A)));
       }},
  };
}

std::vector<Planted<HiddenLayerFn>> planted_hidden_layer_bugs() {
  return {
      {"TanhDerivativeOfZ1", "dZ1 = dA1 ⊙ (1 − Z1²), dW1 and db1 computed from Z1 instead of A1",
       [](const Params& params, const Cache& cache, const arma::mat& dZ2) {
         HiddenGrads g = reference_hidden_backward(params, cache, dZ2);
         g.dZ1 = g.dA1 % (1.0 - cache.Z1 % cache.Z1);
         g.dW1 = cache.X.t() * g.dZ1;
         g.db1 = arma::sum(g.dZ1, 0);
         return g;
       }},
      {"WeightGradientFromA1", "dW1 = A1ᵀ dZ1, the output layer's input where X belongs",
       [](const Params& params, const Cache& cache, const arma::mat& dZ2) {
         HiddenGrads g = reference_hidden_backward(params, cache, dZ2);
         g.dW1 = cache.A1.t() * g.dZ1;
         return g;
       }},
  };
}

const std::vector<PlantedBackward>& planted_backward_bugs() {
  static const std::vector<PlantedBackward> bugs = [] {
    std::vector<PlantedBackward> list;
    Steps sign;
    sign.output_delta = planted_output_delta_bugs()[0].fn;
    list.push_back({"SignOfThePostsEquation7", "dZ2 = (Y − P)/N", {true, true, true, true}, sign});
    Steps no_mean;
    no_mean.output_delta = planted_output_delta_bugs()[1].fn;
    list.push_back({"MissingOneOverN", "dZ2 = P − Y", {true, true, true, true}, no_mean});
    Steps one_minus_tanh;
    one_minus_tanh.tanh_backward_1 = [](const Cache& c, const arma::mat& dA) -> arma::mat {
      return dA % (1.0 - c.A1);
    };
    list.push_back(
        {"OneMinusTanh", "dZ1 = dA1 ⊙ (1 − A1)", {true, true, false, false}, one_minus_tanh});
    Steps not_transposed;
    not_transposed.input_gradient_2 = [](const arma::mat& dZ, const arma::mat& W) -> arma::mat {
      return dZ * W;
    };
    list.push_back({"W2NotTransposed", "dA1 = dZ2 W2", {true, true, false, false}, not_transposed});
    Steps not_summed;
    not_summed.bias_gradient_2 = [](const arma::mat& dZ) -> arma::rowvec { return dZ.row(0); };
    list.push_back({"BiasGradientNotSummed",
                    "db2 = first row of dZ2",
                    {false, false, false, true},
                    not_summed});
    Steps from_Z1;
    from_Z1.tanh_backward_1 = [](const Cache& c, const arma::mat& dA) -> arma::mat {
      return dA % (1.0 - c.Z1 % c.Z1);
    };
    list.push_back(
        {"TanhDerivativeOfZ1", "dZ1 = dA1 ⊙ (1 − Z1²)", {true, true, false, false}, from_Z1});
    Steps pre_activation;
    pre_activation.weight_gradient_2 = [](const Cache& c, const arma::mat& dZ) -> arma::mat {
      return c.Z1.t() * dZ;
    };
    list.push_back(
        {"PreActivationInDW2", "dW2 = Z1ᵀ dZ2", {false, false, true, false}, pre_activation});
    return list;
  }();
  return bugs;
}

testing::AssertionResult CaughtInItsBlocks(const GradientCheck& errors, const Blocks& corrupts) {
  const auto ok = [](double error, bool corrupt) {
    return corrupt ? error > 1e-3 : error <= bp::test::kTolerance;
  };
  if (ok(errors.W1, corrupts.W1) && ok(errors.b1, corrupts.b1) && ok(errors.W2, corrupts.W2) &&
      ok(errors.b2, corrupts.b2))
    return testing::AssertionSuccess();
  return testing::AssertionFailure()
         << "worst relative error per block " << bp::test::describe(errors)
         << "; expected above 1e-3 in " << (corrupts.W1 ? "W1 " : "") << (corrupts.b1 ? "b1 " : "")
         << (corrupts.W2 ? "W2 " : "") << (corrupts.b2 ? "b2 " : "") << "and within "
         << bp::test::kTolerance << " elsewhere";
}

}  // namespace bp::test
