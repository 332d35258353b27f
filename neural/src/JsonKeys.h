// Shared by the components' JSON readers: a setting nobody reads is a typo, refused by name.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace advect::neural {

// Throws std::invalid_argument("unknown <what> setting '<key>'") for the first key of `json` not
// in `known`, and for a `json` that is not an object.
inline void require_known_keys(const nlohmann::json& json,
                               std::initializer_list<std::string_view> known,
                               const std::string& what) {
  if (!json.is_object()) throw std::invalid_argument(what + " settings must be a JSON object");
  for (const auto& item : json.items()) {
    if (std::find(known.begin(), known.end(), item.key()) == known.end()) {
      throw std::invalid_argument("unknown " + what + " setting '" + item.key() + "'");
    }
  }
}

}  // namespace advect::neural
