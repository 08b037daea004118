// Chapter 14 reference solutions.
#include "14_autodiff/autodiff.hpp"

#include <string>

#include "common/shape.hpp"

namespace bp {

// [matmul_vjp]
MatmulGrads matmul_vjp(const arma::mat& A, const arma::mat& B, const arma::mat& dC) {
  require_shape(A.n_cols == B.n_rows && dC.n_rows == A.n_rows && dC.n_cols == B.n_cols,
                "matmul_vjp: A is " + shape_of(A) + ", B is " + shape_of(B) + " and dC is " +
                    shape_of(dC) + ": dC must have the shape of A B");
  // C(n,h) = Σ_d A(n,d) B(d,h): A(n,d) reached every C(n,h) through B(d,h), B(d,h) every C(n,h)
  // through A(n,d). Summing those paths is a product with the other factor, transposed.
  MatmulGrads g;
  g.dA = dC * B.t();  // N×H · H×D -> N×D   (chapter 08's dA1 = dZ2 W2ᵀ)
  g.dB = A.t() * dC;  // D×N · N×H -> D×H   (chapter 07's dW2 = A1ᵀ dZ2)
  return g;
}
// [matmul_vjp]

// [add_row_vjp]
AddRowGrads add_row_vjp(const arma::mat& dC) {
  // C = A + 1 b: A passes its gradient straight through; b was copied into every row, so the
  // gradients of the N copies add up in b — un-broadcasting is a sum over the rows.
  AddRowGrads g;
  g.dA = dC;                // N×H
  g.db = arma::sum(dC, 0);  // 1×H   (chapter 07's db2 = Σ_rows dZ2)
  return g;
}
// [add_row_vjp]

// [tanh_elementwise_vjp]
arma::mat tanh_elementwise_vjp(const arma::mat& A, const arma::mat& dA) {
  require_shape(A.n_rows == dA.n_rows && A.n_cols == dA.n_cols,
                "tanh_elementwise_vjp: A is " + shape_of(A) + " but dA is " + shape_of(dA) +
                    ": tanh acts entry by entry, so both have the shape of Z");
  // Entry by entry, tanh' = 1 − tanh², read from the output the node keeps.
  return dA % (1.0 - arma::square(A));  // N×H ⊙ N×H -> N×H   (chapter 08's (11))
}
// [tanh_elementwise_vjp]

// [softmax_cross_entropy_vjp]
arma::mat softmax_cross_entropy_vjp(const arma::mat& P, const arma::mat& Y, double dL) {
  require_shape(P.n_rows == Y.n_rows && P.n_cols == Y.n_cols && !P.is_empty(),
                "softmax_cross_entropy_vjp: P is " + shape_of(P) + " but Y is " + shape_of(Y) +
                    ": probabilities and labels need the same shape, at least 1×1");
  // Softmax and cross-entropy together leave (P − Y)/N (chapter 07's (7)); the node's output
  // is the scalar L, so its gradient dL scales the whole.
  return dL * ((P - Y) / static_cast<double>(P.n_rows));  // N×K
}
// [softmax_cross_entropy_vjp]

// [backward]
void Tape::backward(Var loss) {
  require_shape(loss.id < nodes.size(), std::string("backward: the loss #") +
                                            std::to_string(loss.id) + " is not on this tape of " +
                                            std::to_string(nodes.size()) + " nodes");
  require_shape(nodes[loss.id].value.n_elem == 1,
                "backward: the loss is " + shape_of(nodes[loss.id].value) +
                    ": the gradient is taken of a scalar, a 1×1 node");
  // Zero first: the gradients are a function of the tape, however often they are asked for.
  for (Node& node : nodes) node.grad.zeros(arma::size(node.value));
  nodes[loss.id].grad.ones();  // ∂L/∂L = 1
  // Parents come before children, so backwards every node's gradient is complete when its
  // VJP runs: everything that used it was recorded after it and has been visited.
  for (std::size_t i = loss.id + 1; i-- > 0;) {
    const Node& node = nodes[i];
    if (!node.vjp) continue;  // a leaf: nothing to pass on
    const std::vector<arma::mat> parent_grads = node.vjp(node.grad);
    require_shape(parent_grads.size() == node.parents.size(),
                  std::string("backward: #") + std::to_string(i) + " " + node.op + " has " +
                      std::to_string(node.parents.size()) + " parents but its VJP returned " +
                      std::to_string(parent_grads.size()) + " gradients");
    for (std::size_t k = 0; k < node.parents.size(); ++k) {
      Node& parent = nodes[node.parents[k]];
      require_shape(arma::size(parent_grads[k]) == arma::size(parent.value),
                    std::string("backward: #") + std::to_string(i) + " " + node.op +
                        " returned a gradient " + shape_of(parent_grads[k]) + " for its parent #" +
                        std::to_string(node.parents[k]) + " of shape " + shape_of(parent.value) +
                        ": a gradient has its value's shape");
      parent.grad += parent_grads[k];  // += : a value used twice gets both contributions
    }
  }
}
// [backward]

}  // namespace bp
