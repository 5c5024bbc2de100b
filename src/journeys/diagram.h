#pragma once
// The steps of a journey as accessible HTML boxes and arrows (an ordered list, readable by a
// screen reader and without JavaScript or SVG), with each step's counters.

#include "journeys/journey.h"
#include "journeys/journey_store.h"

#include <nlohmann/json.hpp>

namespace teilhabe::journeys {

// Data for the template's {{#diagram}}: one box per step with its label, details, where it
// leads and its statistics.
nlohmann::json diagram(const Definition& d, const std::vector<store::StepStats>& stats, bool english);

} // namespace teilhabe::journeys
