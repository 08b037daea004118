/**
 * @file autodiff.hpp
 * @brief Chapter 14: automatic differentiation — a reverse-mode tape over Armadillo matrices (a
 * Wengert list) that derives the gradients of chapters 07–09 by itself, and of any deeper
 * network without a new line of derivative code.
 *
 * Dimension letters: N samples, D inputs (2), H hidden units (500 in the post), K classes (2);
 * for one operation, its inputs A (N×D), B (D×H) and its output C. A name dM is the gradient
 * ∂L/∂M of the scalar L the tape is differentiated for, and has the shape of M.
 *
 * The tape records each operation as it runs — its value, its parents, and its vector-Jacobian
 * product (VJP): the function that turns dC, the gradient of its output, into the gradient of
 * each parent. Each operation's forward and VJP sit side by side below:
 *
 *     forward (records a node)                VJP (dC -> the parents' gradients)
 *     C = A B            matmul               dA = dC Bᵀ          dB = Aᵀ dC         14.1
 *     C = A + 1 b        add_row              dA = dC             db = 1ᵀ dC         14.2
 *     A = tanh(Z)        tanh_elementwise     dZ = dA ⊙ (1 − A²)                     14.3
 *     L = −(1/N) Σ Y ⊙ log softmax(Z)          dZ = dL (P − Y)/N                      14.4
 *                        softmax_cross_entropy
 *     C = A ⊙ B          multiply_elementwise dA = dC ⊙ B         dB = dC ⊙ A        given
 *     C = A ⊙ A          square_elementwise   dA = 2 A ⊙ dC                          given
 *     s = Σ_ij A_ij      sum_all              dA = ds 1 1ᵀ                           given
 *     C = c A            scale                dA = c dC                              given
 *
 * Tape::backward (exercise 14.5) walks the tape once, from the loss back to the first node,
 * handing each node's gradient to its VJP and adding (+=) what comes back into the parents:
 * a value used twice receives both contributions. The derivation is on the page \ref ch14; the
 * tests are in tests/14_autodiff_test.cpp (the exercises) and tests/autodiff_given_test.cpp (the
 * given code).
 */
#pragma once

#include <armadillo>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "03_forward/forward.hpp"
#include "09_backprop/backprop.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"

namespace bp {

// ---------------------------------------------------------------------------------------------
// The tape (given code).

/// A value on the tape: the index of the node that holds it. Cheap to copy; valid for the tape
/// that made it.
struct Var {
  std::size_t id = 0;  ///< the node's index in Tape::nodes
};

/// A vector-Jacobian product: dC (the shape of the node's value) ↦ one gradient per parent, in
/// the order of Node::parents, each the shape of that parent's value.
using Vjp = std::function<std::vector<arma::mat>(const arma::mat& dC)>;

/// The gradients a VJP returns, moved into the vector (a braced list would copy each matrix).
inline std::vector<arma::mat> parent_grads(arma::mat first) {
  std::vector<arma::mat> grads;
  grads.push_back(std::move(first));
  return grads;
}

/// The gradients of a node with two parents, moved into the vector.
inline std::vector<arma::mat> parent_grads(arma::mat first, arma::mat second) {
  std::vector<arma::mat> grads;
  grads.reserve(2);
  grads.push_back(std::move(first));
  grads.push_back(std::move(second));
  return grads;
}

/// One entry of the Wengert list: what an operation computed, from what, and how to go back.
struct Node {
  std::string op;                    ///< "matmul", "add_row", …; "leaf" for an input
  std::string name;                  ///< a leaf's name ("W1"); empty for an operation
  arma::mat value;                   ///< the forward value, any shape (1×1 for a scalar)
  std::vector<std::size_t> parents;  ///< the nodes it was computed from, all earlier
  Vjp vjp;                           ///< empty for a leaf
  arma::mat grad;                    ///< ∂L/∂value after Tape::backward; the shape of value
};

/**
 * @brief A reverse-mode tape: a list of nodes in the order they were computed.
 *
 * Each operation appends one node whose parents are earlier nodes, so the list is already in
 * an order where every node comes after what it depends on (a topological order); walking it
 * backwards visits every node after everything that depends on it — the one order in which a
 * node's gradient is complete when its VJP runs.
 *
 * **Zero-grad semantics.** Tape::backward first sets every node's gradient to zero, then
 * accumulates. Calling it twice gives the same gradients, not twice them: the gradients are a
 * function of the recorded values and of the loss, not of how often they were asked for
 * (micrograd's `backward()` accumulates across calls; forgetting to zero them there is a
 * classic bug). The page \ref ch14-zero-grad says why this rather than refusing a second call.
 */
struct Tape {
  /// In the order they were recorded. A deque, not a vector: appending never moves the nodes
  /// already there (a vector would copy every value and every VJP each time it grows, since
  /// Armadillo's matrices do not promise a move that cannot throw).
  std::deque<Node> nodes;

  /// A leaf: an input or a parameter, with no parents and no VJP.
  Var leaf(const std::string& name, const arma::mat& value) {
    nodes.push_back(Node{"leaf", name, value, {}, Vjp(), arma::mat()});
    return Var{nodes.size() - 1};
  }

  /// Appends an operation's node: its value, its parents and its VJP. Called by the operations
  /// below; throws ShapeError for a parent that is not on this tape.
  Var record(const std::string& op, arma::mat value, const std::vector<Var>& parents, Vjp vjp) {
    std::vector<std::size_t> ids;
    for (const Var& p : parents) {
      require_shape(p.id < nodes.size(), op + ": a parent (#" + std::to_string(p.id) +
                                             ") is not on this tape of " +
                                             std::to_string(nodes.size()) + " nodes");
      ids.push_back(p.id);
    }
    nodes.push_back(Node{op, "", std::move(value), std::move(ids), std::move(vjp), arma::mat()});
    return Var{nodes.size() - 1};
  }

  /// The value of `v`; throws ShapeError when `v` is not on this tape.
  const arma::mat& value(Var v) const { return at(v).value; }

  /// ∂L/∂v after backward() (empty before); throws ShapeError when `v` is not on this tape.
  const arma::mat& grad(Var v) const { return at(v).grad; }

  /// The node of `v`; throws ShapeError when `v` is not on this tape.
  const Node& at(Var v) const {
    require_shape(v.id < nodes.size(), std::string("tape: #") + std::to_string(v.id) +
                                           " is not on this tape of " +
                                           std::to_string(nodes.size()) + " nodes");
    return nodes[v.id];
  }

  /**
   * @brief The reverse walk: ∂L/∂(every node) for the scalar `loss` (exercise 14.5).
   *
   * Sets every node's gradient to zeros of its value's shape, sets \f$ \partial L/\partial L =
   * 1 \f$, then for each node from `loss` back to the first: hands its gradient to its VJP and
   * adds each returned gradient to its parent's, \f$ \bar p \mathrel{+}= \text{vjp}(\bar c)_k \f$.
   * Leaves have no VJP; nodes recorded after `loss` keep a zero gradient.
   * Checked by the tests of suites Autodiff_Backward, Autodiff_PostsNetwork,
   * Autodiff_DeeperNetwork and Autodiff_PlantedBugs.
   * @param loss  a node of this tape whose value is 1×1
   * @throws ShapeError when `loss` is not on this tape or not 1×1, or when a VJP returns a
   *         gradient whose shape is not its parent's (the message names the node and both shapes).
   * \see \ref ch14-backward "the reverse walk" on \ref ch14 "chapter 14"'s page. Tested by the
   * suite(s) `Autodiff_Backward`, `Autodiff_PostsNetwork`, `Autodiff_DeeperNetwork`,
   * `Autodiff_PlantedBugs` (\ref tests14 "tests 14").
   */
  void backward(Var loss);

  /// One line per node: "#3 matmul(#0 X, #1 W1) -> 16×500" (leaves: "#1 W1 2×500").
  std::string listing() const {
    std::ostringstream out;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const Node& n = nodes[i];
      out << "#" << i << " ";
      if (n.parents.empty()) {
        out << (n.name.empty() ? n.op : n.name) << "  " << shape_of(n.value) << "\n";
        continue;
      }
      out << n.op << "(";
      for (std::size_t k = 0; k < n.parents.size(); ++k)
        out << (k ? ", " : "") << "#" << n.parents[k] << label(n.parents[k]);
      out << ") -> " << shape_of(n.value) << "\n";
    }
    return out.str();
  }

  /**
   * @brief The tape as a Graphviz graph: one box per node (its operation, or a leaf's name, and
   * its shape), one edge from each parent to its child labelled with the shape that flows.
   *
   * Nodes are named for what they are — a leaf by its name ("W1"), an operation by its kind and
   * index ("matmul5") — so the graph of the same computation always has the same names. Drawn
   * top to bottom, scaled down to at most 7×9 inches (a page's width).
   * @param title  the graph's label
   */
  std::string to_dot(const std::string& title) const {
    std::ostringstream out;
    out << "digraph tape {\n"
        << "  graph [rankdir=TB, size=\"7,9\", fontname=\"Helvetica\", fontsize=12, label=\""
        << title << "\", labelloc=t];\n"
        << "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n"
        << "  edge [fontname=\"Helvetica\", fontsize=10];\n";
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const Node& n = nodes[i];
      const bool leaf = n.parents.empty();
      out << "  " << dot_id(i) << " [label=\""
          << (leaf ? n.name : std::string("#") + std::to_string(i) + " " + n.op) << "\\n"
          << shape_of(n.value) << "\", fillcolor=\"" << (leaf ? "#e8f0fe" : "#fff4e0") << "\""
          << (leaf ? ", shape=ellipse" : "") << "];\n";
    }
    for (std::size_t i = 0; i < nodes.size(); ++i)
      for (const std::size_t p : nodes[i].parents)
        out << "  " << dot_id(p) << " -> " << dot_id(i) << " [label=\" " << shape_of(nodes[p].value)
            << "\"];\n";
    out << "}\n";
    return out.str();
  }

 private:
  /// " X" for a named leaf, "" otherwise: how listing() names a parent.
  std::string label(std::size_t i) const {
    return nodes[i].name.empty() ? std::string() : " " + nodes[i].name;
  }
  /// The Graphviz name of node i: a named leaf's name, else the operation and its index.
  std::string dot_id(std::size_t i) const {
    return nodes[i].name.empty() ? nodes[i].op + std::to_string(i) : nodes[i].name;
  }
};

// ---------------------------------------------------------------------------------------------
// The operations: each forward (given) beside its VJP. The VJPs of matmul, add_row,
// tanh_elementwise and softmax_cross_entropy are the exercises 14.1–14.4.

/// What matmul_vjp returns: the gradients of both factors.
struct MatmulGrads {
  arma::mat dA;  ///< N×D, the shape of A
  arma::mat dB;  ///< D×H, the shape of B
};

/**
 * @brief The VJP of \f$ C = A B \f$: \f$ dA = dC\, B^\top \f$, \f$ dB = A^\top dC \f$
 * (exercise 14.1).
 *
 * \f$ C_{nh} = \sum_d A_{nd} B_{dh} \f$, so \f$ dA_{nd} = \sum_h dC_{nh} B_{dh} \f$ and
 * \f$ dB_{dh} = \sum_n A_{nd}\, dC_{nh} \f$. Chapter 07's \f$ dW = A^\top dZ \f$ and chapter
 * 08's \f$ dA = dZ\, W^\top \f$ are its two halves.
 * Checked by the tests of suite Autodiff_MatmulVjp.
 * @param A   N×D  the left factor, as the forward pass had it
 * @param B   D×H  the right factor
 * @param dC  N×H  the gradient of the product
 * @return dA N×D, dB D×H
 * @throws ShapeError when dC is not N×H or A's columns are not B's rows.
 * \see \ref ch14-matmul "the VJP of a product" on \ref ch14 "chapter 14"'s page. Tested by the
 * suite(s) `Autodiff_MatmulVjp` (\ref tests14 "tests 14").
 */
MatmulGrads matmul_vjp(const arma::mat& A, const arma::mat& B, const arma::mat& dC);

/// \f$ C = A B \f$ on the tape. A: N×D, B: D×H; the result N×H. VJP: matmul_vjp.
/// Throws ShapeError when A's columns are not B's rows.
inline Var matmul(Tape& tape, Var A, Var B) {
  const arma::mat& a = tape.value(A);  // N×D
  const arma::mat& b = tape.value(B);  // D×H
  require_shape(a.n_cols == b.n_rows, "matmul: A is " + shape_of(a) + " but B is " + shape_of(b) +
                                          ": A needs one column per row of B");
  arma::mat C = a * b;  // N×H
  // The VJP keeps its own copies of A and B: the tape may grow (and move its nodes) later.
  return tape.record("matmul", std::move(C), {A, B}, [a, b](const arma::mat& dC) {
    MatmulGrads g = matmul_vjp(a, b, dC);
    return parent_grads(std::move(g.dA), std::move(g.dB));
  });
}

/// What add_row_vjp returns: the gradients of the matrix and of the row added to each of its
/// rows.
struct AddRowGrads {
  arma::mat dA;     ///< N×H, the shape of A
  arma::rowvec db;  ///< 1×H, the shape of b
};

/**
 * @brief The VJP of \f$ C = A + \mathbf{1} b \f$ (b added to every row): \f$ dA = dC \f$,
 * \f$ db = \mathbf{1}^\top dC \f$, the sum over the rows (exercise 14.2).
 *
 * The forward pass copied b into N rows (it *broadcast* b); the backward pass adds the N
 * copies' gradients back into one row — *un-broadcasting*. This is where chapter 07's
 * \f$ db_2 = \sum_\text{rows} dZ_2 \f$ comes from, for any row added to any matrix.
 * Checked by the tests of suite Autodiff_AddRowVjp.
 * @param dC  N×H  the gradient of the sum
 * @return dA N×H, db 1×H
 * \see \ref ch14-add-row "un-broadcasting" on \ref ch14 "chapter 14"'s page. Tested by the
 * suite(s) `Autodiff_AddRowVjp` (\ref tests14 "tests 14").
 */
AddRowGrads add_row_vjp(const arma::mat& dC);

/// \f$ C = A + \mathbf{1} b \f$ on the tape: b added to every row of A. A: N×H, b: 1×H; the
/// result N×H. VJP: add_row_vjp. Throws ShapeError when b is not one row as wide as A.
inline Var add_row(Tape& tape, Var A, Var b) {
  const arma::mat& a = tape.value(A);    // N×H
  const arma::mat& row = tape.value(b);  // 1×H
  require_shape(row.n_rows == 1 && row.n_cols == a.n_cols,
                "add_row: A is " + shape_of(a) + " but b is " + shape_of(row) +
                    ": b must be one row with A's number of columns");
  arma::mat C = a;  // N×H
  C.each_row() += arma::rowvec(row);
  return tape.record("add_row", std::move(C), {A, b}, [](const arma::mat& dC) {
    AddRowGrads g = add_row_vjp(dC);
    return parent_grads(std::move(g.dA), std::move(g.db));
  });
}

/**
 * @brief The VJP of \f$ A = \tanh(Z) \f$, entry by entry: \f$ dZ = dA \odot (1 - A^2) \f$
 * (exercise 14.3).
 *
 * \f$ \tanh'(z) = 1 - \tanh^2(z) \f$, written with the *output* A, which the node holds (its
 * value): chapter 08's tanh_backward, now the VJP of one node.
 * Checked by the tests of suite Autodiff_TanhVjp.
 * @param A   N×H  tanh's output (the node's value) — not its input Z
 * @param dA  N×H  the gradient of the output
 * @return    N×H  dZ
 * @throws ShapeError when A and dA differ in shape.
 * \see \ref ch14-tanh "the VJP of tanh" on \ref ch14 "chapter 14"'s page. Tested by the
 * suite(s) `Autodiff_TanhVjp` (\ref tests14 "tests 14").
 */
arma::mat tanh_elementwise_vjp(const arma::mat& A, const arma::mat& dA);

/// \f$ A = \tanh(Z) \f$, entry by entry, on the tape. Z: any shape; the result the same shape.
/// VJP: tanh_elementwise_vjp, from the output A the node keeps.
inline Var tanh_elementwise(Tape& tape, Var Z) {
  arma::mat A = arma::tanh(tape.value(Z));  // N×H
  const arma::mat kept = A;
  return tape.record("tanh", std::move(A), {Z}, [kept](const arma::mat& dA) {
    return parent_grads(tanh_elementwise_vjp(kept, dA));
  });
}

/**
 * @brief The VJP of the fused softmax-cross-entropy: \f$ dZ = dL\,(P - Y)/N \f$
 * (exercise 14.4).
 *
 * \f$ L = -\frac{1}{N} \sum_{nk} Y_{nk} \ln P_{nk} \f$ with \f$ P = \mathrm{softmax}(Z) \f$ row
 * by row: chapters 06 and 07 derived \f$ \partial L/\partial Z = (P - Y)/N \f$; the node's output
 * is the scalar L, so its incoming gradient dL (1 when L is the loss itself) multiplies it.
 * Fused, the operation never divides by a probability: logits of ±1000 stay finite (the page
 * \ref ch09-extremes shows the unfused route giving NaN).
 * Checked by the tests of suite Autodiff_SoftmaxCrossEntropyVjp.
 * @param P   N×K  the softmax of the logits, as the forward pass computed it
 * @param Y   N×K  one-hot labels
 * @param dL  the gradient of the loss node (a number: the node's value is 1×1)
 * @return    N×K  dZ
 * @throws ShapeError when P and Y differ in shape or are empty.
 * \see \ref ch14-softmax-ce "the fused VJP" on \ref ch14 "chapter 14"'s page. Tested by the
 * suite(s) `Autodiff_SoftmaxCrossEntropyVjp` (\ref tests14 "tests 14").
 */
arma::mat softmax_cross_entropy_vjp(const arma::mat& P, const arma::mat& Y, double dL);

/// \f$ L = -\frac{1}{N} \sum Y \odot \ln \mathrm{softmax}(Z) \f$ on the tape, stable (shifted
/// by each row's maximum, through log-sum-exp). Z: N×K logits, Y: N×K one-hot labels (a
/// constant, kept by the node); the result 1×1. VJP: softmax_cross_entropy_vjp.
/// Throws ShapeError when Z and Y differ in shape or are empty.
inline Var softmax_cross_entropy(Tape& tape, Var Z, const arma::mat& Y) {
  const arma::mat& z = tape.value(Z);  // N×K
  require_shape(z.n_rows == Y.n_rows && z.n_cols == Y.n_cols && !z.is_empty(),
                "softmax_cross_entropy: Z is " + shape_of(z) + " but Y is " + shape_of(Y) +
                    ": logits and labels need the same shape, at least 1×1");
  arma::mat S = z;  // N×K, every exponent ≤ 0 after the shift
  S.each_col() -= arma::max(z, 1);
  arma::mat P = arma::exp(S);  // N×K
  const arma::vec row_sums = arma::sum(P, 1);
  P.each_col() /= row_sums;             // softmax, as chapter 02 computes it
  S.each_col() -= arma::log(row_sums);  // log softmax
  const double loss = -arma::accu(Y % S) / static_cast<double>(z.n_rows);
  return tape.record("softmax_cross_entropy", arma::mat{loss}, {Z}, [P, Y](const arma::mat& dL) {
    return parent_grads(softmax_cross_entropy_vjp(P, Y, dL(0, 0)));
  });
}

/// \f$ C = A \odot B \f$ on the tape (given). A, B: the same shape; the result that shape.
/// VJP, beside it: \f$ dA = dC \odot B \f$, \f$ dB = dC \odot A \f$ — each factor's gradient
/// is the other factor, entry by entry. Throws ShapeError when A and B differ in shape.
inline Var multiply_elementwise(Tape& tape, Var A, Var B) {
  const arma::mat& a = tape.value(A);
  const arma::mat& b = tape.value(B);
  require_shape(a.n_rows == b.n_rows && a.n_cols == b.n_cols,
                "multiply_elementwise: A is " + shape_of(a) + " but B is " + shape_of(b) +
                    ": an entry-by-entry product needs the same shape");
  return tape.record("multiply", a % b, {A, B}, [a, b](const arma::mat& dC) {
    return parent_grads(dC % b, dC % a);  // dA = dC ⊙ B, dB = dC ⊙ A
  });
}

/// \f$ C = A \odot A \f$ on the tape (given). A: any shape; the result that shape.
/// VJP, beside it: \f$ dA = 2 A \odot dC \f$.
inline Var square_elementwise(Tape& tape, Var A) {
  const arma::mat a = tape.value(A);
  return tape.record("square", arma::square(a), {A}, [a](const arma::mat& dC) {
    return parent_grads(2.0 * (a % dC));  // d(a²)/da = 2a, entry by entry
  });
}

/// \f$ s = \sum_{ij} A_{ij} \f$ on the tape (given). A: any shape; the result 1×1.
/// VJP, beside it: \f$ dA = ds\, \mathbf{1}\mathbf{1}^\top \f$ — every entry counted once.
inline Var sum_all(Tape& tape, Var A) {
  const arma::mat& a = tape.value(A);
  const arma::uword rows = a.n_rows, cols = a.n_cols;
  return tape.record("sum", arma::mat{arma::accu(a)}, {A}, [rows, cols](const arma::mat& ds) {
    return parent_grads(arma::mat(rows, cols, arma::fill::value(ds(0, 0))));
  });
}

/// \f$ C = c A \f$ on the tape (given), for a constant number c. A: any shape; the result that
/// shape. VJP, beside it: \f$ dA = c\, dC \f$.
inline Var scale(Tape& tape, Var A, double c) {
  return tape.record("scale", c * tape.value(A), {A},
                     [c](const arma::mat& dC) { return parent_grads(c * dC); });
}

// ---------------------------------------------------------------------------------------------
// Networks on the tape (given code): the post's, and any list of layers.

/// The post's network recorded on a tape: the tape and the Var of each named value.
struct PostsTape {
  Tape tape;  ///< the 11 nodes
  Var X;      ///< leaf, N×D  the batch
  Var W1;     ///< leaf, D×H
  Var b1;     ///< leaf, 1×H
  Var W2;     ///< leaf, H×K
  Var b2;     ///< leaf, 1×K
  Var Z1;     ///< N×H  X W1 + 1 b1, eq. (1)
  Var A1;     ///< N×H  tanh(Z1), eq. (2)
  Var Z2;     ///< N×K  A1 W2 + 1 b2, eq. (3)
  Var L;      ///< 1×1  the mean cross-entropy of softmax(Z2), eqs. (4), (5) corrected
};

/**
 * @brief Records the post's forward pass and loss on a fresh tape, one operation per node:
 * \f$ Z_1 = X W_1 + \mathbf{1} b_1 \f$ (matmul, add_row), \f$ A_1 = \tanh Z_1 \f$,
 * \f$ Z_2 = A_1 W_2 + \mathbf{1} b_2 \f$, \f$ L \f$ = softmax_cross_entropy(Z2, Y): 11 nodes,
 * 5 leaves and 6 operations.
 * @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K
 * @param X       N×D  the batch
 * @param Y       N×K  one-hot labels
 */
inline PostsTape record_posts_network(const Params& params, const arma::mat& X,
                                      const arma::mat& Y) {
  PostsTape p;
  p.X = p.tape.leaf("X", X);
  p.W1 = p.tape.leaf("W1", params.W1);
  p.b1 = p.tape.leaf("b1", params.b1);
  p.W2 = p.tape.leaf("W2", params.W2);
  p.b2 = p.tape.leaf("b2", params.b2);
  p.Z1 = add_row(p.tape, matmul(p.tape, p.X, p.W1), p.b1);   // (1)
  p.A1 = tanh_elementwise(p.tape, p.Z1);                     // (2)
  p.Z2 = add_row(p.tape, matmul(p.tape, p.A1, p.W2), p.b2);  // (3)
  p.L = softmax_cross_entropy(p.tape, p.Z2, Y);              // (4), (5) corrected
  return p;
}

/// The four parameter gradients a backward() of the tape left, as chapter 09's bp::Grads.
/// Call after `posts.tape.backward(posts.L)`.
inline Grads tape_grads(const PostsTape& posts) {
  Grads g;
  g.dW1 = posts.tape.grad(posts.W1);
  g.db1 = arma::rowvec(posts.tape.grad(posts.b1));
  g.dW2 = posts.tape.grad(posts.W2);
  g.db2 = arma::rowvec(posts.tape.grad(posts.b2));
  return g;
}

/// One affine layer of a deeper network: Z = A W + 1 b.
struct Layer {
  arma::mat W;     ///< fan_in×fan_out
  arma::rowvec b;  ///< 1×fan_out
};

/**
 * @brief A network of any widths, e.g. {2, 64, 64, 2}: W_l ~ N(0, 1/fan_in) (chapter 03's
 * initialisation), b_l = 0, drawn layer by layer from `seed`.
 * @param widths  D, the hidden widths, K: at least two numbers, each ≥ 1
 * @param seed    the seed of the draws (the same seed, the same network)
 * @return one Layer per pair of neighbouring widths
 * @throws ShapeError when there are fewer than two widths or one is 0.
 */
inline std::vector<Layer> init_layers(const std::vector<arma::uword>& widths, std::uint64_t seed) {
  require_shape(widths.size() >= 2,
                std::string("init_layers: a network needs at least an input and an output ") +
                    "width, got " + std::to_string(widths.size()));
  Rng rng(seed);
  std::vector<Layer> layers;
  for (std::size_t l = 0; l + 1 < widths.size(); ++l) {
    require_shape(widths[l] > 0 && widths[l + 1] > 0, "init_layers: every width must be ≥ 1");
    const double stddev = 1.0 / std::sqrt(static_cast<double>(widths[l]));
    layers.push_back(Layer{normal_matrix(widths[l], widths[l + 1], stddev, rng),
                           arma::rowvec(widths[l + 1], arma::fill::zeros)});
  }
  return layers;
}

/// A deeper network recorded on a tape: the tape, each layer's W and b, the loss.
struct LayersTape {
  Tape tape;           ///< 2 leaves and 2 or 3 operations per layer, the loss, the penalty
  std::vector<Var> W;  ///< W[l]: fan_in×fan_out
  std::vector<Var> b;  ///< b[l]: 1×fan_out
  Var logits;          ///< N×K  the last layer's output
  Var L;               ///< 1×1  cross-entropy, plus the L2 penalty when weight_decay > 0
};

/**
 * @brief Records the forward pass of any list of layers — tanh between them, none after the
 * last — and the loss, with the same operations as the post's network: no new derivative code.
 *
 * \f$ A_0 = X,\; Z_l = A_{l-1} W_l + \mathbf{1} b_l,\; A_l = \tanh Z_l \f$ (not after the last),
 * \f$ L = \text{softmax\_cross\_entropy}(Z_\text{last}, Y) + \tfrac{\mu}{2} \sum_l \lVert W_l
 * \rVert^2 \f$, the penalty from square_elementwise, sum_all, scale and add_row (a 1×1 row
 * added to a 1×1 matrix is a sum).
 * @param layers        W_l fan_in×fan_out, b_l 1×fan_out; the first fan_in is D, the last
 *                      fan_out K
 * @param X             N×D
 * @param Y             N×K  one-hot
 * @param weight_decay  μ ≥ 0 (0: no penalty nodes)
 * @throws ShapeError (through the operations) when the widths do not chain.
 */
inline LayersTape record_layers(const std::vector<Layer>& layers, const arma::mat& X,
                                const arma::mat& Y, double weight_decay = 0.0) {
  LayersTape t;
  Var A = t.tape.leaf("X", X);
  for (std::size_t l = 0; l < layers.size(); ++l) {
    t.W.push_back(t.tape.leaf(std::string("W") + std::to_string(l + 1), layers[l].W));
    t.b.push_back(t.tape.leaf(std::string("b") + std::to_string(l + 1), layers[l].b));
    const Var Z = add_row(t.tape, matmul(t.tape, A, t.W[l]), t.b[l]);
    A = l + 1 < layers.size() ? tanh_elementwise(t.tape, Z) : Z;
  }
  t.logits = A;
  t.L = softmax_cross_entropy(t.tape, A, Y);
  if (weight_decay > 0.0)
    for (const Var& W : t.W)
      t.L = add_row(
          t.tape, t.L,
          scale(t.tape, sum_all(t.tape, square_elementwise(t.tape, W)), 0.5 * weight_decay));
  return t;
}

}  // namespace bp
