#pragma once
// The journeys a town switches on instead of writing them (SPEC.md capability 3: "a welcome
// e-mail within three days of a newsletter sign-up, and a reminder two days before an event one
// registered for"). Seeded switched off; staff may change their texts.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace teilhabe::journeys {

struct ReadyMade {
    std::string key;
    std::string name;
    std::string description;
    nlohmann::json definition;
};

const std::vector<ReadyMade>& ready_made();

} // namespace teilhabe::journeys
