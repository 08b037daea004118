#include "common/exercise.hpp"

namespace bp {
namespace {

std::string folder_of(const std::string& file) {
  const std::string::size_type slash = file.find_last_of('/');
  return slash == std::string::npos ? std::string(".") : file.substr(0, slash);
}

std::string describe(const std::string& id, const std::string& file, int line) {
  return "ExerciseNotDone: exercise " + id + " is not done yet: write it in " + file + ":" +
         std::to_string(line) + " (see " + folder_of(file) + "/README.md)";
}

}  // namespace

ExerciseNotDone::ExerciseNotDone(std::string id, std::string file, int line)
    : std::logic_error(describe(id, file, line)),
      id_(std::move(id)),
      file_(std::move(file)),
      line_(line) {}

std::string ExerciseNotDone::page() const { return folder_of(file_) + "/README.md"; }

}  // namespace bp
