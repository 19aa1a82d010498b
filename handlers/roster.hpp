#pragma once

#include "bot/core/hash.hpp"
#include "templates/loader.hpp"
#include "templates/validate.hpp"

#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bot::handlers {

struct Unit {
    std::string id;
    std::string name;
    bool exempt = false;   ///< not chased for periodic reports
    std::string parent{};  ///< the unit above it (a district committee above its branches), or none
};

/// officer: files reports for their units. coordinator (also written "reviewer"): reviews, reminds
/// and sees the boards of the units in their scope. admin: a coordinator of every unit.
enum class Role { officer, coordinator, admin };

/// "officer", "coordinator" or "admin" (the audit log's and the API's word for it).
constexpr const char* role_name(Role r) {
    return r == Role::admin ? "admin" : r == Role::coordinator ? "coordinator" : "officer";
}

/// Days away, both ends included (local dates of the template's zone).
struct Leave {
    templates::LocalDate from;
    templates::LocalDate to;
    bool covers(const templates::LocalDate& d) const {
        return !(d.iso() < from.iso()) && !(to.iso() < d.iso());
    }
};

/// One identity on a chat platform: the user id `user` as seen by the bot `bot`, or by every bot of
/// the platform `platform` (exactly one of the two is set). User ids are only unique within a
/// platform (a WeCom userid may be anything an administrator chose), so a sender is never matched
/// by user id alone, and never by a person id.
struct Account {
    std::string bot;
    std::string platform;
    std::string user;
    /// Whether this account is the sender `user` of `bot` (of platform `platform`).
    bool matches(std::string_view on_bot, std::string_view on_platform, std::string_view who) const {
        return user == who && (bot.empty() ? platform == on_platform : bot == on_bot);
    }
};

/// The platform of the local console: there the operator speaks as a roster person by their id.
inline constexpr std::string_view kConsolePlatform = "console";

struct Person {
    std::string id;
    std::string name;
    std::string unit;  ///< unit id; coordinators may have none
    /// Every unit this officer files for: `unit` first, then the roster's "also_units". Officers
    /// file only for these; coordinators for any unit.
    std::vector<std::string> units;
    Role role = Role::officer;
    std::string locale;             ///< "zh-CN", "en" or empty (the bot's)
    std::vector<Account> accounts;  ///< who this person is on chat platforms
    std::vector<Leave> leave;       ///< planned leave from the roster (chat leave is in the store)
    /// A coordinator's units: each with every unit below it. Empty: every unit.
    std::vector<std::string> scope{};
    /// What a coordinator is told privately of reports filed or revised in their scope (roster
    /// "notices"; docs/desk.md, "Notices"): each as it arrives, or those of the hour together.
    /// none: the desk and 审核 show them.
    enum class Notices { none, each, hourly };
    Notices notices = Notices::none;
    /// A coordinator or an admin.
    bool coordinates() const { return role != Role::officer; }
    /// The user id to @-mention or message through `bot` (of `platform`): the account naming the bot,
    /// else the one naming its platform; empty when the person has none there (then nobody is
    /// mentioned: a person id is not a platform id).
    std::string_view account_on(std::string_view bot, std::string_view platform) const;
};

/// Where a chat's forms go on (docs/conversation.md, "A quiet group").
enum class ChatMode {
    group,     ///< in the chat itself
    private_,  ///< in the person's 1:1 chat with the bot; the group sees the start and the receipt
    page,      ///< on the pages (a private sign-in link); the group sees the start and the receipt
};

/// Which of a group's messages that do not address the bot it still takes.
enum class Listen {
    answers,  ///< a waiting form's answers that look like one (a command word, a choice, a number…)
    all,      ///< every message of a person whose form is open (the behaviour before modes)
};

struct Chat {
    std::string id;
    std::string bot;  ///< the bot that is in this chat (conversations, replies)
    /// The bot that posts here unasked — reminders and digests — when `bot` cannot (a WeCom AI
    /// bot: the group's robot, "platform": "wecom_robot"). Empty: `bot`.
    std::string push{};
    /// The bot reminders to this chat go through.
    const std::string& reminder_bot() const { return push.empty() ? bot : push; }
    std::vector<std::string> units;      ///< units that report here; "*" = all
    std::vector<std::string> templates;  ///< templates filled here; "*" = all
    ChatMode mode = ChatMode::group;
    Listen listen = Listen::answers;
    bool adoption_news = false;  ///< an adoption's 喜报 is posted here too, not only to its author
};

/// Who reports what where: units, people and chats (seeds/roster.jsonc).
class Roster {
public:
    Roster() = default;
    Roster(std::vector<Unit> units, std::vector<Person> people, std::vector<Chat> chats);

    const std::vector<Unit>& units() const { return units_; }
    const std::vector<Person>& people() const { return people_; }
    const std::vector<Chat>& chats() const { return chats_; }

    const Unit* unit(std::string_view id) const;
    /// The index in units() of the unit `id` (its first, were it repeated), or units().size().
    std::size_t unit_position(std::string_view id) const;
    /// The sender `user` of `bot` (of `platform`), by their accounts; on the console platform, by
    /// person id. nullptr for someone not on the roster.
    const Person* person(std::string_view bot, std::string_view platform, std::string_view user) const;
    const Person* person_by_id(std::string_view id) const;
    const Person* person_by_name(std::string_view name) const;
    const Chat* chat(std::string_view id) const;
    /// The position of the first unit with the id of `units()[unit]`: `unit` itself unless the id
    /// is repeated (computed once).
    std::size_t first_of(std::size_t unit) const { return unit_first_[unit]; }
    /// The officers of `units()[unit]`, as indexes into people() in file order (computed once:
    /// a status board over 100,000 units asks for every unit's).
    std::span<const std::uint32_t> officers_of(std::size_t unit) const;
    /// Whether `person` coordinates `unit`: an admin, a coordinator without a scope, or one whose
    /// scope holds the unit or a unit above it. Never an officer.
    bool in_scope(const Person& person, std::string_view unit) const;
    /// The ids of every unit `person` coordinates (empty for an officer).
    std::vector<std::string> units_in_scope(const Person& person) const;
    /// The units whose boards, reports and people `person` sees as a coordinator: nullopt for
    /// every unit (nobody named — an admin token —, an admin, or a coordinator without a scope);
    /// else the units of their scope (none for an officer). The one rule of every front door.
    std::optional<std::set<std::string, std::less<>>> visible_units(const Person* person) const;
    /// The units `person` is compared with (rankings, 范文): an officer with every unit (比学赶超 is
    /// public), a coordinator as visible_units.
    std::optional<std::set<std::string, std::less<>>> compared_units(const Person* person) const;
    /// Units as validators see them (computed once).
    const std::vector<templates::UnitRef>& unit_refs() const { return unit_refs_; }
    /// The units `person` may file for, as validators see them: an officer's own (Person::units),
    /// every unit for a coordinator (then `storage` is left empty and the roster's list is used).
    std::span<const templates::UnitRef> units_for(const Person& person,
                                                  std::vector<templates::UnitRef>& storage) const;
    /// The first chat with a bot where `unit` reports `tmpl` (where its reminders go), or nullptr.
    const Chat* reporting_chat(const templates::Template& tmpl, std::string_view unit) const;
    /// Templates `person` may fill in `chat` (chat rules and template rules both apply).
    std::vector<const templates::Template*> templates_for(const templates::TemplateSet& set,
                                                          std::string_view chat,
                                                          const Person& person) const;

private:
    std::vector<Unit> units_;
    std::vector<Person> people_;
    std::vector<Chat> chats_;
    std::vector<templates::UnitRef> unit_refs_;
    // Searched by string_view: lookups allocate nothing.
    StringMap<std::size_t> unit_index_;    ///< id → units_ index
    StringMap<std::size_t> person_index_;  ///< id → people_ index
    /// User id → the people with an account of that user id (on some bot or platform).
    StringMap<std::vector<std::uint32_t>> account_index_;
    /// Officers by unit, flat: those of the unit at index u are officer_ids_[officer_start_[u] ..
    /// officer_start_[u + 1]). A repeated unit id shares the first one's officers.
    std::vector<std::uint32_t> officer_start_;
    std::vector<std::uint32_t> officer_ids_;
    std::vector<std::uint32_t> unit_first_;   ///< index of the first unit with the same id
    std::vector<std::uint32_t> unit_parent_;  ///< index of the parent unit, or UINT32_MAX
};

struct RosterLoad {
    Roster roster;
    std::vector<templates::LoadError> errors;
};

RosterLoad load_roster_text(std::string_view text, const std::string& file);

}  // namespace bot::handlers
