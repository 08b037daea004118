/**
 * @file input_error.hpp
 * @brief Bad input to a program, as bp::ShapeError is a bad shape: the one exception a program
 * turns into one line and exit code 2 (bp::Program::run).
 *
 * A header of its own, so that what reads or writes files (common/files.hpp,
 * common/input_file.hpp, common/datasets.hpp) can throw it without the programs' command line.
 */
#pragma once

#include <stdexcept>

namespace bp {

/// Bad input to a program (a flag value, a file): reported in one line, exit code 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace bp
