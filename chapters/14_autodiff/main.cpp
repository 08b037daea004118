// ch14_autodiff: automatic differentiation on a tape. Records the post's network as a list of
// operations, prints it, runs the tape backwards and compares every gradient with chapter 09's
// hand-derived bp::backward, block by block; times the two; draws the tape (ch14_tape.dot and,
// with Graphviz, ch14_tape.svg); then differentiates a deeper network with the same operations,
// checks it against central differences and trains it on two moons.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "03_forward/forward.hpp"
#include "05_finite_differences/finite_differences.hpp"
#include "09_backprop/backprop.hpp"
#include "14_autodiff/autodiff.hpp"
#include "common/data.hpp"
#include "common/datasets.hpp"
#include "common/files.hpp"
#include "common/program.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"

extern char** environ;

namespace {

using bp::sci;

/// The most entries of one parameter block the deeper network's check compares.
constexpr arma::uword kMaxChecked = 5000;

/// The largest |a − b| over a block, relative to the block's largest |b|. a, b: the same shape.
double largest_relative_difference(const arma::mat& a, const arma::mat& b) {
  const double scale = arma::abs(b).max();
  return arma::abs(a - b).max() / (scale > 0.0 ? scale : 1.0);
}

/// Whether two matrices are equal bit for bit (as numbers: +0 and −0 count as equal).
bool identical(const arma::mat& a, const arma::mat& b) {
  return arma::size(a) == arma::size(b) && arma::all(arma::vectorise(a == b));
}

/// Graphviz's SVG of the DOT file `dot_file`, or "" when dot is missing or fails. Runs dot
/// without a shell (the folder's name is the user's) and reads its output through a pipe.
std::string svg_from_dot(const std::filesystem::path& dot_file) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return "";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  const std::string path = dot_file.string();
  std::vector<char*> argv = {const_cast<char*>("dot"), const_cast<char*>("-Tsvg"),
                             const_cast<char*>(path.c_str()), nullptr};
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, "dot", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  std::string svg;
  if (spawned == 0) {
    char buffer[65536];
    ssize_t got = 0;
    while ((got = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0)
      svg.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(pipe_fds[0]);
  if (spawned != 0) return "";
  int status = 0;
  ::waitpid(pid, &status, 0);
  const bool ok =
      WIFEXITED(status) && WEXITSTATUS(status) == 0 && svg.find("</svg>") != std::string::npos;
  return ok ? svg : "";
}

/// The deeper network's loss (through its tape's forward pass) with one parameter block
/// replaced: layer l's W (is_weight) or b.
double layers_loss(std::vector<bp::Layer> layers, std::size_t l, bool is_weight,
                   const arma::mat& block, const arma::mat& X, const arma::mat& Y) {
  if (is_weight)
    layers[l].W = block;
  else
    layers[l].b = arma::rowvec(block);
  const bp::LayersTape t = bp::record_layers(layers, X, Y);
  return t.tape.value(t.L)(0, 0);
}

/// The fraction of rows whose largest logit is their label's.
double accuracy(const arma::mat& logits, const arma::uvec& labels) {
  const arma::uvec predicted = arma::index_max(logits, 1);
  return static_cast<double>(arma::accu(predicted == labels)) / static_cast<double>(labels.n_elem);
}

/// 1. The tape of the post's network, node by node.
void print_tape(const bp::PostsTape& posts, arma::uword H, arma::uword N, std::uint64_t seed) {
  std::cout << "1. The post's network, recorded: H = " << H << ", N = " << N << ", seed " << seed
            << ", " << posts.tape.nodes.size() << " nodes (5 leaves, 6 operations)\n";
  std::istringstream listing(posts.tape.listing());
  for (std::string line; std::getline(listing, line);) std::cout << "    " << line << "\n";
  std::cout << "  Loss " << bp::fixed_text(posts.tape.value(posts.L)(0, 0), 6) << ".\n\n";
}

/// 2. backward() on the tape against chapter 09's backward(), block by block, and a second
/// call of backward(). params: W1 2×H, b1 1×H, W2 H×2, b2 1×2; X: N×2; Y: N×2 one-hot.
void compare_with_backward(bp::PostsTape& posts, const bp::Params& params, const arma::mat& X,
                           const arma::mat& Y) {
  posts.tape.backward(posts.L);
  const bp::Grads tape = bp::tape_grads(posts);
  const bp::Grads hand = bp::backward(params, bp::forward(params, X), Y);
  std::cout << "2. The tape's gradients against chapter 09's backward(), block by block\n"
            << "    block  shape     largest |tape - hand| / largest |hand|   bit-identical\n";
  const auto row = [](const std::string& block, const arma::mat& a, const arma::mat& b) {
    std::cout << "    " << bp::pad(block, 7) << bp::pad(bp::shape_of(a), 10) << std::setw(12)
              << sci(largest_relative_difference(a, b), 1) << std::setw(32)
              << (identical(a, b) ? "yes" : "no") << "\n";
  };
  row("dW1", tape.dW1, hand.dW1);
  row("db1", tape.db1, hand.db1);
  row("dW2", tape.dW2, hand.dW2);
  row("db2", tape.db2, hand.db2);
  std::cout << "  Each VJP is the same Armadillo expression as chapter 07's or 08's line, and\n"
               "  += into a zero gradient is exact, so the numbers are the same to the bit.\n";
  posts.tape.backward(posts.L);
  const bp::Grads again = bp::tape_grads(posts);
  std::cout << "  backward() a second time: dW1 "
            << (identical(again.dW1, tape.dW1) ? "the same" : "DIFFERENT")
            << " (it zeroes every gradient first; accumulating would have doubled them).\n\n";
}

/// 3. The tape's backward and recording against chapter 09's backward and chapter 03's forward.
void time_both(bp::PostsTape& posts, const bp::Params& params, const arma::mat& X,
               const arma::mat& Y) {
  const int rounds = 51;
  const bp::Cache cache = bp::forward(params, X);
  const auto [hand_backward, tape_backward] = bp::interleaved_median_seconds(
      rounds,
      [&] {
        const bp::Grads g = bp::backward(params, cache, Y);
        (void)g;
      },
      [&] { posts.tape.backward(posts.L); });
  const auto [hand_forward, tape_forward] = bp::interleaved_median_seconds(
      rounds,
      [&] {
        const bp::Cache c = bp::forward(params, X);
        (void)c;
      },
      [&] {
        const bp::PostsTape p = bp::record_posts_network(params, X, Y);
        (void)p;
      });
  std::cout << "3. The cost, median of " << rounds << " runs each, in turns (N = " << X.n_rows
            << ", H = " << params.W1.n_cols << ")\n"
            << "    backward: by hand " << bp::fixed_text(hand_backward * 1e3, 3)
            << " ms, the tape " << bp::fixed_text(tape_backward * 1e3, 3) << " ms: ratio "
            << bp::fixed_text(tape_backward / hand_backward, 2) << "\n"
            << "    forward:  by hand " << bp::fixed_text(hand_forward * 1e3, 3)
            << " ms, recording " << bp::fixed_text(tape_forward * 1e3, 3) << " ms: ratio "
            << bp::fixed_text(tape_forward / hand_forward, 2) << "\n"
            << "  The tape also computes dX (nobody asked for it), zeroes every gradient and\n"
            << "  copies what each VJP keeps; tanh, the costly part, is in the forward pass.\n"
            << "  The ratio depends on the allocator and the machine's load as much as on the\n"
            << "  arithmetic: bench/bench_autodiff measures it carefully.\n\n";
}

/// 6. The tape as a graph: ch14_tape.dot, and ch14_tape.svg when Graphviz's dot runs.
void draw_tape(const bp::PostsTape& posts, const std::filesystem::path& figures) {
  const std::filesystem::path dot_file = figures / "ch14_tape.dot";
  const arma::mat& X = posts.tape.value(posts.X);
  const arma::mat& W1 = posts.tape.value(posts.W1);
  bp::write_whole(
      dot_file, posts.tape.to_dot(std::string("The tape of the post's network, N = ") +
                                  std::to_string(X.n_rows) + ", H = " + std::to_string(W1.n_cols)));
  std::cout << "6. The tape of section 1 as a graph: " << dot_file.string() << "\n";
  const std::string svg = svg_from_dot(dot_file);
  if (svg.empty()) {
    std::cout << "  ch14_tape.svg not drawn: Graphviz's dot is not installed or failed; "
                 "the .dot file above is the graph.\n\n";
    return;
  }
  bp::write_whole(figures / "ch14_tape.svg", svg);
  std::cout << "  and as a picture: " << (figures / "ch14_tape.svg").string() << "\n\n";
}

/// 4. Every gradient of a deeper network (the same operations, no new derivative code) against
/// chapter 05's central differences on the first 16 rows of the batch. X: N×2; Y: N×2 one-hot.
void check_deeper(const std::vector<bp::Layer>& layers, const std::string& shape,
                  const arma::mat& X, const arma::mat& Y, std::uint64_t seed) {
  const arma::uword check_samples = std::min<arma::uword>(X.n_rows, 16);
  const arma::mat Xc = X.rows(0, check_samples - 1), Yc = Y.rows(0, check_samples - 1);
  bp::LayersTape deep = bp::record_layers(layers, Xc, Yc);
  deep.tape.backward(deep.L);
  arma::uword count = 0;
  for (const bp::Layer& layer : layers) count += layer.W.n_elem + layer.b.n_elem;
  std::cout << "4. A deeper network, " << shape << ": " << count << " parameters, "
            << deep.tape.nodes.size() << " nodes, the same operations and VJPs.\n"
            << "  Every gradient against chapter 05's central differences (step "
            << sci(bp::kCentralStep) << ", floor " << sci(bp::kRelativeFloor) << ") on "
            << check_samples << " samples:\n";
  double worst = 0.0;
  bp::Rng pick_rng(seed + 3);
  for (std::size_t l = 0; l < layers.size(); ++l) {
    for (const bool is_weight : {true, false}) {
      const arma::mat point = is_weight ? layers[l].W : arma::mat(layers[l].b);
      const arma::mat& analytic = deep.tape.grad(is_weight ? deep.W[l] : deep.b[l]);
      // Every entry of a block up to kMaxChecked (all of them at the defaults), else that
      // many drawn at random: each costs two forward passes.
      const bool all = point.n_elem <= kMaxChecked;
      std::uniform_int_distribution<arma::uword> pick(0, point.n_elem - 1);
      double block_worst = 0.0;
      for (arma::uword k = 0; k < (all ? point.n_elem : kMaxChecked); ++k) {
        const arma::uword i = all ? k : pick(pick_rng);
        const double numeric = bp::central_difference(
            [&](double entry) {
              arma::mat block = point;
              block(i) = entry;
              return layers_loss(layers, l, is_weight, block, Xc, Yc);
            },
            point(i), bp::kCentralStep);
        block_worst =
            std::max(block_worst, bp::relative_error(analytic(i), numeric, bp::kRelativeFloor));
      }
      worst = std::max(worst, block_worst);
      std::cout << "    " << bp::pad(std::string(is_weight ? "W" : "b") + std::to_string(l + 1), 5)
                << bp::pad(bp::shape_of(point), 9) << sci(block_worst)
                << (all ? "" : std::string("  (") + std::to_string(kMaxChecked) + " entries drawn)")
                << "\n";
    }
  }
  std::cout << "  Worst relative error " << sci(worst) << ": "
            << (worst <= bp::kGradientTolerance ? "every block passes" : "a block FAILS")
            << " (tolerance " << sci(bp::kGradientTolerance) << ").\n\n";
}

/// 5. Full-batch gradient descent on two moons, every gradient from the tape; the curve (epoch,
/// loss, accuracy) to ch14_training.csv.
void train_deeper(std::vector<bp::Layer> layers, arma::uword N, std::uint64_t seed, int epochs,
                  double rate, const std::filesystem::path& figures) {
  bp::Rng moons_rng(seed + 4);
  const bp::Dataset moons = bp::make_moons(std::max<arma::uword>(N, 2), 0.1, moons_rng);
  const arma::mat Ym = bp::one_hot(moons.labels, moons.classes);
  std::cout << "5. Training it: full-batch gradient descent on " << moons.name
            << ", N = " << moons.X.n_rows << ", η = " << rate << ", " << epochs
            << " epochs, every gradient from the tape\n    epoch      loss   accuracy\n";
  arma::mat curve(static_cast<arma::uword>(epochs) + 1, 3);  // epoch, loss, accuracy
  for (int epoch = 0; epoch <= epochs; ++epoch) {
    bp::LayersTape t = bp::record_layers(layers, moons.X, Ym);
    const double loss = t.tape.value(t.L)(0, 0);
    const double correct = accuracy(t.tape.value(t.logits), moons.labels);
    curve.row(static_cast<arma::uword>(epoch)) =
        arma::rowvec{static_cast<double>(epoch), loss, correct};
    if (!std::isfinite(loss))
      throw bp::InputError("--lr " + bp::fixed_text(rate, 3) + ": training diverged at epoch " +
                           std::to_string(epoch) + "; try a smaller rate");
    const bool show = epoch == 0 || epoch == epochs || epoch % std::max(1, epochs / 6) == 0;
    if (show)
      std::cout << "    " << std::setw(5) << epoch << std::setw(10) << bp::fixed_text(loss, 4)
                << std::setw(10) << bp::fixed_text(100.0 * correct, 1) << "%\n";
    if (epoch == epochs) break;
    t.tape.backward(t.L);
    for (std::size_t l = 0; l < layers.size(); ++l) {
      layers[l].W -= rate * t.tape.grad(t.W[l]);
      layers[l].b -= rate * arma::rowvec(t.tape.grad(t.b[l]));
    }
  }
  const std::filesystem::path csv = figures / "ch14_training.csv";
  bp::write_csv(csv, {"epoch", "loss", "accuracy"}, curve);
  std::cout << "  The curve, every epoch: " << csv.string() << "\n\n";
}

}  // namespace

int main(int argc, char** argv) {
  bp::Program program(
      "ch14_autodiff",
      "Chapter 14: automatic differentiation. Records the post's network on a tape (a list of "
      "operations, each with its value, its parents and its vector-Jacobian product), runs it "
      "backwards, and compares every gradient with chapter 09's hand-derived backward(); times "
      "both; writes the tape as a graph (ch14_tape.dot, and ch14_tape.svg when Graphviz is "
      "installed); differentiates a deeper network with the same operations, checks it against "
      "central differences and trains it on two moons (its curve: ch14_training.csv).");
  int hidden = 500;
  int samples = 200;
  int width = 64;
  int depth = 2;
  int epochs = 300;
  double rate = 0.5;
  std::uint64_t seed = 1;
  std::string plots;
  program.add_size("--hidden", hidden, 100000, "Hidden units H of the post's network");
  program.add_size("--samples", samples, 100000, "Samples N in the batch");
  program.add_size("--width", width, 1000, "Width of each hidden layer of the deeper network");
  program.add_size("--depth", depth, 10, "Hidden layers of the deeper network");
  program.add_size("--epochs", epochs, 100000, "Epochs of the deeper network's training");
  program.add_real("--lr", rate, 1e-6, 10.0, "Learning rate of the deeper network's training");
  program.add_seed(seed);
  program.add_text("--plots", plots,
                   "Folder for the tape's graph (default: figures/ beside the build's bin/)");

  // Memory: about 20 N×H matrices for the post's network (its tape's values, the copies its
  // VJPs keep, its gradients, chapter 09's cache and gradients), 12 N×width per layer for the
  // deeper one. Time: the deeper network's check, 2 losses on 16 samples for each entry checked,
  // and its training, 3 passes over N samples an epoch, each about width²·depth multiply-adds.
  const auto entries_checked = [&] {
    const double W = width, d = depth;
    const auto block = [](double n) { return std::min(n, static_cast<double>(kMaxChecked)); };
    return block(2 * W) + block(W) + (d - 1) * (block(W * W) + block(W)) + block(2 * W) + 2;
  };
  program.set_memory_estimate({"--hidden", "--samples", "--width", "--depth"},
                              "8 bytes × (20·N·H + 12·N·width·depth) + 64 MB", [&] {
                                const double N = samples, H = hidden;
                                return 8.0 * (20.0 * N * H + 12.0 * N * width * depth) + 64e6;
                              });
  program.set_work_estimate(
      {"--samples", "--width", "--depth", "--epochs"},
      "1.3 ns × (32·C + 3·epochs·N)·width²·depth, C the entries checked", [&] {
        const double macs = (32.0 * entries_checked() + 3.0 * epochs * samples) * width *
                            static_cast<double>(width) * depth;
        return 1.3e-9 * macs;
      });
  return program.run(argc, argv, [&] {
    const auto H = static_cast<arma::uword>(hidden);
    const auto N = static_cast<arma::uword>(samples);
    const std::filesystem::path figures =
        bp::output_dir(plots, {"ch14_training.csv", "ch14_tape.dot", "ch14_tape.svg"});
    bp::print_banner(
        "Chapter 14: automatic differentiation",
        "The tape records each operation as it runs: its value, its parents, and its\n"
        "vector-Jacobian product (VJP), dC -> the parents' gradients. backward() walks it once\n"
        "from the loss to the first node, adding (+=) each VJP's results into the parents.");

    const bp::Params params = bp::init_params(H, seed);
    bp::Rng rng(seed + 1);  // the batch of chapters 03-09 with the same flags
    arma::mat X, Y;
    bp::toy_batch(N, rng, X, Y);
    bp::PostsTape posts = bp::record_posts_network(params, X, Y);
    print_tape(posts, H, N, seed);
    compare_with_backward(posts, params, X, Y);
    time_both(posts, params, X, Y);

    std::vector<arma::uword> widths = {2};
    for (int l = 0; l < depth; ++l) widths.push_back(static_cast<arma::uword>(width));
    widths.push_back(2);
    std::string shape = "2";
    for (std::size_t l = 1; l < widths.size(); ++l)
      shape += std::string(" -> ") + std::to_string(widths[l]);
    const std::vector<bp::Layer> layers = bp::init_layers(widths, seed);
    check_deeper(layers, shape, X, Y, seed);
    train_deeper(layers, N, seed, epochs, rate, figures);
    draw_tape(posts, figures);
  });
}
