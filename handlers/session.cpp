#include "handlers/session.hpp"

#include <nlohmann/json.hpp>

namespace bot::handlers {
namespace {

std::int64_t ms(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint from_ms(std::int64_t v) {
    return TimePoint(std::chrono::milliseconds(v));
}

}  // namespace

std::string to_json(const Session& s) {
    nlohmann::json j;
    j["v"] = 1;
    j["stage"] =
        s.stage == Stage::choosing ? "choosing" : (s.stage == Stage::filling ? "filling" : "previewing");
    j["template"] = s.template_id;
    j["template_version"] = s.template_version;
    j["field"] = s.field_index;
    j["answers"] = s.answers;
    j["failures"] = s.failures;
    j["back_to_preview"] = s.back_to_preview;
    j["revising"] = s.revising;
    if (!s.home.empty()) {
        j["home"] = s.home;
    }
    j["started_at"] = ms(s.started_at);
    j["updated_at"] = ms(s.updated_at);
    return j.dump();
}

Session as_stored(Session s) {
    s.started_at = from_ms(ms(s.started_at));
    s.updated_at = from_ms(ms(s.updated_at));
    return s;
}

std::optional<Session> session_from_json(std::string_view text) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.value("v", 0) != 1) {
        return std::nullopt;
    }
    try {
        Session s;
        const std::string stage = j.value("stage", "choosing");
        s.stage = stage == "filling" ? Stage::filling
                                     : (stage == "previewing" ? Stage::previewing : Stage::choosing);
        s.template_id = j.value("template", "");
        s.template_version = j.value("template_version", 0);
        s.field_index = j.value("field", std::size_t{0});
        s.answers = j.value("answers", std::map<std::string, std::string>{});
        s.failures = j.value("failures", 0);
        s.back_to_preview = j.value("back_to_preview", false);
        s.revising = j.value("revising", "");
        s.home = j.value("home", "");
        s.started_at = from_ms(j.value("started_at", std::int64_t{0}));
        s.updated_at = from_ms(j.value("updated_at", std::int64_t{0}));
        return s;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;  // a field of the wrong type: treat the row as unreadable
    }
}

}  // namespace bot::handlers
