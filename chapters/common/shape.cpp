#include "common/shape.hpp"

namespace bp {

void require_shape(bool holds, const std::string& what) {
  if (!holds) throw ShapeError(what);
}

}  // namespace bp
