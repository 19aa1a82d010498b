#include "bot/usecases/deps.hpp"

namespace bot::usecase {

std::string Deps::bot_locale(std::string_view bot) const {
    const auto it = bot_locales.find(bot);
    return it == bot_locales.end() ? locale : it->second;
}

store::AuditEntry Actor::entry(
    TimePoint at, std::string action, std::string target, std::string before, std::string after) const {
    return store::AuditEntry{.at = at,
                             .actor_id = id,
                             .actor_account = account,
                             .role = role,
                             .action = std::move(action),
                             .target = std::move(target),
                             .before = std::move(before),
                             .after = std::move(after),
                             .request_id = request_id};
}

result<void> append(store::Tx& tx, const std::vector<store::AuditEntry>& entries) {
    for (const auto& e : entries) {
        if (auto appended = tx.audit().append(e); !appended) {
            return appended.error();
        }
    }
    return {};
}

}  // namespace bot::usecase
