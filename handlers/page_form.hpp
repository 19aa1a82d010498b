#pragma once

#include "handlers/effects.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bot::handlers {
struct Flow;
}

/// A report as one form on a page (docs/web.md): the same template, the same validators and the
/// same draft as the chat — the page is another way of typing the answers. Pure.
namespace bot::handlers::page {

/// One field as the page shows it.
struct FieldView {
    const templates::Field* field = nullptr;
    bool shown = true;  ///< its condition holds for the answers before it
    std::string value;  ///< as the input shows it: the stored answer, or what was typed when refused
    std::string error;  ///< why it was refused, in the locale; empty when fine
    /// choice, multichoice, unit, yesno: each option's value (what the form sends) and label.
    std::vector<std::pair<std::string, std::string>> options{};
};

/// A form checked field by field.
struct Checked {
    std::map<std::string, std::string> answers;  ///< the valid answers, normalized as chat stores them
    std::vector<FieldView> fields;
    bool refused = false;  ///< some field holds an answer its validator refused
    bool missing = false;  ///< some shown required field is empty
};

/// What the validators need of the person: their units (owned by `storage`).
templates::FieldContext field_context(const templates::Template& t,
                                      const Person* person,
                                      const FlowContext& ctx,
                                      std::vector<templates::UnitRef>& storage);

/// Checks what a page's form holds (`typed`: field id → text; a multichoice's items joined by ",")
/// with the validators of the chat, in the template's order, each condition over the answers
/// before it. An empty optional field is no answer; an empty required one is `missing`. The page
/// shows a stored answer as it is stored (a choice's id, a unit's id, true/false), which the
/// validators take back as they gave it.
Checked check(const templates::Template& t,
              const std::map<std::string, std::string>& typed,
              const Person* person,
              const FlowContext& ctx,
              std::string_view locale);

/// The form of a stored draft's answers (or, for a new form, each field's default).
std::vector<FieldView> view(const templates::Template& t,
                            const std::map<std::string, std::string>& answers,
                            bool fresh,
                            const Person* person,
                            const FlowContext& ctx,
                            std::string_view locale);

/// How many photos an attachment field holds at most (as a chat message's pictures).
inline constexpr std::size_t kMaxPhotos = 9;

/// The references an attachment answer holds, one per line ("image:…", "upload:<id>", a link).
std::vector<std::string> attachments_of(std::string_view answer);

/// Why `field` of `t` cannot take one more photo in the draft `stored` (a catalogue key), or
/// empty: it is no attachment field, or it is full.
std::string cannot_attach(const templates::Template& t,
                          const std::optional<Session>& stored,
                          std::string_view field);

/// A page's post, decided like a message (Route::page): the chat's draft becomes the form's valid
/// answers (the draft of another template is replaced; an attachment already given is kept); with
/// `submit` and nothing refused, it is submitted as 提交 in chat would (the receipt goes to the
/// chat); with `preview`, the chat's preview with its hints is said (the pages send such a post
/// with its replies handed back, not to the chat); with `check` (while typing), only the
/// preview's writing hints, if any. Nothing else is said in the chat: the page
/// shows the form's errors itself.
void post(Flow& f, const std::optional<Session>& stored, const FormPost& form);

}  // namespace bot::handlers::page
