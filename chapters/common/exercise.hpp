/**
 * @file exercise.hpp
 * @brief The exercise marker: what an unfinished exercise throws.
 *
 * Every function a learner writes ships as a stub whose body is
 * `BP_EXERCISE("3.1");` below a `// TODO(3.1): ...` line. The stub compiles; calling it throws
 * bp::ExerciseNotDone, which names the exercise, the file and line to edit, and the chapter
 * page to read. Tests report it as a failure; chapter programs print it in one line and exit
 * with code 3.
 */
#pragma once

#include <stdexcept>
#include <string>

namespace bp {

/// Thrown by an exercise stub until the learner replaces it with a body.
class ExerciseNotDone : public std::logic_error {
 public:
  /// @param id    the exercise's id, "chapter.number" as in "3.1"
  /// @param file  the learner's file that holds the stub, relative to the checkout
  /// @param line  the line of the stub in that file
  ExerciseNotDone(std::string id, std::string file, int line);

  /// The exercise's id, as in "3.1".
  const std::string& id() const noexcept { return id_; }
  /// The learner's file that holds the stub, relative to the checkout.
  const std::string& file() const noexcept { return file_; }
  /// The line of the stub in file().
  int line() const noexcept { return line_; }
  /// The chapter page beside the file: chapters/NN_slug/README.md.
  std::string page() const;

 private:
  std::string id_;
  std::string file_;
  int line_;
};

}  // namespace bp

/// The body of an exercise stub: throws bp::ExerciseNotDone naming this file and line.
#define BP_EXERCISE(id) throw ::bp::ExerciseNotDone((id), __FILE__, __LINE__)
