/**
 * @file shape.hpp
 * @brief Shape messages: every shape error in the course names the shapes involved.
 */
#pragma once

#include <armadillo>
#include <stdexcept>
#include <string>

namespace bp {

/// Thrown when the shapes given to a function of the course do not fit together.
/// Its message names the function, the shapes it got and the rule they break.
class ShapeError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// "rows×cols" of any Armadillo matrix or vector, as the course writes shapes ("200×2").
template <typename M>
std::string shape_of(const M& m) {
  return std::to_string(m.n_rows) + "×" + std::to_string(m.n_cols);
}

/// Throws ShapeError(what) unless `holds`.
void require_shape(bool holds, const std::string& what);

}  // namespace bp
