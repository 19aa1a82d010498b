#pragma once

#include "bot/usecases/deps.hpp"

#include <string_view>

/// The digest (周报): every template's period, the week's adoptions and 快 · 实 · 新, and the units at
/// both ends of the rankings — posted by the scheduler, asked for with 周报 and POST /api/v1/digest.
namespace bot::usecase {

/// The digest at `now` in `locale`, over the units `reader` sees (Roster::visible_units; null:
/// every unit — the scheduler's).
result<Doc> digest_doc(const Deps& deps,
                       store::Tx& tx,
                       TimePoint now,
                       std::string_view locale,
                       const handlers::Person* reader = nullptr);

}  // namespace bot::usecase
